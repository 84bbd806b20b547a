"""The floor: a bare Flask app answering every voice webhook with one fixed TwiML string.

``app`` is the floor of bench/webhook.py. ``form_app`` also reads Twilio's form, as any real
webhook must; bench/webhook_parts.py uses it to tell the form's cost from the line's own.
"""

from __future__ import annotations

from flask import Flask, Response, request

TWIML = (
    '<?xml version="1.0" encoding="UTF-8"?><Response>'
    '<Gather action="/voice/answer?p=j" finishOnKey="" hints="ja, nee" input="dtmf speech" '
    'language="nl-NL" method="POST" numDigits="1" speechTimeout="auto" timeout="8">'
    '<Say language="nl-NL">Kan de zorgvrager thuis zorg ontvangen?</Say></Gather>'
    '<Redirect method="POST">/voice/answer?p=j</Redirect></Response>'
)


def make_app(read_form: bool = False) -> Flask:
    bare = Flask(__name__)

    @bare.route("/voice", methods=["GET", "POST"])
    @bare.route("/voice/<route>", methods=["GET", "POST"])
    def voice(route: str = "") -> Response:
        if read_form:
            request.form.get("Digits")
        return Response(TWIML, mimetype="text/xml")

    @bare.get("/healthz")
    def healthz() -> str:
        return "ok"

    return bare


app = make_app()
form_app = make_app(read_form=True)
