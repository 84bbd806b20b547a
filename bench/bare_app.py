"""The floor: a bare Flask app answering every voice webhook with one fixed TwiML string."""

from __future__ import annotations

from flask import Flask, Response

TWIML = (
    '<?xml version="1.0" encoding="UTF-8"?><Response>'
    '<Gather action="/voice/answer?p=j" finishOnKey="" hints="ja, nee" input="dtmf speech" '
    'language="nl-NL" method="POST" numDigits="1" speechTimeout="auto" timeout="8">'
    '<Say language="nl-NL">Kan de zorgvrager thuis zorg ontvangen?</Say></Gather>'
    '<Redirect method="POST">/voice/answer?p=j</Redirect></Response>'
)

app = Flask(__name__)


@app.route("/voice", methods=["GET", "POST"])
@app.route("/voice/<route>", methods=["GET", "POST"])
def voice(route: str = "") -> Response:
    return Response(TWIML, mimetype="text/xml")


@app.get("/healthz")
def healthz() -> str:
    return "ok"
