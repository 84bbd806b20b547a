"""Call events: what one webhook tells about a call, for Markant's call figures. Pure.

A call is known only by ``call_key``: a keyed hash of Twilio's CallSid (the raw CallSid can be
looked up at Twilio, with the caller's number). The figures and the callback store use two
different pseudonyms of the same call (``FIGURES``, ``CALLBACKS``), so no column joins a callback
request, which holds a phone number, to the call's figures; their times still link them (see
docs/operators.md, "What is stored"), and whoever holds the key and a CallSid computes both. An
event holds node ids of the tree, the
kind of reply and how it was given, never a number, a spoken word or anything derived from the
caller. ``ivr.core.call_counts`` folds a call's events into one journey and counts journeys.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any, Protocol

from ivr.core.actions import Ask, Confirmed, Connect, Continue, Hangup, Keys, Outcome, Turn
from ivr.core.call_state import MAX_TRIES, Step
from ivr.core.language import SOURCE
from ivr.core.replies import Reply
from ivr.core.routes import ROUTES, Route
from ivr.core.tree_model import Offering, Tree
from ivr.core.twilio_words import BRIDGED, DIAL_STATUSES, DialStatus

KEY_LENGTH = 32  # hex digits of HMAC-SHA256: 128 bits, no two calls alike
DIAL_OUTCOMES = DIAL_STATUSES - BRIDGED  # a transfer that reached nobody


class EventKind(enum.StrEnum):
    START = "start"  # the welcome (/voice)
    REPLY = "reply"  # any webhook of the call after the welcome
    END = "end"  # Twilio's status callback: the call is over


@dataclass(frozen=True)
class CallEvent:
    kind: EventKind
    asked: str = ""  # the node the reply was given at (a question or an offering's menu)
    reply: str = ""  # a Reply's name (``help``, ``silence`` …); the call status for END
    mode: str = ""  # ``dtmf`` or ``speech``: how the reply was given ("" for none)
    node: str = ""  # the node the caller is at after this turn
    path: str = ""  # the answers so far (``jn``…)
    offering: bool = False  # ``node`` is an offering the caller heard
    transfer: str = ""  # the service this turn puts the caller through to
    dialed: str = ""  # a transfer's outcome: connected, declined, busy, no-answer, failed …
    service: str = ""  # the service of that outcome
    ended: bool = False  # this turn ends the call (a goodbye)
    gave_up: bool = False  # the third silence or wrong key at a prompt
    callback: bool = False  # a callback request was stored in this webhook
    sms: bool = False  # the advice went out by SMS in this webhook
    seconds: int | None = None  # END: the call's duration (Twilio's CallDuration)
    language: str = ""  # the code of the language the call is in, when not Dutch ("en")

    def to_json(self) -> dict[str, Any]:
        """The fields that are set (a stored event is small). Field by field, not
        ``dataclasses.asdict``: every field is a plain value, and asdict's deep copy is costly."""
        return {k: v for k in _FIELDS if (v := getattr(self, k)) not in ("", False, None)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CallEvent:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**{**known, "kind": EventKind(data["kind"])})


_FIELDS = tuple(f.name for f in fields(CallEvent))
# (call_key, at, event): an event under its call's pseudonym, as queued, stored and folded.
KeyedEvent = tuple[str, datetime, CallEvent]


class EventSink(Protocol):
    """Where call events go (``ivr.web.event_queue.EventQueue``); it must never fail or slow a
    call."""

    def add(self, call_key: str, at: datetime, event: CallEvent) -> None: ...


# The two purposes of a call's pseudonym: its call figures, and its callback request and SMS
# record. The values are hashed into every pseudonym already stored: they never change ("book"
# is the callback store's old name).
FIGURES, CALLBACKS = "figures", "book"


def call_key(secret: bytes, call_sid: str, purpose: str = FIGURES) -> str:
    """The pseudonym of a call for one purpose: HMAC-SHA256 of its CallSid under the line's
    key. The same call has unrelated keys for different purposes."""
    message = f"{purpose}:{call_sid}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:KEY_LENGTH]


def start_event(tree: Tree) -> CallEvent:
    """The event of the welcome (``/voice``)."""
    return CallEvent(EventKind.START, node=tree.start)


def in_language(event: CallEvent, code: str) -> CallEvent:
    """A call event of a call in ``code``: Dutch events name no language."""
    return event if code == SOURCE else replace(event, language=code)


def dial_outcome(status: str, bridged: bool | None) -> str:
    """Twilio's ``DialCallStatus`` and ``DialBridged`` as one outcome."""
    if status in BRIDGED:
        return "declined" if bridged is False else "connected"
    return status if status in DIAL_OUTCOMES else DialStatus.NO_ANSWER


def event_of(
    tree: Tree,
    step: Step,
    reply: Reply,
    spoken: bool,
    turn: Turn,
    dial_status: str = "",
    bridged: bool | None = None,
) -> CallEvent | None:
    """The call event of a webhook: where the caller replied, how, and where the turn takes them.

    None for the answering person's leg of a transfer. ``dial_status`` and ``bridged``:
    Twilio's ``DialCallStatus`` and ``DialBridged``, read on the ``dialed`` route only.
    """
    row = ROUTES[step.route]
    if row.staff:
        return None
    at = tree.node_at(step.path) if row.at_node else None
    asked = at.id if at is not None else ""
    path = step.path
    transfer, ended = "", False
    confirmed: set[Outcome] = set()
    for action in turn:
        match action:
            case Ask(then=then) | Keys(then=then) | Continue(then=then):
                path = then.path
            case Connect(service=service, then=then):
                path, transfer = then.path, service
            case Hangup():
                ended = True
            case Confirmed(outcome=outcome):
                confirmed.add(outcome)
    here = tree.node_at(path)
    answered = row.replied
    missed = answered and reply in (Reply.SILENCE, Reply.UNKNOWN)
    gave_up = missed and _last_try(step, reply is Reply.SILENCE)
    return CallEvent(
        EventKind.REPLY,
        asked=asked,
        reply=reply.name.lower() if answered else "",
        mode=("speech" if spoken else "dtmf") if answered and reply is not Reply.SILENCE else "",
        node=here.id if here is not None else asked,
        path=path,
        offering=isinstance(here, Offering),
        transfer=transfer,
        dialed=dial_outcome(dial_status, bridged) if step.route is Route.DIALED else "",
        service=step.service if step.route is Route.DIALED else "",
        ended=ended,
        gave_up=gave_up,
        callback=Outcome.CALLBACK in confirmed,
        sms=Outcome.SMS in confirmed,
    )


def _last_try(step: Step, silent: bool) -> bool:
    return (step.noinput if silent else step.nomatch) + 1 >= MAX_TRIES
