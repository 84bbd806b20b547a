"""The web phone's JSON API: each of the caller's moves, answered by the call driver.

``POST /phone/api/start`` (caller, moment, path, language: "" to choose at the welcome, or a
language's code to call its number), ``/key`` (a key), ``/silence`` (the Gather's
timeout ran out), ``/dial`` (how a transfer went). Each answer lists what the line said, the
TwiML it sent, the text messages it would have sent, what it waits for now, and the call's
state, signed: the page sends that state back with its next move.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue
from itsdangerous import BadSignature, URLSafeSerializer

from ivr.core.content_files import version_number
from ivr.core.errors import CallStateError
from ivr.core.hours import AMSTERDAM
from ivr.core.phone import parse_dutch_number
from ivr.web.tools.call_driver import CallDriver
from ivr.web.tools.emulated_call import CALLERS, CallState, Progress
from ivr.web.tools.phone import bp, try_line

SALT = "ivr-web-phone-call"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def _state(body: dict[str, Any]) -> CallState:
    try:
        return CallState.from_dict(_signer().loads(str(body.get("state", ""))))
    except (BadSignature, TypeError, KeyError, ValueError) as exc:  # ValueError: not UTF-8
        raise CallStateError("the call's state is missing or was changed") from exc


def _moment(raw: str) -> datetime | None:
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=AMSTERDAM)
    except ValueError as exc:
        raise CallStateError(f"{raw!r} is not a moment like 2026-11-23T10:00") from exc


def _version(raw: str) -> int | None:
    """The content version to call (an editor's draft, ``/phone?v=<id>``); None: the newest."""
    if not raw:
        return None
    found = version_number(raw)
    if found is None:
        raise CallStateError(f"{raw[:20]!r} is not a content version's id")
    return found


def _callback(sid: str) -> dict[str, str] | None:
    """The callback request this call left: shown, never on the helpdesk's worklist."""
    found = try_line().callback_of(sid)
    if found is None:
        return None
    return {"phone": parse_dutch_number(found.phone).written, "reached": found.reached}


def _answer(progress: Progress, names: dict[str, str], sid: str) -> ResponseReturnValue:
    state = progress.state
    wait = state.wait if state else None
    waiting = None
    if wait is not None:
        waiting = {
            "kind": wait.kind,
            "timeout": wait.timeout,
            "digits": state.digits if state else "",
            "service": names.get(wait.service, wait.service),
            "number": wait.number,
            "whisper": list(wait.whisper),
        }
    return jsonify(
        heard=[
            {"kind": h.kind, "text": h.text, "url": h.url, "language": h.language}
            for h in progress.heard
        ],
        twiml=[{"url": url, "xml": xml} for url, xml in progress.twiml],
        sms=progress.sms,
        wait=waiting,
        ended=progress.ended,
        callback=_callback(sid),
        state=_signer().dumps(state.to_dict()) if state else None,
    )


def _move(how: str, body: dict[str, Any], driver: CallDriver) -> tuple[Progress, str]:
    """The move's progress, and the call's SID (also when the move ended the call)."""
    if how == "start":
        caller = CALLERS.get(str(body.get("caller", "")))
        if caller is None:
            raise CallStateError("choose a caller: " + ", ".join(CALLERS))
        moment = _moment(str(body.get("moment", "")))
        language = str(body.get("language", ""))
        numbers = try_line().numbers
        if language and language not in numbers:
            raise CallStateError("choose a language: " + ", ".join(numbers))
        path = str(body.get("path", ""))
        version = _version(str(body.get("version", "")))
        if language:
            started = driver.start(caller, moment, path, numbers[language], language, version)
        else:
            started = driver.start(caller, moment, path, version=version)
        return started, started.state.sid if started.state else ""
    state = _state(body)
    if how == "key":
        return driver.press(state, str(body.get("key", ""))), state.sid
    if how == "silence":
        return driver.silence(state), state.sid
    return driver.dial_outcome(state, str(body.get("outcome", ""))), state.sid


@bp.post("/api/<any(start, key, silence, dial):how>")
def api(how: str) -> ResponseReturnValue:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify(error="send a JSON object"), 400
    line = try_line()
    names = line.service_names()
    try:
        with line.driver() as driver:
            progress, sid = _move(how, body, driver)
    except CallStateError as exc:
        return jsonify(error=str(exc)), 400
    return _answer(progress, names, sid)
