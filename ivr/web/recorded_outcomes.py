"""Outcomes that only the outside world confirms, noted for the call's figures when it does.

A callback request counts once the store has committed it; an SMS once Twilio accepted it. The
wrappers sit between the call flow and the book or sender and note the outcome on the request
(``flask.g``); the webhook's mark carries it (``Line.answer``). So the figures never see the
book's key of the call, which sits next to a phone number.
"""

from __future__ import annotations

from flask import g, has_request_context

from ivr.core.callback_flow import CallbackBook, CallbackRequest
from ivr.core.sms_flow import Sender

CALLBACK, SMS = "callback", "sms"


def noted() -> frozenset[str]:
    """The outcomes confirmed while answering the current webhook."""
    return frozenset(g.get("ivr_outcomes", ())) if has_request_context() else frozenset()


def _note(outcome: str) -> None:
    """Never fails: the request or message it follows is already stored or sent."""
    if has_request_context():
        g.ivr_outcomes = {*g.get("ivr_outcomes", ()), outcome}


class RecordedBook:
    """A ``CallbackBook`` that notes a stored request for the figures."""

    def __init__(self, book: CallbackBook) -> None:
        self.book = book

    def hold(self, request: CallbackRequest) -> None:
        self.book.hold(request)

    def held(self, call_sid: str) -> CallbackRequest | None:
        return self.book.held(call_sid)

    def add(self, request: CallbackRequest) -> int:
        stored = self.book.add(request)
        _note(CALLBACK)
        return stored


class RecordedSender:
    """An SMS ``Sender`` that notes a message Twilio accepted, for the figures."""

    def __init__(self, sender: Sender) -> None:
        self.sender = sender

    def send(self, to: str, body: str, call_sid: str) -> str:
        sid = self.sender.send(to, body, call_sid)
        _note(SMS)
        return sid
