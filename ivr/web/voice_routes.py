"""The Flask adapter: Twilio's voice webhooks in, TwiML out. Never an error page to Twilio.

Every webhook takes one path: the view reads Twilio's request once and checks its signature
(``SignatureCheck.read``), the line answers it (``Line``), and the answer goes back as TwiML.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from flask import Blueprint, Flask, Response, current_app, request
from twilio.twiml.voice_response import VoiceResponse
from werkzeug.exceptions import HTTPException

from ivr.core.call_events import CallEvent, EventKind
from ivr.core.call_state import VERSION_ARG, VOICE_PREFIX
from ivr.core.errors import CallStateError
from ivr.core.twilio_words import ENDED, Param
from ivr.web.content_lines import ContentLines
from ivr.web.line import Line
from ivr.web.signature import SignatureCheck
from ivr.web.twilio_request import TwilioRequest
from ivr.web.twiml import TWIML_TYPE

log = logging.getLogger(__name__)
bp = Blueprint("voice", __name__, url_prefix=VOICE_PREFIX)
METHODS = ["POST"]  # Twilio's webhooks are configured with HTTP POST (README); GET: 405
EMPTY_TWIML = str(VoiceResponse()).encode()


def _line() -> Line:
    """The line of the content version the call started with (``v=`` in its URLs; a new call,
    ``POST /voice``: the newest published version)."""
    lines: ContentLines = current_app.extensions["ivr_lines"]
    return lines.for_request(request.args.get(VERSION_ARG), request.path == VOICE_PREFIX)


def _check() -> SignatureCheck:
    check: SignatureCheck = current_app.extensions["ivr_signature"]
    return check


def _twiml(body: bytes) -> Response:
    return Response(body, content_type=TWIML_TYPE)


def webhook(view: Callable[..., bytes]) -> Callable[..., Response]:
    """A signed Twilio webhook: the request read and checked once (403 when unsigned), then
    answered; any failure still answers with the apology, in the call's language, and a way on."""

    @functools.wraps(view)
    def answered(**path: str) -> Response:
        line = _line()
        call = _check().read(request._get_current_object())
        try:
            return _twiml(view(line, call, **path))
        except CallStateError as exc:
            log.warning(
                "webhook %s for call %s: %s", request.path, _call_pseudonym(line, call), exc
            )
            return _twiml(line.apology(call.query, call.param(Param.TO)))
        except Exception:
            log.exception(
                "webhook %s failed for call %s", request.path, _call_pseudonym(line, call)
            )
            return _twiml(line.apology(call.query, call.param(Param.TO)))

    return answered


@bp.route("", methods=METHODS)
@webhook
def incoming(line: Line, call: TwilioRequest) -> bytes:
    return line.greet(call)


@bp.route("/status", methods=METHODS)
@webhook
def status(line: Line, call: TwilioRequest) -> bytes:
    """Twilio's call status callback: the call is over (its duration), for the figures only."""
    # Only the caller's own call: a transfer's leg has a ParentCallSid.
    if call.param(Param.CALL_STATUS) in ENDED and not call.param(Param.PARENT_CALL_SID):
        duration = call.param(Param.DURATION)
        seconds = int(duration) if duration.isascii() and duration.isdigit() else None
        ended = CallEvent(EventKind.END, reply=call.param(Param.CALL_STATUS), seconds=seconds)
        line.add_event(call.call_sid, ended)
    return EMPTY_TWIML


@bp.route("/fallback", methods=["GET", "POST"])
def fallback() -> Response:
    """The fixed apology with the helpdesk number: nothing in it needs protecting, and when
    Twilio needs it the configuration may be what failed, so it answers even unsigned."""
    line, check = _line(), _check()
    call = TwilioRequest.read(request._get_current_object(), check.settings.public_base_url)
    if not check.is_valid(call):
        log.error(
            "FALLBACK ANSWERED WITHOUT A VALID SIGNATURE (call %s): if this was Twilio, "
            "/voice refuses its requests too; fix the signature settings",
            _call_pseudonym(line, call),
        )
        check.explain(call)
    code = call.param(Param.ERROR_CODE)  # Twilio's are 5 digits; anything else is not one
    code = code if code.isascii() and code.isdigit() and len(code) <= 6 else "(not a code)"
    log.error(
        "Twilio used the fallback URL for call %s (ErrorCode %s)", _call_pseudonym(line, call), code
    )
    return _twiml(line.fallback(call.param(Param.ERROR_URL), call.param(Param.TO)))


@bp.route("/<route>", methods=METHODS)
@webhook
def step(line: Line, call: TwilioRequest, route: str) -> bytes:
    return line.answer(route, call)


def init_app(app: Flask, line: Line, lines: ContentLines) -> None:
    """``line``: the line at start (its readiness and its tests); ``lines``: the line of each
    content version, which answers the webhooks: the console and the tools read its newest."""
    app.extensions["ivr_line"] = line
    app.extensions["ivr_lines"] = lines
    app.register_blueprint(bp)

    @app.errorhandler(404)
    @app.errorhandler(405)
    @app.errorhandler(500)
    def _voice_error(error: HTTPException) -> Response | tuple[str, int]:
        """Twilio never gets an error page: any failure on /voice answers the apology."""
        if request.path.startswith(VOICE_PREFIX):
            if error.code == 405:
                log.error(
                    "refused %s %s: configure the Twilio number's webhooks with HTTP POST",
                    request.method,
                    request.path,
                )
                return "method not allowed: Twilio webhooks use POST", 405
            if error.code == 500:
                log.error("unhandled failure on %s", request.path)
            return _twiml(line.apology(request.query_string.decode("latin-1")))
        return error.name.lower(), error.code or 500


def _call_pseudonym(line: Line, call: TwilioRequest) -> str:
    """How a log line names the call: its pseudonym, as the callback and SMS lines name it
    (never the CallSid, which Twilio's call log links to the caller's number)."""
    return line.callback_key(call.call_sid) or "(none)"
