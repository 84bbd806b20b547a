"""spoken_texts() lists exactly what the call flow can say: proven by walking the flow, by hand
(every turn of every step) and by the explorer (every reply to every step it reaches)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from ivr.core.actions import Connect, Turn
from ivr.core.call_state import Route, Stage, Step
from ivr.core.callback_request import Caller as WhoCalls
from ivr.core.errors import StorageError
from ivr.core.flow import CallFlow
from ivr.core.replies import Reply
from ivr.core.spoken_texts import spoken_texts
from ivr.core.tree_model import Offering, Question
from tests.support.calls import CALL_SID
from tests.support.clock import CLOSED_TIME, OPEN_TIME
from tests.support.explorer import explored_texts, said_in
from tests.support.sms import SMS_ENV, FakeTwilioHttp
from tests.support.spoken import TEXTS, sentences


@pytest.fixture
def flow(make_app: Callable[..., Flask], twilio_http: FakeTwilioHttp) -> CallFlow:
    """The line's flow with everything on: callbacks and SMS in a real store, called directly
    (the line calls it under a deadline, in a thread: the same answers, slower), and an SMS
    sender that always works."""
    app = make_app(sms_http=twilio_http, **SMS_ENV)
    line: CallFlow = app.extensions["ivr_line"].flow
    assert line.callbacks is not None
    assert line.sms is not None
    store = app.extensions["ivr_store"]
    return CallFlow(
        line.tree,
        line.say.prompts,
        line.opening_hours,
        callback_storage=store,
        promise_days=line.callbacks.promise_days,
        sender=_Sent(),
        sms_storage=store,
    )


class _Sent:
    def send(self, to: str, body: str, call_key: str) -> str:
        return "SM0"


# Callers whose own or typed number is read back: those texts hold a number and are spoken with
# <Say>; they are left out of what is compared.
MOBILE = WhoCalls(CALL_SID, "+31612345678")
WITHHELD = WhoCalls(CALL_SID, "anonymous")
LANDLINE = WhoCalls("CAlandline", "+31201234567")  # types a mobile number for the SMS
DYNAMIC = ("nul zes, één twee, drie vier", "nul twee nul, één twee drie")


def _every_turn(flow: CallFlow) -> Iterator[Turn]:
    tree = flow.tree
    paths = {""} | {p[:i] for p in tree.paths() for i in range(len(p) + 1)}
    yield flow.welcome()
    yield flow.apology()
    yield flow.fallback()
    for now in (OPEN_TIME, CLOSED_TIME):
        for tries in ((0, 0), (1, 0), (0, 1), (2, 0), (0, 2)):
            for reply in Reply:
                yield flow.recover(Step(Route.RECOVER, "", *tries), reply, now)
        for path in sorted(paths):
            node = tree.node_at(path)
            for sid in tree.services:
                transfer = flow.transfers.transfer(Step(Route.TRANSFER, path, service=sid), now)
                yield transfer
                # the whisper of a screened service the call is put through to (the helpdesk
                # too, when the offering's service is closed)
                for action in transfer:
                    if isinstance(action, Connect) and action.whisper:
                        yield flow.transfers.whisper(action.whisper)
                for status in ("completed", "no-answer", "busy", "failed"):
                    dialed = Step(Route.DIALED, path, service=sid)
                    yield flow.transfers.dialed(dialed, status, None, now)
            for tries in ((0, 0), (1, 0), (0, 1), (2, 0), (0, 2)):
                yield from _callback_turns(flow, path, tries, now)
                for reply in Reply:
                    if isinstance(node, Question):
                        for who in (MOBILE, WITHHELD):
                            yield flow.answer(Step(Route.ANSWER, path, *tries), reply, now, who)
                    elif isinstance(node, Offering):
                        for digits in ("", "123", "0612345678"):  # the last is kept
                            typed = Step(Route.MOBILE, path, *tries, stage=Stage.OFFER)
                            yield flow.sms.typed(typed, digits, LANDLINE, now)
                        for stage in (Stage.OFFER, Stage.RESTART):
                            yield flow.menu(Step(Route.MENU, path, *tries, stage=stage), reply, now)
                            sms = Step(Route.SMS, path, *tries, stage=stage)
                            for who in (MOBILE, WITHHELD):
                                yield flow.sms.reply(sms, reply, who, now)
                            check = Step(Route.MOBILE_CHECK, path, *tries, stage=stage)
                            yield flow.sms.check(check, reply, LANDLINE, now)


def _callback_turns(flow: CallFlow, path: str, tries: tuple[int, int], now) -> Iterator[Turn]:
    callbacks = flow.callbacks
    for who in (MOBILE, WITHHELD):
        for digits in ("", "123", "0201234567"):
            yield callbacks.number(Step(Route.NUMBER, path, *tries), digits, who, now)
        for stage in (Stage.OFFER, Stage.OFFER_END, Stage.OWN, Stage.TYPED, Stage.GO_ON):
            for reply in Reply:
                yield callbacks.reply(
                    Step(Route.CALLBACK, path, *tries, stage=stage), reply, who, now
                )


def test_spoken_texts_are_exactly_what_the_flow_says(flow: CallFlow) -> None:
    said = {text for turn in _every_turn(flow) for text in said_in(turn)}
    dynamic = {text for text in said if any(number in text for number in DYNAMIC)}
    # read back: the caller's own number, a typed number, a typed mobile number (for the SMS)
    assert len(dynamic) == 3
    # when a service opens again depends on the moment: spoken with <Say>
    reopens = {text for text in said if text.endswith("weer bellen.")}
    assert reopens == {"Het Sociaal loket is nu gesloten. U kunt morgen om negen uur weer bellen."}
    dynamic |= reopens
    listed = spoken_texts(flow)
    assert set(listed) == said - dynamic
    assert len(listed) == len(set(listed)) == TEXTS


def test_spoken_texts_are_exactly_what_the_explorer_hears(
    flow: CallFlow, caplog: pytest.LogCaptureFixture
) -> None:
    """The only test that runs the explorer (seconds): the two lists hold the same texts."""
    explored = explored_texts(flow)  # its worlds fail on purpose
    listed = spoken_texts(flow)
    assert sorted(listed) == sorted(explored)
    assert len(set(listed)) == len(listed) == TEXTS
    # the explorer drops only its own log lines
    callbacks = flow.callbacks
    assert callbacks is not None
    failing = WhoCalls("CAreal", "+31612345678")
    with caplog.at_level("ERROR"):
        callbacks._failed(failing, StorageError("disk full"))
    assert [r.getMessage() for r in caplog.records] == [
        "callback request for call CAreal not stored: disk full"
    ]


def test_every_sentence_the_line_speaks_has_at_most_15_words(flow: CallFlow) -> None:
    """B1: the prompts as well as the tree (a number in words counts word by word, so a
    number gets a sentence of its own where the service's name and hours come first)."""
    long = {
        sentence
        for text in spoken_texts(flow)
        for sentence in sentences(text)
        if len(sentence.split()) > 15
    }
    assert long == set()
