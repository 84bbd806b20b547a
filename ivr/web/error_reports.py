"""Errors to Sentry when SENTRY_DSN is set: unhandled exceptions (sentry-sdk's Flask integration)
and every log line at ERROR, with phone numbers and CallSids scrubbed before anything leaves.

Scrubbed everywhere in an event and in every breadcrumb: its message, exception values, log
lines, request data, query string, headers. No personal data by default (``send_default_pii``
off: Sentry's own scrubber removes cookies and the like), no local variables of the stack
frames (they may hold a caller's number). Sending never slows a webhook: Sentry's transport
queues an event and sends it from its own thread (a full queue drops events); at exit it waits
``SHUTDOWN_SECONDS`` at most for what is queued.
"""

from __future__ import annotations

import re
from typing import Any

import sentry_sdk
from flask import Flask
from sentry_sdk.integrations.flask import FlaskIntegration
from sentry_sdk.transport import Transport

SHUTDOWN_SECONDS = 2.0
PHONE_NUMBER = "[phone number]"
# A number given internationally: "+", or "%2B" in a URL, or "00", then 8 to 15 digits with
# single spaces, dots or hyphens between them (+31612345678, %2B31612345678, +31 6 1234 5678).
_INTERNATIONAL = r"(?:\+|%2[bB]|(?<![\w.])00)\d(?:[ .\-]?\d){7,14}(?!\d)"
# A Dutch number written nationally: ten digits from a 0, with up to two separators between
# them (06-12345678, 020 886 8800, (020) 886 8800, 0612345678); or 31 and nine digits.
_NATIONAL = r"(?<![\w+.%])\(?0\d(?:[ .\-()]{0,2}\d){8}(?!\d)|(?<![\w+.%])31\d{9}(?!\d)"
_PHONE = re.compile(f"{_INTERNATIONAL}|{_NATIONAL}")
# Twilio's ids of a call and of a message: each leads, in Twilio's logs, to a phone number.
_SIDS = ((re.compile(r"\bCA[0-9a-fA-F]{32}\b"), "[CallSid]"),
         (re.compile(r"\b(?:SM|MM)[0-9a-fA-F]{32}\b"), "[MessageSid]"))  # fmt: skip


def scrub_text(text: str) -> str:
    """``text`` with every phone number and call or message id replaced by a placeholder."""
    for pattern, placeholder in _SIDS:
        text = pattern.sub(placeholder, text)
    return _PHONE.sub(PHONE_NUMBER, text)


def scrubbed(value: Any) -> Any:
    """Every string in a Sentry event or breadcrumb (nested dicts, lists, tuples) scrubbed."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: scrubbed(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrubbed(item) for item in value]
    return value


def before_send(event: dict[str, Any], _hint: dict[str, Any]) -> dict[str, Any]:
    return scrubbed(event)


def before_breadcrumb(crumb: dict[str, Any], _hint: dict[str, Any]) -> dict[str, Any]:
    return scrubbed(crumb)


def init_app(app: Flask, dsn: str | None, transport: Transport | None = None) -> None:
    """Start Sentry for this process when ``dsn`` is set (``transport``: tests keep the
    envelopes); the one place Sentry is set up. Once per process: Sentry's client is the
    process's, and its Flask integration reports every app of it, so an app made when Sentry
    is already set up uses that."""
    if dsn is None:
        return
    if not sentry_sdk.is_initialized():
        _start(dsn, transport)
    app.extensions["ivr_sentry"] = sentry_sdk.get_client()


def _start(dsn: str, transport: Transport | None) -> None:
    sentry_sdk.init(
        dsn=dsn,
        integrations=[FlaskIntegration()],
        # send_default_pii stays unset, which is off: no user, cookies or IP address (setting
        # it at all is deprecated in sentry-sdk 2.76, for data_collection)
        include_local_variables=False,
        before_send=before_send,  # type: ignore[arg-type]
        before_breadcrumb=before_breadcrumb,  # type: ignore[arg-type]
        shutdown_timeout=SHUTDOWN_SECONDS,
        transport=transport,
    )
