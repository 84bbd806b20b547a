"""One webhook as the call flow sees it, and the table that sends each route to its handler.

The web edge reads Twilio's form into an ``Event``; ``answer`` returns the turn. Pure, and the
same table drives the call explorer (``ivr.core.spoken_texts``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ivr.core.actions import Turn
from ivr.core.call_state import Route, Step
from ivr.core.callback_flow import CallbackFlow, Caller
from ivr.core.errors import CallStateError
from ivr.core.flow import CallFlow
from ivr.core.pace import adapt
from ivr.core.replies import Reply, classify
from ivr.core.sms_flow import SmsFlow

# Turns that read a caller's phone number back: their TwiML is never kept beyond the request.
PERSONAL = frozenset({Route.CALLBACK, Route.NUMBER})


@dataclass(frozen=True)
class Event:
    step: Step
    caller: Caller
    now: datetime
    digits: str = ""  # Twilio's Digits, stripped
    speech: str = ""  # Twilio's SpeechResult
    dial_status: str = ""  # DialCallStatus, after a transfer
    bridged: bool | None = None  # DialBridged, after a transfer

    @property
    def reply(self) -> Reply:
        return classify(self.digits, self.speech)


def _callbacks(flow: CallFlow) -> CallbackFlow:
    if flow.callbacks is None:
        raise CallStateError("callback requests are not available on this line")
    return flow.callbacks


def _sms(flow: CallFlow) -> SmsFlow:
    if flow.sms is None:
        raise CallStateError("SMS is not configured on this line")
    return flow.sms


Handler = Callable[[CallFlow, Event], Turn]
HANDLERS: dict[Route, Handler] = {
    Route.ANSWER: lambda f, e: f.answer(e.step, e.reply, e.now, e.caller),
    Route.MENU: lambda f, e: f.menu(e.step, e.reply, e.now),
    Route.TRANSFER: lambda f, e: f.transfer(e.step, e.now),
    Route.DIALED: lambda f, e: f.dialed(e.step, e.dial_status, e.bridged),
    Route.RECOVER: lambda f, e: f.recover(e.step, e.reply, e.now),
    Route.CALLBACK: lambda f, e: _callbacks(f).reply(e.step, e.reply, e.caller, e.now),
    Route.NUMBER: lambda f, e: _callbacks(f).number(e.step, e.digits, e.caller, e.now),
    Route.WHISPER: lambda f, e: f.whisper(e.step),
    Route.ACCEPT: lambda f, e: f.accept(e.digits),
    Route.SMS: lambda f, e: _sms(f).reply(e.step, e.reply, e.caller, e.now),
}


def answer(flow: CallFlow, event: Event) -> Turn:
    """The turn that answers a webhook, at the caller's pace (``ivr.core.pace``);
    CallStateError when its state does not fit the line."""
    return adapt(HANDLERS[event.step.route](flow, event), event.step, event.reply)
