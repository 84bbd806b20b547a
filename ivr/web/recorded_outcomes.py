"""Outcomes that only the outside world confirms, marked when it does.

A callback request counts once the store has committed it; an SMS once Twilio accepted it. The
wrappers sit between the call flow and the book or sender, so the flow stays as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ivr.core.call_marks import Kind, Mark, MarkSink
from ivr.core.callback_flow import CallbackBook, CallbackRequest
from ivr.core.sms_flow import Sender

Clock = Callable[[], datetime]


class RecordedBook:
    """A ``CallbackBook`` that marks the call once its request is stored."""

    def __init__(self, book: CallbackBook, sink: MarkSink, clock: Clock) -> None:
        self.book = book
        self.sink = sink
        self.clock = clock

    def hold(self, request: CallbackRequest) -> None:
        self.book.hold(request)

    def held(self, call_sid: str) -> CallbackRequest | None:
        return self.book.held(call_sid)

    def add(self, request: CallbackRequest) -> int:
        stored = self.book.add(request)
        self.sink.note(request.call_sid, self.clock(), Mark(Kind.CALLBACK))
        return stored


class RecordedSender:
    """An SMS ``Sender`` that marks the call once Twilio accepted the message."""

    def __init__(self, sender: Sender, sink: MarkSink, clock: Clock) -> None:
        self.sender = sender
        self.sink = sink
        self.clock = clock

    def send(self, to: str, body: str, call_sid: str) -> str:
        sid = self.sender.send(to, body, call_sid)
        self.sink.note(call_sid, self.clock(), Mark(Kind.SMS))
        return sid
