"""The Flask adapter: Twilio's voice webhooks in, TwiML out. Never an error page to Twilio."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Blueprint, Flask, Response, current_app, request
from twilio.twiml.voice_response import VoiceResponse
from werkzeug.exceptions import HTTPException

from ivr.core.call_marks import Kind, Mark
from ivr.core.callback_flow import Caller
from ivr.core.errors import CallStateError
from ivr.core.webhook import Event
from ivr.web.line import VOICE_PREFIX, Line
from ivr.web.prepared_webhooks import PreparedWebhooks
from ivr.web.signature import SignatureCheck
from ivr.web.twilio_request import caller_reply, param, params
from ivr.web.twiml import TWIML_TYPE

log = logging.getLogger(__name__)
bp = Blueprint("voice", __name__, url_prefix=VOICE_PREFIX)
METHODS = ["POST"]  # Twilio's webhooks are configured with HTTP POST (README); GET: 405
_BRIDGED = {"true": True, "false": False}
# Twilio's CallStatus values of a call that is over (status callback).
ENDED = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})
EMPTY_TWIML = str(VoiceResponse()).encode()


def _line() -> Line:
    line: Line = current_app.extensions["ivr_line"]
    return line


def _twiml(body: bytes) -> Response:
    return Response(body, content_type=TWIML_TYPE)


@bp.before_request
def _check_signature() -> None:
    if request.endpoint == "voice.fallback":
        return  # answers whatever the signature: checked and logged there
    check: SignatureCheck = current_app.extensions["ivr_signature"]
    check.require()


def _answering(handler: Callable[[Line], bytes]) -> Response:
    """Run a webhook; any failure still answers with the Dutch apology and a way on."""
    line = _line()
    try:
        return _twiml(handler(line))
    except CallStateError as exc:
        log.warning("webhook %s for call %s: %s", request.path, _call_sid(), exc)
        return _twiml(line.apology_twiml)
    except Exception:
        # Logged with the CallSid only: never the caller's phone number.
        log.exception("webhook %s failed for call %s", request.path, _call_sid())
        return _twiml(line.apology_twiml)


@bp.route("", methods=METHODS)
def incoming() -> Response:
    return _answering(lambda line: line.greet(param("CallSid")))


@bp.route("/status", methods=METHODS)
def status() -> Response:
    """Twilio's call status callback: the call is over (its duration), for the figures only."""
    line = _line()
    form = params()
    status = form.first("CallStatus")
    # Only the caller's own call: a transfer's leg has a ParentCallSid.
    if status in ENDED and not form.first("ParentCallSid"):
        duration = form.first("CallDuration")
        seconds = int(duration) if duration.isascii() and duration.isdigit() else None
        line.note(
            line.call_key(form.first("CallSid")), Mark(Kind.END, reply=status, seconds=seconds)
        )
    return _twiml(EMPTY_TWIML)


@bp.route("/fallback", methods=["GET", "POST"])
def fallback() -> Response:
    """The fixed apology with the helpdesk number: nothing in it needs protecting, and when
    Twilio needs it the configuration may be what failed, so it answers even unsigned."""
    check: SignatureCheck = current_app.extensions["ivr_signature"]
    if not check.is_valid(request):
        log.error(
            "FALLBACK ANSWERED WITHOUT A VALID SIGNATURE (call %s): if this was Twilio, "
            "/voice refuses its requests too; fix the signature settings",
            _call_sid(),
        )
        check.explain(request)
    log.error(
        "Twilio used the fallback URL for call %s (ErrorCode %s)",
        _call_sid(),
        param("ErrorCode"),
    )
    return _twiml(_line().fallback_twiml)


@bp.route("/<route>", methods=METHODS)
def step(route: str) -> Response:
    def handle(line: Line) -> bytes:
        form = params()
        state = line.step_of(route, request.environ.get("QUERY_STRING", ""))
        reply, spoken = caller_reply(form)
        call_sid = form.first("CallSid")

        def event() -> Event:  # made only when the answer is not prepared
            return Event(
                state,
                Caller(line.book_key(call_sid), form.first("From")),
                line.clock(),
                digits=form.first("Digits").strip(),
                speech=form.first("SpeechResult"),
                dial_status=form.first("DialCallStatus"),
                bridged=_BRIDGED.get(form.first("DialBridged")),
            )

        return line.answer(state, reply, spoken, call_sid, event)

    return _answering(handle)


def init_app(app: Flask, line: Line) -> None:
    app.extensions["ivr_line"] = line
    app.register_blueprint(bp)
    # The kept answers are served before Flask's request handling; everything else reaches
    # the views above (ivr.web.prepared_webhooks).
    app.wsgi_app = PreparedWebhooks(app.wsgi_app, line, app.extensions["ivr_signature"])  # type: ignore[method-assign]

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
                log.error("unhandled failure on %s for call %s", request.path, _call_sid())
            return _twiml(line.apology_twiml)
        return error.name.lower(), error.code or 500


def _call_sid() -> str:
    return param("CallSid") or "(none)"
