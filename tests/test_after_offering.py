"""After an offering: hear it again, be put through, start over, or a goodbye; dial outcomes."""

from __future__ import annotations

import pytest

from tests.support.calls import Caller
from tests.support.clock import CLOSED_TIME, Clock
from tests.support.spoken import KEYS_SHORT

DAGBESTEDING = "nnjjjnn"
GOODBYE = "Bedankt voor het bellen. Veel sterkte met de zorg. Tot ziens."
RESTART_Q = f"Wilt u opnieuw beginnen met de vragen? {KEYS_SHORT}"
LOKET = "nul twee nul, twee vijf vijf, twee negen, één zes"


@pytest.mark.parametrize("key", ["1", "0"], ids=["ja", "nul"])
def test_accepting_the_offer_dials_the_fitting_organisation(caller: Caller, key: str) -> None:
    reply = caller.post(f"/voice/menu?p={DAGBESTEDING}&s=offer", Digits=key)
    assert reply.verbs() == ["Say", "Dial"]
    assert reply.spoken() == ["Een moment alstublieft. Ik verbind u door met het Sociaal loket."]
    dial = reply.root.find("Dial")
    assert dial.findtext("Number") == "+31202552916"
    assert dial.attrib["action"] == f"/voice/dialed?p={DAGBESTEDING}&s=sociaal_loket"


def test_non_wmo_offering_offers_markant(caller: Caller) -> None:
    reply = caller.post("/voice/answer?p=", Digits="1")  # crisis
    assert reply.spoken()[-2:] == [
        f"Wilt u nu met de helpdesk van Markant praten? {KEYS_SHORT}",
        "Toets negen om het advies nog eens te horen.",
    ]


def test_declining_asks_to_start_over(caller: Caller) -> None:
    reply = caller.post(f"/voice/menu?p={DAGBESTEDING}&s=offer", Digits="2")
    assert reply.spoken() == [RESTART_Q, "Toets negen om het advies nog eens te horen."]
    assert reply.next_url() == f"/voice/menu?p={DAGBESTEDING}&s=restart"


def test_start_over_goes_to_the_first_question(caller: Caller) -> None:
    reply = caller.post(f"/voice/menu?p={DAGBESTEDING}&s=restart", SpeechResult="ja graag")
    assert reply.spoken()[0] == "We beginnen opnieuw."
    assert reply.spoken()[1].startswith("Moet u vandaag iets regelen")
    assert reply.next_url() == "/voice/answer?p="


def test_no_more_questions_ends_with_a_goodbye(caller: Caller) -> None:
    reply = caller.post(f"/voice/menu?p={DAGBESTEDING}&s=restart", Digits="2")
    assert reply.verbs() == ["Say", "Hangup"]
    assert reply.spoken() == [GOODBYE]


@pytest.mark.parametrize("stage", ["offer", "restart"])
def test_nine_speaks_the_offering_again(caller: Caller, stage: str) -> None:
    reply = caller.post(f"/voice/menu?p={DAGBESTEDING}&s={stage}", Digits="9")
    assert reply.spoken()[0] == "Dagbesteding voor de zorgvrager."


def test_star_goes_back_to_the_last_question(caller: Caller) -> None:
    reply = caller.post(f"/voice/menu?p={DAGBESTEDING}&s=offer", Digits="*")
    assert reply.spoken()[0] == "We gaan één vraag terug."
    assert reply.next_url() == "/voice/answer?p=nnjjjn"


CALLBACK_Q = [
    "Wilt u dat de helpdesk van Markant u terugbelt?",
    KEYS_SHORT,
]


def test_after_hours_the_offering_says_closed_and_offers_a_callback(
    caller: Caller, clock: Clock
) -> None:
    clock.now = CLOSED_TIME
    reply = caller.post("/voice/answer?p=nnjjjn", Digits="2")
    assert "Dial" not in reply.verbs()
    assert reply.spoken()[-3:] == [
        "Het Sociaal loket is nu gesloten. U kunt morgen om negen uur weer bellen.",
        *CALLBACK_Q,
    ]
    assert reply.next_url() == f"/voice/callback?p={DAGBESTEDING}&s=offer"


def test_declining_the_callback_after_an_offering_offers_to_start_over(caller: Caller) -> None:
    reply = caller.post(f"/voice/callback?p={DAGBESTEDING}&s=offer", Digits="2")
    assert reply.spoken() == [RESTART_Q, "Toets negen om het advies nog eens te horen."]
    assert reply.next_url() == f"/voice/menu?p={DAGBESTEDING}&s=restart"


def test_third_failure_in_the_menu_ends_politely(caller: Caller) -> None:
    reply = caller.post(f"/voice/menu?p={DAGBESTEDING}&s=restart&ni=2")
    assert reply.verbs() == ["Say", "Hangup"]
    assert reply.spoken() == [GOODBYE]


def test_menu_counts_silence_and_wrong_keys_apart(caller: Caller) -> None:
    reply = caller.post(f"/voice/menu?p={DAGBESTEDING}&s=restart&ni=2", Digits="7")
    assert reply.spoken() == [
        "Dat heb ik niet goed begrepen.",
        RESTART_Q,
        "Toets negen om het advies nog eens te horen.",
    ]
    assert reply.next_url() == f"/voice/menu?p={DAGBESTEDING}&ni=2&nm=1&s=restart"


def test_completed_transfer_says_goodbye(caller: Caller) -> None:
    reply = caller.post(
        f"/voice/dialed?p={DAGBESTEDING}&s=sociaal_loket",
        DialCallStatus="completed",
        DialBridged="true",
    )
    assert reply.verbs() == ["Say", "Hangup"]


@pytest.mark.parametrize(
    ("status", "bridged"),
    [
        ("busy", ""),
        ("no-answer", ""),
        ("failed", ""),
        ("canceled", ""),
        ("completed", "false"),
    ],
    ids=["busy", "no-answer", "failed", "canceled", "not-bridged"],
)
def test_failed_transfer_brings_the_caller_back_with_the_number(
    caller: Caller, status: str, bridged: str
) -> None:
    reply = caller.post(
        f"/voice/dialed?p={DAGBESTEDING}&s=sociaal_loket",
        DialCallStatus=status,
        DialBridged=bridged,
    )
    assert reply.spoken() == [
        "Het lukt nu niet om u door te verbinden. Er kon niemand opnemen.",
        f"Bel het Sociaal loket later zelf: {LOKET}. Ik herhaal: {LOKET}.",
        "Het Sociaal loket is open op werkdagen van negen tot vier uur.",
        *CALLBACK_Q,
    ]
    assert reply.next_url() == f"/voice/callback?p={DAGBESTEDING}&s=offer"


def test_failed_transfer_from_a_question_offers_a_callback_then_that_question(
    caller: Caller,
) -> None:
    reply = caller.post("/voice/dialed?p=nnj&s=markant", DialCallStatus="no-answer")
    assert reply.spoken()[3] == CALLBACK_Q[0]
    assert reply.next_url() == "/voice/callback?p=nnj&s=offer"
    reply = caller.post(reply.next_url(), Digits="2")
    assert reply.spoken() == [
        "We gaan verder met de vraag.",
        "Is er behoefte aan respijtzorg voor maximaal één dag?",
    ]
    assert reply.next_url() == "/voice/answer?p=nnj"
