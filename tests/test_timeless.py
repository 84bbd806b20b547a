"""Timeless answers (``ivr.core.timeless``) are prepared once and served as kept bytes: the rule
is checked against the flow itself at other times and for other callers, over the whole tree."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime

import pytest
from flask import Flask

from ivr.core.call_marks import Kind, Mark
from ivr.core.call_state import Route, Stage, Step
from ivr.core.callback_flow import Caller as CallingNumber
from ivr.core.flow import CallFlow
from ivr.core.hours import AMSTERDAM
from ivr.core.replies import Reply
from ivr.core.timeless import timeless
from ivr.core.tree_model import Offering, Question, Tree
from ivr.core.webhook import Event, answer
from ivr.web import line as line_module
from ivr.web.line import Line
from tests.conftest import (
    CALL_SID,
    CLOSED_TIME,
    OPEN_TIME,
    SMS_ENV,
    Caller,
    Clock,
    FakeTwilioHttp,
)

KEY_OF = {
    Reply.YES: "1",
    Reply.NO: "2",
    Reply.HELP: "3",
    Reply.REPEAT: "9",
    Reply.BACK: "*",
    Reply.OPERATOR: "0",
    Reply.SILENCE: "",
    Reply.UNKNOWN: "7",
}
MOMENTS = (OPEN_TIME, CLOSED_TIME, datetime(2026, 12, 25, 11, 0, tzinfo=AMSTERDAM))
CALLERS = (
    CallingNumber("CA1", "+31612345678"),  # a mobile: offered the advice by SMS
    CallingNumber("CA2", "+31201234567"),
    CallingNumber("CA3", ""),  # withheld
)
COUNTS = ((0, 0), (1, 0), (2, 0), (0, 1), (0, 2), (1, 1))


@pytest.fixture
def sms_app(make_app: Callable[..., Flask], twilio_http: FakeTwilioHttp) -> Flask:
    return make_app(sms_http=twilio_http, **SMS_ENV)


def steps(tree: Tree) -> Iterator[Step]:
    """Every step a webhook can carry in this tree, with every count and pace."""
    paths = {p[:i] for p in tree.paths() for i in range(len(p) + 1)}
    for path, (ni, nm), r in itertools.product(sorted(paths), COUNTS, range(3)):
        node = tree.node_at(path)
        if isinstance(node, Question):
            yield Step(Route.ANSWER, path, ni, nm, repeats=r)
        if isinstance(node, Offering):
            for stage in (Stage.OFFER, Stage.RESTART):
                yield Step(Route.MENU, path, ni, nm, stage=stage, repeats=r)
        if not path:
            yield Step(Route.RECOVER, "", ni, nm, repeats=r)


def answers(flow: CallFlow, step: Step, reply: Reply) -> set[object]:
    return {
        answer(flow, Event(step, caller, now, digits=KEY_OF[reply]))
        for now, caller in itertools.product(MOMENTS, CALLERS)
    }


def test_every_timeless_answer_is_the_same_at_any_time_for_any_caller(sms_app: Flask) -> None:
    flow = sms_app.extensions["ivr_line"].flow
    assert flow.sms is not None and flow.callbacks is not None  # both can change answers
    every = list(steps(flow.tree))
    kept = set()
    for step, reply in itertools.product(every, Reply):
        if timeless(flow.tree, step, reply):
            kept.add(step)
            assert len(answers(flow, step, reply)) == 1, (step, reply)
    assert kept == set(every)  # at least 3 ("weet ik niet") is prepared everywhere


@pytest.mark.parametrize(
    ("step", "reply", "expected"),
    [
        (Step(Route.ANSWER, ""), Reply.NO, True),  # "nee" at the first question: a question
        (Step(Route.ANSWER, ""), Reply.YES, False),  # "ja": the crisis advice (desk hours)
        (Step(Route.ANSWER, "n"), Reply.HELP, True),
        (Step(Route.ANSWER, "n"), Reply.OPERATOR, False),
        (Step(Route.ANSWER, "n", noinput=1), Reply.SILENCE, True),
        (Step(Route.ANSWER, "n", noinput=2), Reply.SILENCE, False),  # the last try
        (Step(Route.ANSWER, "n", nomatch=2), Reply.UNKNOWN, False),
        (Step(Route.ANSWER, "j"), Reply.NO, False),  # "j" is an offering, not a question
        (Step(Route.MENU, "j", stage=Stage.OFFER), Reply.NO, True),
        (Step(Route.MENU, "j", stage=Stage.OFFER), Reply.YES, False),  # a transfer
        (Step(Route.MENU, "j", stage=Stage.RESTART), Reply.YES, True),
        (Step(Route.MENU, "j", stage=Stage.RESTART), Reply.REPEAT, False),  # the offering again
        (Step(Route.MENU, "n", stage=Stage.RESTART), Reply.NO, False),  # "n" is a question
        (Step(Route.RECOVER), Reply.YES, True),
        (Step(Route.RECOVER), Reply.OPERATOR, False),
        (Step(Route.CALLBACK, "j", stage=Stage.OWN), Reply.YES, False),  # storage, a number
        (Step(Route.SMS, "j", stage=Stage.OFFER), Reply.YES, False),
        (Step(Route.TRANSFER, "j", service="markant"), Reply.SILENCE, False),
    ],
    ids=lambda v: v.value if isinstance(v, Reply) else str(v),
)
def test_the_rule_route_by_route(app: Flask, step: Step, reply: Reply, expected: bool) -> None:
    assert timeless(app.extensions["ivr_line"].flow.tree, step, reply) is expected


def test_a_prepared_answer_is_kept_whole_and_the_others_are_not(
    app: Flask, caller: Caller, clock: Clock
) -> None:
    line: Line = app.extensions["ivr_line"]
    at_question = caller.post("/voice/answer?p=", Digits="2")
    key = (Step(Route.ANSWER, ""), Reply.NO, False)  # False: a key, not words
    assert list(line._prepared) == [key]
    assert line._prepared[key].body == at_question.xml.encode()
    clock.now = CLOSED_TIME  # the same request now: the same prepared bytes
    assert caller.post("/voice/answer?p=", Digits="2").xml == at_question.xml
    closed = caller.post("/voice/answer?p=", Digits="1").xml  # the crisis advice, closed
    clock.now = OPEN_TIME
    assert caller.post("/voice/answer?p=", Digits="1").xml != closed
    assert list(line._prepared) == [key]


def test_a_spoken_answer_shares_the_prepared_answer_of_its_key(caller: Caller) -> None:
    keyed = caller.post("/voice/answer?p=", Digits="2").xml
    assert caller.post("/voice/answer?p=", SpeechResult="Nee hoor, één keer.").xml == keyed


def test_the_prepared_answers_are_bounded(
    app: Flask, caller: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(line_module, "PREPARED_LIMIT", 2)
    for digits in ("2", "3", "9", "*"):
        assert caller.post("/voice/answer?p=", Digits=digits).status == 200
    assert len(app.extensions["ivr_line"]._prepared) == 2


@dataclass
class Marks:
    noted: list[tuple[str, Mark]] = field(default_factory=list)

    def note(self, call_key: str, at: datetime, mark: Mark) -> None:
        self.noted.append((call_key, mark))


def test_a_prepared_answer_still_notes_its_call_mark_every_time(app: Flask, caller: Caller) -> None:
    line: Line = app.extensions["ivr_line"]
    line.recorder = marks = Marks()
    for _ in range(2):
        caller.post("/voice/answer?p=", Digits="2")
    caller.post("/voice/answer?p=", SpeechResult="nee")
    key, tree = line.call_key(CALL_SID), line.flow.tree
    after = tree.node_at("n")
    assert after is not None
    keyed = Mark(Kind.REPLY, asked=tree.start, reply="no", mode="dtmf", node=after.id, path="n")
    spoken = replace(keyed, mode="speech")
    assert marks.noted == [(key, keyed), (key, keyed), (key, spoken)]
    assert len(line._prepared) == 2
