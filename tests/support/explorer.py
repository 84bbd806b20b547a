"""Every text the line can speak, found by playing the call flow itself: the proof that
``ivr.core.spoken_texts`` lists exactly what the flow says (tests/test_spoken_texts.py).

The explorer starts where calls start (the welcome, the apology, the fallback), answers every
prompt with every kind of reply (each key, a wrong key, silence; typed numbers; each dial
outcome) through the same route table the webhooks use, and follows every step the turns lead
to, in a few worlds: each service open or closed, a caller with a mobile number or a withheld one,
storage and SMS working or failing. It answers about 235,000 webhooks: seconds, so it runs in
that one test only.

Left out, as ``ivr.core.spoken_texts`` leaves them out: texts that read a caller's own or typed
number back, and closed notices that say when a service opens again (they depend on the moment).
The line is explored with callbacks and SMS on, whatever the configuration says.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from ivr.core.actions import Ask, Connect, Continue, Keys, Say, Turn
from ivr.core.call_state import Route, Step
from ivr.core.callback_request import CallbackRequest, Caller
from ivr.core.errors import SmsError, StorageError
from ivr.core.flow import CallFlow
from ivr.core.hours import ServiceHours
from ivr.core.phone import parse_dutch_number
from ivr.core.sms_flow import SmsFlow
from ivr.core.webhook import Webhook, answer

MOBILE = "+31612345678"  # a caller whose own number is read back, and who may get an SMS
TYPED = "0201234567"  # a number a caller with a withheld number types
WITHHELD = "anonymous"
_SID = "CAexplorer"
_MOMENT = "\x00moment\x00"  # stands for when a service opens again
_NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)  # the explorer's opening hours ignore the moment
_LOGGING = ("flow", "callback_flow", "sms_flow")  # the modules that log a failure


def _not_explored(record: logging.LogRecord) -> bool:
    """A log filter: False for the explorer's own calls."""
    return _SID not in (record.args if isinstance(record.args, tuple) else ())


_REPLY_KEYS = ("1", "2", "3", "9", "8", "*", "0", "7", "")  # each reply, a wrong key, silence
_WEBHOOKS: dict[Route, tuple[dict[str, str | bool | None], ...]] = {
    Route.NUMBER: ({"digits": ""}, {"digits": "123"}, {"digits": TYPED}),
    Route.MOBILE: ({"digits": ""}, {"digits": "123"}, {"digits": TYPED}, {"digits": "0612345678"}),
    Route.ACCEPT: ({"digits": "1"}, {"digits": ""}),
    Route.DIALED: (
        {"dial_status": "completed"},
        {"dial_status": "completed", "bridged": False},
        {"dial_status": "no-answer"},
        {"dial_status": "busy"},
        {"dial_status": "failed"},
    ),
    Route.WHISPER: ({},),
    Route.TRANSFER: ({},),
}


@dataclass(frozen=True)
class _FixedHours:
    """A service's opening hours, open or closed at any moment."""

    hours: ServiceHours
    open: bool

    def is_open(self, moment: datetime) -> bool:
        return self.open

    def spoken(self) -> str:
        return self.hours.spoken()

    def reopens(self, moment: datetime) -> str | None:
        # "morgen om negen uur" depends on the moment: a placeholder, left out of the list
        return _MOMENT if self.hours.reopens(_NOW) is not None else None


@dataclass(frozen=True)
class _World:
    """Storage and SMS that always work, always fail, or (SMS) were used already."""

    fails: bool = False
    sms_used: bool = False

    def hold(self, request: CallbackRequest) -> None:
        self.add(request)

    def held(self, call_key: str) -> CallbackRequest | None:
        return CallbackRequest(call_key, parse_dutch_number(TYPED).e164, "-", "-", "-", _NOW)

    def add(self, request: CallbackRequest) -> int:
        if self.fails:
            raise StorageError("explorer: storage fails")
        return 1

    def claim_sms(self, call_key: str, now: datetime) -> bool:
        return not self.sms_used

    def release_sms(self, call_key: str) -> None:
        pass  # nothing was claimed: the world is frozen

    def send(self, to: str, body: str, call_key: str) -> str:
        if self.fails:
            raise SmsError("explorer: SMS fails")
        return "SM0"


def explored_texts(flow: CallFlow) -> tuple[str, ...]:
    """The distinct texts the line speaks in the explored calls, in the order first heard;
    without those that read a caller's number back or say when a service opens again."""
    texts: dict[str, None] = {}
    # The worlds fail on purpose; their log lines (and only theirs) are dropped.
    loggers = [logging.getLogger(f"ivr.core.{name}") for name in _LOGGING]
    for logger in loggers:
        logger.addFilter(_not_explored)
    try:
        for variant, caller in _worlds(flow):
            for turn in _turns(variant, caller):
                texts.update(dict.fromkeys(said_in(turn)))
    finally:
        for logger in loggers:
            logger.removeFilter(_not_explored)
    personal = (parse_dutch_number(MOBILE).spoken, parse_dutch_number(TYPED).spoken)
    left_out = (*personal, _MOMENT)
    return tuple(text for text in texts if not any(part in text for part in left_out))


def _worlds(flow: CallFlow) -> Iterator[tuple[CallFlow, Caller]]:
    services = tuple(flow.tree.services)
    mobile, withheld = Caller(_SID, MOBILE), Caller(_SID, WITHHELD)
    everything, nothing = frozenset(services), frozenset[str]()
    for open_now in (everything, nothing, *(frozenset({sid}) for sid in services)):
        yield _variant(flow, open_now, _World()), mobile
    yield _variant(flow, nothing, _World()), withheld  # a typed number
    yield _variant(flow, nothing, _World(fails=True)), mobile  # storage and SMS fail
    yield _variant(flow, everything, _World(sms_used=True)), mobile


def _variant(flow: CallFlow, open_now: frozenset[str], world: _World) -> CallFlow:
    hours = {sid: _FixedHours(found, sid in open_now) for sid, found in flow.opening_hours.items()}
    days = flow.callbacks.promise_days if flow.callbacks else 0
    variant = CallFlow(flow.tree, flow.say.prompts, hours, world, days)
    variant.sms = SmsFlow(flow.tree, variant.say, world, world, variant, keeper=variant.callbacks)
    return variant


def _turns(flow: CallFlow, caller: Caller) -> Iterator[Turn]:
    """Every distinct turn the flow gives in this world."""
    heard: set[Turn] = set()
    seen: set[Step] = set()
    todo: list[Step] = []
    for turn in (flow.welcome(), flow.apology(), flow.fallback()):
        yield turn
        todo += _next_steps(turn)
    while todo:
        step = todo.pop()
        if step in seen:
            continue
        seen.add(step)
        for fields in _WEBHOOKS.get(step.route) or ({"digits": key} for key in _REPLY_KEYS):
            # A CallStateError here is a bug: every step explored came from the flow itself.
            turn = answer(flow, Webhook(step, caller, _NOW, **fields))  # type: ignore[arg-type]
            if turn not in heard:  # a turn heard before says and leads to the same
                heard.add(turn)
                yield turn
                todo += (nxt for nxt in _next_steps(turn) if nxt not in seen)


def _next_steps(turn: Turn) -> Iterator[Step]:
    for action in turn:
        if isinstance(action, Ask | Keys | Continue):
            yield action.then
        elif isinstance(action, Connect):
            yield action.then
            if action.whisper is not None:
                yield action.whisper


def said_in(turn: Turn) -> Iterator[str]:
    """Every text a turn speaks, in order (inside prompts that wait for keys too)."""
    for action in turn:
        if isinstance(action, Say):
            yield action.text
        elif isinstance(action, Ask | Keys):
            yield from action.texts
