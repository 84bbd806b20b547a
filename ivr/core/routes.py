"""The route table: every webhook of a call after the welcome, with all its properties in one
row. Pure.

A route names the webhook that answers next (``/voice/<route>``). Its row says which part of the
call flow answers it, what its ``s`` parameter holds (a stage of a menu or sub-dialogue, a
service of the tree, or nothing), and how the rest of the line treats it. Every field of a row
is required, so a new route cannot leave a property out; a test checks that every route has a
row.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ivr.core.errors import CallStateError

if TYPE_CHECKING:
    from ivr.core.actions import Turn
    from ivr.core.callback_flow import CallbackFlow
    from ivr.core.flow import CallFlow
    from ivr.core.sms_flow import SmsFlow
    from ivr.core.webhook import Webhook


class Route(enum.StrEnum):
    WELCOME = "welcome"  # a key during the welcome: 0 a person, any other the first question
    ANSWER = "answer"  # a reply to a question of the tree
    MENU = "menu"  # after an offering (stages: offer, restart)
    TRANSFER = "transfer"  # put through to a service, if open
    DIALED = "dialed"  # the outcome of a transfer
    RECOVER = "recover"  # after an apology
    CALLBACK = "callback"  # yes/no about a callback request (offer, offer_end, own, typed)
    NUMBER = "number"  # the number a caller types for a callback
    WHISPER = "whisper"  # the answering person's leg of a transfer, before the caller
    ACCEPT = "accept"  # the answering person's key after the whisper
    SMS = "sms"  # yes/no to the advice by text message (stage: what follows it)
    MOBILE = "mobile"  # the mobile number a caller types for that SMS (stage: what follows it)
    MOBILE_CHECK = "mobile_check"  # yes/no: is the typed mobile number right? (stage: the same)


class Stage(enum.StrEnum):
    OFFER = "offer"  # menu: put through?  callback: a "nee" goes on with the call
    RESTART = "restart"  # menu: start again?
    CALLBACK = "callback"  # sms: a callback offer follows (the service is closed)
    OFFER_END = "offer_end"  # callback: a "nee" ends the call
    OWN = "own"  # callback: is the caller's own number right?
    TYPED = "typed"  # callback: is the typed number right?
    GO_ON = "go_on"  # callback: stored; go on with the question the caller was at?


Handler = Callable[["CallFlow", "Webhook"], "Turn"]


@dataclass(frozen=True)
class RouteRow:
    handler: Handler  # the part of the call flow that answers this route
    stages: frozenset[Stage]  # the stages ``s`` may name (empty: no stage)
    service: bool  # ``s`` names a service of the tree (the flow checks that it exists)
    replied: bool  # the caller answers a prompt with a key or a word (not a typed number)
    at_node: bool  # the reply is about the node at the path: a question, an offering's menu
    staff: bool  # the answering person's leg of a transfer: not the caller's call
    personal: bool  # reads a caller's phone number back: its TwiML is never kept


def _callbacks(flow: CallFlow) -> CallbackFlow:
    if flow.callbacks is None:
        raise CallStateError("callback requests are not available on this line")
    return flow.callbacks


def _sms(flow: CallFlow) -> SmsFlow:
    if flow.sms is None:
        raise CallStateError("SMS is not configured on this line")
    return flow.sms


_NONE: frozenset[Stage] = frozenset()
_AFTER_SMS = frozenset({Stage.OFFER, Stage.CALLBACK, Stage.RESTART})  # what follows the SMS
ROUTES: dict[Route, RouteRow] = {
    Route.WELCOME: RouteRow(
        handler=lambda f, w: f.welcome_key(w.reply, w.now),
        stages=_NONE,
        service=False,
        replied=False,  # the key skips the welcome: not an answer, not a repeat
        at_node=False,
        staff=False,
        personal=False,
    ),
    Route.ANSWER: RouteRow(
        handler=lambda f, w: f.answer(w.step, w.reply, w.now, w.caller),
        stages=_NONE,
        service=False,
        replied=True,
        at_node=True,
        staff=False,
        personal=False,
    ),
    Route.MENU: RouteRow(
        handler=lambda f, w: f.menu(w.step, w.reply, w.now),
        stages=frozenset({Stage.OFFER, Stage.RESTART}),
        service=False,
        replied=True,
        at_node=True,
        staff=False,
        personal=False,
    ),
    Route.TRANSFER: RouteRow(
        handler=lambda f, w: f.transfers.transfer(w.step, w.now),
        stages=_NONE,
        service=True,
        replied=False,
        at_node=False,
        staff=False,
        personal=False,
    ),
    Route.DIALED: RouteRow(
        handler=lambda f, w: f.transfers.dialed(w.step, w.dial_status, w.bridged, w.now),
        stages=_NONE,
        service=True,
        replied=False,
        at_node=False,
        staff=False,
        personal=False,
    ),
    Route.RECOVER: RouteRow(
        handler=lambda f, w: f.recover(w.step, w.reply, w.now),
        stages=_NONE,
        service=False,
        replied=True,
        at_node=False,
        staff=False,
        personal=False,
    ),
    Route.CALLBACK: RouteRow(
        handler=lambda f, w: _callbacks(f).reply(w.step, w.reply, w.caller, w.now),
        stages=frozenset({Stage.OFFER, Stage.OFFER_END, Stage.OWN, Stage.TYPED, Stage.GO_ON}),
        service=False,
        replied=True,
        at_node=False,
        staff=False,
        personal=True,
    ),
    Route.NUMBER: RouteRow(
        handler=lambda f, w: _callbacks(f).number(w.step, w.digits, w.caller, w.now),
        stages=_NONE,
        service=False,
        replied=False,
        at_node=False,
        staff=False,
        personal=True,
    ),
    Route.WHISPER: RouteRow(
        handler=lambda f, w: f.transfers.whisper(w.step, w.language),
        stages=_NONE,
        service=True,
        replied=False,
        at_node=False,
        staff=True,
        personal=False,
    ),
    Route.ACCEPT: RouteRow(
        handler=lambda f, w: f.transfers.accept(w.digits),
        stages=_NONE,
        service=True,
        replied=False,
        at_node=False,
        staff=True,
        personal=False,
    ),
    Route.SMS: RouteRow(
        handler=lambda f, w: _sms(f).reply(w.step, w.reply, w.caller, w.now),
        stages=_AFTER_SMS,
        service=False,
        replied=True,
        at_node=False,
        staff=False,
        personal=False,
    ),
    Route.MOBILE: RouteRow(
        handler=lambda f, w: _sms(f).typed(w.step, w.digits, w.caller, w.now),
        stages=_AFTER_SMS,
        service=False,
        replied=False,
        at_node=False,
        staff=False,
        personal=True,
    ),
    Route.MOBILE_CHECK: RouteRow(
        handler=lambda f, w: _sms(f).check(w.step, w.reply, w.caller, w.now),
        stages=_AFTER_SMS,
        service=False,
        replied=True,
        at_node=False,
        staff=False,
        personal=True,
    ),
}
