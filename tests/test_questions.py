"""Every key at every question, spoken answers, and the silence / wrong-key escalation."""

from __future__ import annotations

import pytest
from flask import Flask

from ivr.core.normalise import normalise
from ivr.core.tree_model import Offering, Question
from tests.support.clock import CLOSED_TIME, Clock
from tests.support.spoken import KEYS_FULL, KEYS_SHORT


def question_paths(app: Flask) -> dict[str, str]:
    tree = app.extensions["ivr_line"].flow.tree
    found: dict[str, str] = {}

    def walk(path: str) -> None:
        node = tree.node_at(path)
        if isinstance(node, Question):
            found[node.id] = path
            walk(path + "j")
            walk(path + "n")

    walk("")
    return found


QUESTION_IDS = [
    "wegvallen", "acuut", "thuis", "professioneel", "ontvangt", "respijt", "een_dag",
    "begeleiding", "langer", "wlz", "medisch", "jonger", "praktisch",
]  # fmt: skip


@pytest.fixture
def paths(app: Flask) -> dict[str, str]:
    found = question_paths(app)
    assert set(QUESTION_IDS) <= set(found)
    return found


def first_words(app: Flask, path: str) -> str:
    """What the caller hears first at a node: its question, or the offering's name."""
    node = app.extensions["ivr_line"].flow.tree.node_at(path)
    return normalise(node.text if isinstance(node, Question) else f"{node.title}.")


@pytest.mark.parametrize("qid", QUESTION_IDS)
@pytest.mark.parametrize(("key", "answer"), [("1", "j"), ("2", "n")], ids=["ja", "nee"])
def test_yes_and_no_move_on(app, caller, paths, qid, key, answer) -> None:
    path = paths[qid]
    reply = caller.post(f"/voice/answer?p={path}", Digits=key)
    assert reply.spoken()[0] == first_words(app, path + answer)


@pytest.mark.parametrize("qid", QUESTION_IDS)
def test_three_explains_then_asks_again(app, caller, paths, qid) -> None:
    node = app.extensions["ivr_line"].flow.tree.nodes[qid]
    reply = caller.post(f"/voice/answer?p={paths[qid]}", Digits="3")
    assert reply.spoken() == ["Ik leg het uit.", normalise(node.help), normalise(node.text)]
    assert reply.next_url() == f"/voice/answer?p={paths[qid]}"


@pytest.mark.parametrize("qid", QUESTION_IDS)
def test_nine_repeats(app, caller, paths, qid) -> None:
    node = app.extensions["ivr_line"].flow.tree.nodes[qid]
    reply = caller.post(f"/voice/answer?p={paths[qid]}", Digits="9")
    assert reply.spoken() == [normalise(node.text)]


@pytest.mark.parametrize("qid", QUESTION_IDS)
def test_star_goes_back_one_question(app, caller, paths, qid) -> None:
    path = paths[qid]
    reply = caller.post(f"/voice/answer?p={path}", Digits="*")
    if not path:
        assert reply.spoken() == ["U bent al bij de eerste vraag.", first_words(app, "")]
    else:
        assert reply.spoken() == ["We gaan één vraag terug.", first_words(app, path[:-1])]
        assert reply.next_url() == f"/voice/answer?p={path[:-1]}"


@pytest.mark.parametrize("qid", QUESTION_IDS)
def test_zero_puts_through_to_the_markant_helpdesk_when_open(caller, paths, qid) -> None:
    reply = caller.post(f"/voice/answer?p={paths[qid]}", Digits="0")
    assert reply.verbs() == ["Say", "Dial"]
    assert reply.spoken() == [
        "Een moment alstublieft. Ik verbind u door met de helpdesk van Markant."
    ]
    dial = reply.root.find("Dial")
    assert dial.findtext("Number") == "+31208868800"
    assert dial.attrib["action"] == f"/voice/dialed?p={paths[qid]}&s=markant"
    assert dial.attrib["answerOnBridge"] == "true"


CALLBACK_Q = [
    "Wilt u dat de helpdesk van Markant u terugbelt?",
    KEYS_SHORT,
]


def test_zero_after_hours_tells_the_hours_and_offers_a_callback(
    app, caller, clock: Clock, paths
) -> None:
    clock.now = CLOSED_TIME
    reply = caller.post("/voice/answer?p=nn", Digits="0")
    assert "Dial" not in reply.verbs()
    assert reply.spoken() == [
        "De helpdesk van Markant is nu gesloten. U kunt bellen tijdens kantooruren.",
        *CALLBACK_Q,
    ]
    assert reply.next_url() == "/voice/callback?p=nn&s=offer"
    reply = caller.post(reply.next_url(), Digits="2")
    assert reply.spoken() == ["We gaan verder met de vraag.", first_words(app, "nn")]
    assert reply.next_url() == "/voice/answer?p=nn"


@pytest.mark.parametrize(
    ("speech", "expected_path"),
    [("Ja hoor.", "j"), ("ja", "j"), ("Nee, dank u.", "n"), ("nee hoor", "n")],
    ids=["ja-hoor", "ja", "nee-dank-u", "nee-hoor"],
)
def test_spoken_yes_and_no(app, caller, speech, expected_path) -> None:
    reply = caller.post("/voice/answer?p=", SpeechResult=speech, Confidence="0.9")
    assert reply.spoken()[0] == first_words(app, expected_path)


@pytest.mark.parametrize("wrong", ["7", "#", "4", "12"], ids=["seven", "hash", "four", "two-keys"])
def test_a_wrong_key_is_a_nomatch_with_a_short_hint(app, caller, wrong) -> None:
    reply = caller.post("/voice/answer?p=", Digits=wrong)
    assert reply.spoken() == ["Dat heb ik niet goed begrepen.", first_words(app, ""), KEYS_SHORT]
    assert reply.next_url() == "/voice/answer?p=&nm=1"


def test_silence_is_a_noinput_with_a_short_hint(app, caller) -> None:
    reply = caller.post("/voice/answer?p=")
    assert reply.spoken() == ["Ik hoorde niets.", first_words(app, ""), KEYS_SHORT]
    assert reply.next_url() == "/voice/answer?p=&ni=1&r=1"  # a repeat: counted, spoken slower


def test_second_silence_spells_out_the_keys(app, caller) -> None:
    reply = caller.post("/voice/answer?p=&ni=1")
    assert reply.spoken() == ["Ik hoorde nog steeds niets.", first_words(app, ""), KEYS_FULL]
    assert reply.next_url() == "/voice/answer?p=&ni=2&r=1"


def test_noinput_and_nomatch_are_counted_apart(app, caller) -> None:
    reply = caller.post("/voice/answer?p=&ni=2", Digits="7")
    assert reply.spoken() == ["Dat heb ik niet goed begrepen.", first_words(app, ""), KEYS_FULL]
    assert reply.next_url() == "/voice/answer?p=&ni=2&nm=1"


@pytest.mark.parametrize(
    "extra", [{}, {"Digits": "5"}, {"SpeechResult": "banaan"}], ids=["silence", "key", "speech"]
)
def test_third_failure_puts_through_when_open(caller, extra) -> None:
    url = "/voice/answer?p=&nm=2&ni=2"
    reply = caller.post(url, **extra)
    assert reply.verbs() == ["Say", "Say", "Dial"]
    assert reply.spoken()[0] == "Het lukt nu niet goed met de toetsen. Dat is niet erg."
    assert reply.root.find("Dial").findtext("Number") == "+31208868800"


def test_third_failure_after_hours_gives_number_and_hours_then_a_callback_or_goodbye(
    caller, clock: Clock
) -> None:
    clock.now = CLOSED_TIME
    reply = caller.post("/voice/answer?p=&ni=2")
    assert reply.verbs() == ["Say", "Say", "Say", "Say", "Gather", "Redirect"]
    number = "nul twee nul, acht acht zes, acht acht, nul nul"
    assert reply.spoken() == [
        "Het lukt nu niet goed met de toetsen. Dat is niet erg.",
        "Bij direct gevaar: bel één één twee. "
        "Is het dringend? Bel dan de huisarts of de huisartsenpost.",
        f"Bel de helpdesk van Markant later zelf. Het nummer is {number}. Ik herhaal: {number}.",
        "De helpdesk van Markant is open tijdens kantooruren.",
        *CALLBACK_Q,
    ]
    assert reply.next_url() == "/voice/callback?p=&s=offer_end&r=1"
    reply = caller.post(reply.next_url(), Digits="2")
    assert reply.verbs() == ["Say", "Hangup"]
    assert reply.spoken() == ["Bedankt voor het bellen. Veel sterkte met de zorg. Tot ziens."]


def test_every_gather_is_followed_by_a_redirect_to_its_own_action(caller) -> None:
    reply = caller.post("/voice/answer?p=nnj", Digits="1")
    assert reply.verbs()[-2:] == ["Gather", "Redirect"]
    assert reply.root.find("Redirect").text == reply.next_url()


def test_offering_is_spoken_with_numbers_twice_then_the_transfer_offer(app, caller) -> None:
    reply = caller.post("/voice/answer?p=nnjjjn", Digits="2")
    number = "nul twee nul, twee vijf vijf, twee negen, één zes"
    free = "nul acht nul nul, nul zes vier drie"
    offering = app.extensions["ivr_line"].flow.tree.nodes["dagbesteding"]
    assert isinstance(offering, Offering)
    assert reply.spoken() == [
        "Dagbesteding voor uw naaste.",
        normalise(offering.text),
        "Pak pen en papier.",
        f"Bel het Sociaal loket, op werkdagen van negen tot vier uur. Het nummer is {number}. "
        f"Ik herhaal: {number}.",
        f"Bel gratis de W M O Helpdesk, op werkdagen van acht tot zes uur. Het nummer is {free}. "
        f"Ik herhaal: {free}.",
        f"Wilt u nu met het Sociaal loket praten? {KEYS_SHORT}",
        "Toets negen om het advies nog eens te horen.",
        "Toets acht voor alleen de telefoonnummers.",
    ]
    assert reply.next_url() == "/voice/menu?p=nnjjjnn&s=offer"
