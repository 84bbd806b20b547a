"""One signed ``POST /voice`` to the installed line: it must answer TwiML with a <Gather>.

Run by ``.ci/wheel_check.sh`` with the wheel's Python, from a folder outside the checkout, with
``TWILIO_AUTH_TOKEN``, ``SECRET_KEY`` and ``IVR_SQLITE_PATH`` set. Also fetches the staff login
page (templates and style sheet must be in the wheel), plays the web phone's first turn and
draws the tree map. Exits 1 with the reason when it does not.
"""

from __future__ import annotations

import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from twilio.request_validator import RequestValidator

import ivr
from ivr.web.app import create_app

BASE = "http://localhost"
CALL = {
    "CallSid": "CA0000000000000000000000000000wheel",
    "AccountSid": "AC0000000000000000000000000000wheel",
    "From": "+31612345678",
    "To": "+31208000000",
    "CallStatus": "ringing",
    "ApiVersion": "2010-04-01",
    "Direction": "inbound",
}


def main() -> int:
    package = Path(ivr.__file__).resolve().parent
    if "site-packages" not in package.parts:
        print(f"ivr was imported from {package}, not from the installed wheel", file=sys.stderr)
        return 1
    signature = RequestValidator(os.environ["TWILIO_AUTH_TOKEN"]).compute_signature(
        f"{BASE}/voice", CALL
    )
    app = create_app()
    reply = app.test_client().post(
        "/voice", data=CALL, base_url=BASE, headers={"X-Twilio-Signature": signature}
    )
    body = reply.get_data(as_text=True)
    if reply.status_code != 200 or not reply.content_type.startswith("text/xml"):
        print(f"POST /voice answered {reply.status_code} {reply.content_type}", file=sys.stderr)
        return 1
    if ET.fromstring(body).find("Gather") is None:
        print(f"POST /voice answered TwiML without a <Gather>:\n{body}", file=sys.stderr)
        return 1
    print(f"POST /voice (signed) from {Path.cwd()}: 200, TwiML with a <Gather> ({package})")
    # The staff console's templates and style sheet are in the wheel, not only in the checkout.
    client = app.test_client()
    login = client.get("/staff/login", base_url=BASE)
    style = client.get("/staff/static/staff.css", base_url=BASE)
    style.close()
    if login.status_code != 200 or "Inloggen" not in login.get_data(as_text=True):
        print(f"GET /staff/login answered {login.status_code}", file=sys.stderr)
        return 1
    if style.status_code != 200:
        print(f"GET /staff/static/staff.css answered {style.status_code}", file=sys.stderr)
        return 1
    print("GET /staff/login and its style sheet: 200")
    # The web phone's line and the tree map's drawing work from the installed wheel.
    with app.extensions["ivr_try_line"].driver() as phone:
        started = phone.start("+31612345678")
    if started.state is None or started.state.wait is None:
        print("the web phone's call did not wait at the first question", file=sys.stderr)
        return 1
    svg = str(app.extensions["ivr_tree_map"].svg)
    if 'id="node_wegvallen"' not in svg:
        print("the tree map's drawing has no box for the first question", file=sys.stderr)
        return 1
    print("the web phone's call and the tree map's drawing: ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
