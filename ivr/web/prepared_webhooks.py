"""Prepared answers, served before Flask: the welcome and every timeless answer the line keeps.

Most of a call's webhooks get an answer the line has already built (``Line.prepared``: the
welcome, a ja/nee that leads to another question, a repeat, a first miss). This WSGI layer,
inside the app's ``wsgi_app`` (and inside ProxyFix), serves those straight from Twilio's form,
after the same one HMAC the Flask view would check, and notes the same call mark. It skips only
Flask's request handling: in process about 130 µs, two thirds of what a kept answer cost
through Flask (bench/webhook_parts.py).

It answers only when everything is the common case: a POST of a known-length form, a signature
that matches in one HMAC, a step of this line, an answer already kept. Anything else, and any
failure here, goes on to Flask untouched, with the form already read (``PARAMS_KEY``) and the
signature's match noted (``SIGNED_KEY``): Flask answers as before (413, 405, 403 with its
explanation, the apology). So this layer adds no behaviour of its own, only speed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ivr.core.errors import CallStateError
from ivr.web.line import VOICE_PREFIX, Line
from ivr.web.signature import SignatureCheck
from ivr.web.twilio_request import caller_reply, posted_form
from ivr.web.twiml import TWIML_TYPE

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)
STEP_PREFIX = VOICE_PREFIX + "/"
# The /voice/<route> webhooks of voice_routes that are not a step of the call: Flask answers
# them (no call state's Route is named so, and none may be).
NOT_STEPS = frozenset({"status", "fallback"})


class PreparedWebhooks:
    """WSGI middleware: ``app.wsgi_app = PreparedWebhooks(app.wsgi_app, line, check)``."""

    def __init__(self, wsgi_app: WSGIApplication, line: Line, check: SignatureCheck) -> None:
        self.wsgi_app = wsgi_app
        self.line = line
        self.check = check

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        body = None
        if environ.get("REQUEST_METHOD") == "POST":
            path = environ.get("PATH_INFO", "")
            if path == VOICE_PREFIX or path.startswith(STEP_PREFIX):
                try:
                    body = self.prepared(environ, path)
                except Exception:
                    # Flask answers it (with the apology, if it fails there too)
                    log.exception("prepared answer failed on %s; Flask answers it", path)
        if body is None:
            return self.wsgi_app(environ, start_response)
        start_response("200 OK", [("Content-Type", TWIML_TYPE), ("Content-Length", str(len(body)))])
        return [body]

    def prepared(self, environ: WSGIEnvironment, path: str) -> bytes | None:
        """The kept answer to this webhook, or None: Flask answers it."""
        form = posted_form(environ)
        if form is None or not self.check.matches(environ, form):
            return None
        if path == VOICE_PREFIX:
            return self.line.greet(form.first("CallSid"))
        route = path[len(STEP_PREFIX) :]
        if route in NOT_STEPS:
            return None
        try:
            step = self.line.step_of(route, environ.get("QUERY_STRING", ""))
        except CallStateError:
            return None  # Flask logs it and apologises
        reply, spoken = caller_reply(form)
        return self.line.prepared(step, reply, spoken, form.first("CallSid"))
