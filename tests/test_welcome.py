"""The welcome (issue 23): in a Gather of its own, then the first question in its own Gather.

A key during the welcome skips to the first question without counting as its answer; 0 asks
for a person, as 0 does at a question. A silent caller hears the first question one second
after the welcome, with no webhook in between.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from ivr.core.call_events import event_of
from ivr.core.call_state import Route, Step
from ivr.core.flow import WELCOME_TIMEOUT
from ivr.core.replies import Reply
from tests.support.calls import Caller
from tests.support.clock import CLOSED_TIME, Clock

# Exact, as the caller hears them: 112 first, then how to answer; the other keys after the
# first question's text.
WELCOME = (
    "Welkom bij de Mantelzorglijn. Bij direct gevaar: bel één één twee. "
    "Toets één voor ja, twee voor nee."
)
KEYS = (
    "U mag ook ja of nee zeggen. Weet u het niet? Toets drie. Toets negen om te herhalen. "
    "Toets sterretje om terug te gaan. Toets nul voor een medewerker."
)
SAY = '<Say language="nl-NL" voice="Polly.Lotte">'
HINTS = "ja, nee, ja hoor, nee dank u, weet ik niet, herhaal, terug, medewerker"
QUESTION_GATHER = (
    '<Gather action="/voice/answer?p=" finishOnKey="" hints="' + HINTS + '" '
    'input="dtmf speech" language="nl-NL" method="POST" numDigits="1" speechTimeout="2" '
    'timeout="8">'
)
REDIRECT = '<Redirect method="POST">/voice/answer?p=</Redirect>'
XML = '<?xml version="1.0" encoding="UTF-8"?>'


def _first_question(app: Flask) -> str:
    tree = app.extensions["ivr_line"].flow.tree
    return tree.nodes[tree.start].text


def test_the_welcome_waits_one_second_for_a_key_then_the_first_question_follows(
    app: Flask, caller: Caller
) -> None:
    reply = caller.post("/voice", CallStatus="ringing")
    assert (reply.status, reply.content_type) == (200, "text/xml; charset=utf-8")
    assert reply.xml == (
        f"{XML}<Response>"
        '<Gather action="/voice/welcome?p=" finishOnKey="" input="dtmf" method="POST" '
        f'numDigits="1" timeout="1">{SAY}{WELCOME}</Say></Gather>'
        f"{QUESTION_GATHER}{SAY}{_first_question(app)}</Say>{SAY}{KEYS}</Say></Gather>"
        f"{REDIRECT}</Response>"
    )
    assert WELCOME_TIMEOUT == 1  # Twilio's least: a positive integer of seconds (13313)


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("1", id="one-is-not-ja"),
        pytest.param("2", id="two-is-not-nee"),
        pytest.param("3", id="three"),
        pytest.param("9", id="nine-is-not-a-repeat"),
        pytest.param("*", id="star"),
        pytest.param("#", id="hash"),
        pytest.param("7", id="a-key-without-a-meaning"),
    ],
)
def test_a_key_during_the_welcome_skips_to_the_first_question_not_answering_it(
    app: Flask, caller: Caller, key: str
) -> None:
    """Only the question, at the normal pace (no ``r`` in its URL), its counts at nought."""
    reply = caller.post("/voice/welcome?p=", Digits=key)
    assert reply.xml == (
        f"{XML}<Response>{QUESTION_GATHER}{SAY}{_first_question(app)}</Say></Gather>"
        f"{REDIRECT}</Response>"
    )


def test_the_skip_is_not_an_answer_in_the_call_figures(app: Flask) -> None:
    flow = app.extensions["ivr_line"].flow
    turn = flow.welcome_key(Reply.YES, CLOSED_TIME)
    event = event_of(flow.tree, Step(Route.WELCOME), Reply.YES, False, turn)
    assert event is not None
    assert (event.asked, event.reply, event.mode, event.node, event.path) == (
        "", "", "", flow.tree.start, "",
    )  # fmt: skip


def test_zero_during_the_welcome_puts_the_caller_through_to_the_helpdesk(
    caller: Caller,
) -> None:
    reply = caller.post("/voice/welcome?p=", Digits="0")
    assert reply.xml == (
        f"{XML}<Response>"
        f"{SAY}Een moment alstublieft. Ik verbind u door met de helpdesk van Markant.</Say>"
        '<Dial action="/voice/dialed?p=&amp;s=markant" answerOnBridge="true" method="POST" '
        'timeout="25"><Number method="POST" url="/voice/whisper?p=&amp;s=markant">'
        "+31208868800</Number></Dial></Response>"
    )


@pytest.mark.parametrize(
    "closed",
    [pytest.param(False, id="helpdesk-open"), pytest.param(True, id="helpdesk-closed")],
)
def test_zero_during_the_welcome_is_zero_at_the_first_question(
    make_app: Callable[..., Flask], clock: Clock, closed: bool
) -> None:
    if closed:
        clock.now = CLOSED_TIME
    caller = Caller(make_app().test_client())
    at_welcome = caller.post("/voice/welcome?p=", Digits="0")
    at_question = caller.post("/voice/answer?p=", Digits="0")
    assert at_welcome.xml == at_question.xml
    assert at_welcome.spoken()[0].startswith(
        "De helpdesk van Markant is nu gesloten." if closed else "Een moment alstublieft."
    )
