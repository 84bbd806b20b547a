"""One signed ``POST /voice`` to the installed line: it must answer the welcome's TwiML.

Run with the installed line's Python, with ``TWILIO_AUTH_TOKEN``, ``SECRET_KEY`` and
``PUBLIC_BASE_URL`` set. Two ways, one per CI check:

- ``signed_voice.py`` (``.ci/wheel_check.sh``): the app is built here, from the wheel, which
  must be imported from site-packages (``IVR_SQLITE_PATH`` set); it also plays the web phone's
  first turn and draws the tree map.
- ``signed_voice.py --server`` (``.ci/buildpack_check.sh``): the Procfile's web line runs at
  ``PUBLIC_BASE_URL``; run from the app folder, whose editable install (``uv sync``) must find
  its content there, the request goes over HTTP.

Both fetch the staff login page (its templates must be installed). Exits 1 with the reason when
the line does not answer as it should.
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml
from twilio.request_validator import RequestValidator

import ivr
from ivr.config.locations import content_locations, editable_checkout

CALL = {
    "CallSid": "CA0000000000000000000000000000check",
    "AccountSid": "AC0000000000000000000000000000check",
    "From": "+31612345678",
    "To": "+31208000000",
    "CallStatus": "ringing",
    "ApiVersion": "2010-04-01",
    "Direction": "inbound",
}


class Failed(Exception):
    """The line did not answer as it should; the message says how."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", action="store_true", help="ask the server at PUBLIC_BASE_URL")
    args = parser.parse_args()
    base = os.environ["PUBLIC_BASE_URL"].rstrip("/")
    try:
        if args.server:
            check_server(base)
        else:
            check_wheel(base)
    except Failed as failed:
        print(failed, file=sys.stderr)
        return 1
    return 0


def check_wheel(base: str) -> None:
    from ivr.web.app import create_app

    package = Path(ivr.__file__).resolve().parent
    if "site-packages" not in package.parts:
        raise Failed(f"ivr was imported from {package}, not from the installed wheel")
    app = create_app()
    client = app.test_client()
    reply = client.post(
        "/voice", data=CALL, base_url=base, headers={"X-Twilio-Signature": sign(base)}
    )
    check_welcome(reply.status_code, reply.content_type, reply.get_data(as_text=True))
    print(f"POST /voice (signed) from {Path.cwd()}: 200, the welcome's <Gather> ({package})")
    login = client.get("/staff/login", base_url=base)
    style = client.get("/staff/static/staff.css", base_url=base)
    style.close()
    check_login(login.status_code, login.get_data(as_text=True))
    if style.status_code != 200:
        raise Failed(f"GET /staff/static/staff.css answered {style.status_code}")
    print("GET /staff/login and its style sheet: 200")
    # The web phone's line and the tree map's drawing work from the installed wheel.
    with app.extensions["ivr_try_line"].driver() as phone:
        started = phone.start("+31612345678")
    if started.state is None or started.state.wait is None:
        raise Failed("the web phone's call did not wait at the first question")
    if 'id="node_wegvallen"' not in str(app.extensions["ivr_tree_map"].svg):
        raise Failed("the tree map's drawing has no box for the first question")
    print("the web phone's call and the tree map's drawing: ok")


def check_server(base: str) -> None:
    here = Path.cwd().resolve()
    checkout = editable_checkout()
    if checkout is None or checkout.resolve() != here:
        raise Failed(f"the editable install's checkout is {checkout}, not the app folder {here}")
    if not content_locations().tree.resolve().is_relative_to(here):
        raise Failed(f"the tree is read from {content_locations().tree}, not from {here}")
    print(f"the editable install reads tree/, prompts/, audio/ in the app folder {here}")
    status, kind, body = http(
        f"{base}/voice", urllib.parse.urlencode(CALL).encode(), {"X-Twilio-Signature": sign(base)}
    )
    check_welcome(status, kind, body)
    print(f"POST {base}/voice (signed): {status}, the welcome's <Gather>")
    status, _, body = http(f"{base}/staff/login")
    check_login(status, body)
    print(f"GET {base}/staff/login: {status}")


def sign(base: str) -> str:
    return RequestValidator(os.environ["TWILIO_AUTH_TOKEN"]).compute_signature(
        f"{base}/voice", CALL
    )


def http(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, str, str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, reply.headers.get_content_type(), reply.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers.get_content_type(), refused.read().decode()
    except OSError as failed:
        raise Failed(f"{url}: no answer ({failed})") from failed


def check_welcome(status: int, content_type: str, body: str) -> None:
    if status != 200 or not content_type.startswith("text/xml"):
        raise Failed(f"POST /voice answered {status} {content_type}:\n{body[:2000]}")
    twiml = ET.fromstring(body)
    # the welcome has a Gather of its own (a key skips it); the first question's follows it
    actions = [gather.get("action", "") for gather in twiml.iter("Gather")]
    if not any(action.startswith("/voice/answer") for action in actions):
        raise Failed(f"POST /voice answered TwiML without the first question's <Gather>:\n{body}")
    prompts = yaml.safe_load(content_locations().prompts.read_text(encoding="utf-8"))
    spoken = " ".join(say.text or "" for say in twiml.iter("Say"))
    played = twiml.find("Play") is not None  # pre-rendered audio, where audio/ has it
    if " ".join(prompts["welcome"].split()) not in spoken and not played:
        raise Failed(f"POST /voice answered TwiML without the welcome:\n{body}")


def check_login(status: int, body: str) -> None:
    if status != 200 or "Inloggen" not in body:
        raise Failed(f"GET /staff/login answered {status}")


if __name__ == "__main__":
    raise SystemExit(main())
