"""The welcome's language choice (issue 24 item 3) and the whisper that names the caller's
language (item 4), in the core: what is offered, what chooses, what the helpdesk hears."""

from __future__ import annotations

import pytest

from ivr.core.actions import Keys
from ivr.core.call_state import Route, Step
from ivr.core.flow import WELCOME_TIMEOUT, CallFlow
from ivr.core.hours import OpeningHours, parse_hours
from ivr.core.language import InLanguage, Language
from ivr.core.language_choice import choice_hints, choice_sentences, chosen
from ivr.core.prompts import check_prompts
from ivr.core.tree_model import Tree
from tests.support.checkout import SHIPPED_PROMPTS
from tests.support.languages import made_up

TESTISH = made_up("xx")  # key 7, "testisch"
OTHERISH = made_up("yy", recorded=True)  # key 5, "testisch" too
OFFERS = (TESTISH,)


@pytest.fixture(scope="module")
def dutch_flow(shipped_tree: Tree) -> CallFlow:
    prompts, problems = check_prompts(SHIPPED_PROMPTS.read_text(encoding="utf-8"), "nl.yaml")
    assert prompts is not None, problems
    hours = {sid: OpeningHours(parse_hours("ma-vr 09:00-17:00")) for sid in shipped_tree.services}
    return CallFlow(shipped_tree, prompts, hours)


@pytest.mark.parametrize(
    ("digits", "speech", "found"),
    [
        pytest.param("7", "", TESTISH, id="its-key"),
        pytest.param("", "Testisch", TESTISH, id="its-name"),
        pytest.param("", "in het testisch graag", TESTISH, id="its-name-in-words"),
        pytest.param("1", "", None, id="another-key"),
        pytest.param("", "ja", None, id="another-word"),
        pytest.param("", "testischer", None, id="not-a-whole-word"),
        pytest.param("", "", None, id="silence"),
    ],
)
def test_a_key_or_a_name_chooses_a_language(digits: str, speech: str, found: Language) -> None:
    assert chosen(OFFERS, digits, speech) == found


def test_a_name_two_languages_share_chooses_neither() -> None:
    assert chosen((TESTISH, OTHERISH), "", "testisch") is None
    assert chosen((TESTISH, OTHERISH), "5", "") == OTHERISH


def test_the_offers_are_said_in_their_own_language_and_their_words_are_hints() -> None:
    assert choice_sentences(OFFERS) == (InLanguage("Voor Testisch, druk 7.", "xx"),)
    assert choice_hints((TESTISH, made_up("zz"))) == "testisch"
    assert (choice_sentences(()), choice_hints(())) == ((), "")


def test_the_welcome_names_the_offered_languages_inside_its_gather(dutch_flow: CallFlow) -> None:
    welcome = dutch_flow.welcome(OFFERS)[0]
    plain = dutch_flow.welcome()[0]
    p = dutch_flow.say.prompts
    assert welcome == Keys(
        (p("welcome"), InLanguage("Voor Testisch, druk 7.", "xx")),
        Step(Route.WELCOME),
        digits=1,
        timeout=WELCOME_TIMEOUT,
        hints="testisch",
    )
    assert plain == Keys((p("welcome"),), Step(Route.WELCOME), digits=1, timeout=WELCOME_TIMEOUT)
    assert dutch_flow.welcome(OFFERS)[1:] == dutch_flow.welcome()[1:] == dutch_flow.first_question()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        pytest.param(None, [], id="dutch-says-nothing"),
        pytest.param(TESTISH, ["De beller koos Testisch."], id="another-language-named"),
    ],
)
def test_the_whisper_names_the_caller_s_language_in_dutch(
    dutch_flow: CallFlow, language: Language | None, said: list[str]
) -> None:
    step = Step(Route.WHISPER, "j", service="markant")
    dutch = dutch_flow.transfers.whisper(step)
    turn = dutch_flow.transfers.whisper(step, language) if language else dutch
    keys, dutch_keys = turn[0], dutch[0]
    assert isinstance(keys, Keys) and isinstance(dutch_keys, Keys)
    assert keys.texts == (dutch_keys.texts[0], *said, *dutch_keys.texts[1:])
    assert dutch_keys.texts[0] == "Beller van de Mantelzorglijn."
