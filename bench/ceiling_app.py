"""The ceiling: a Flask app doing only the work every Twilio webhook needs, and nothing else.

It reads Twilio's form (the body, parsed once), checks ``X-Twilio-Signature`` with one HMAC-SHA1
over the public URL and the sorted parameters (403 when it does not match), and answers with
TwiML built once at start, already encoded. The form parser and the signature are the line's
own functions (``ivr.web.twilio_request.parse_form``, ``ivr.web.signature.twilio_signature``),
the cheapest known: whatever makes that necessary work cheaper lowers the line and the ceiling
alike. No call state, no tree, no storage: the smallest possible cost of a webhook's necessary
work in Flask, so bench/webhook.py measures the line against what this design can reach
(line/ceiling) as well as against a Flask app that reads nothing (line/bare, ``bare_app.py``).

Its settings are the line's: ``TWILIO_AUTH_TOKEN`` and ``PUBLIC_BASE_URL`` (bench/signed_calls).
"""

from __future__ import annotations

import hmac
import os
from typing import TYPE_CHECKING

from bare_app import TWIML
from flask import Flask, Response, abort, request

from ivr.web.signature import twilio_signature
from ivr.web.twilio_request import Params, parse_form
from ivr.web.twiml import TWIML_TYPE

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment


def signed(key: bytes, base_url: str, environ: WSGIEnvironment, form: Params) -> bool:
    """One HMAC-SHA1 over the public URL and the form, against ``X-Twilio-Signature``."""
    query = environ.get("QUERY_STRING", "")
    url = base_url + environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
    given = environ.get("HTTP_X_TWILIO_SIGNATURE", "").encode()
    return hmac.compare_digest(twilio_signature(key, url, form), given)


def make_app(token: str, base_url: str) -> Flask:
    ceiling = Flask(__name__)
    ceiling.config["MAX_CONTENT_LENGTH"] = 64 * 1024  # as the line: a large body is refused
    key = token.encode("utf-8")
    answer = TWIML.encode("utf-8")

    @ceiling.route("/voice", methods=["POST"])
    @ceiling.route("/voice/<route>", methods=["POST"])
    def voice(route: str = "") -> Response:
        form = parse_form(request.get_data())
        if not signed(key, base_url, request.environ, form):
            abort(403)
        return Response(answer, content_type=TWIML_TYPE)

    @ceiling.get("/healthz")
    def healthz() -> str:
        return "ok"

    return ceiling


app = make_app(os.environ.get("TWILIO_AUTH_TOKEN", ""), os.environ.get("PUBLIC_BASE_URL", ""))
