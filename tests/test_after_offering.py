"""After an offering: hear it again, be put through, start over, or a goodbye; dial outcomes."""

from __future__ import annotations

from datetime import datetime

import pytest

from ivr.core.hours import AMSTERDAM
from tests.support.calls import Caller
from tests.support.clock import CLOSED_TIME, Clock
from tests.support.spoken import KEYS_SHORT

DAGBESTEDING = "nnjjjnn"
GOODBYE = "Bedankt voor het bellen. Veel sterkte met de zorg. Tot ziens."
RESTART_Q = f"Wilt u opnieuw beginnen met de vragen? {KEYS_SHORT}"
LOKET = "nul twee nul, twee vijf vijf, twee negen, één zes"
ADVICE_KEYS = [
    "Toets negen om het advies nog eens te horen.",
    "Toets acht voor alleen de telefoonnummers.",
]


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
    assert reply.spoken()[-3:] == [
        f"Wilt u nu met de helpdesk van Markant praten? {KEYS_SHORT}",
        *ADVICE_KEYS,
    ]


def test_declining_asks_to_start_over(caller: Caller) -> None:
    reply = caller.post(f"/voice/menu?p={DAGBESTEDING}&s=offer", Digits="2")
    assert reply.spoken() == [RESTART_Q, *ADVICE_KEYS]
    assert reply.next_url() == f"/voice/menu?p={DAGBESTEDING}&s=restart"


def test_start_over_goes_to_the_first_question(caller: Caller) -> None:
    reply = caller.post(f"/voice/menu?p={DAGBESTEDING}&s=restart", SpeechResult="ja graag")
    assert reply.spoken()[0] == "We beginnen opnieuw."
    assert reply.spoken()[1].startswith("Heeft uw naaste vandaag nog hulp nodig")
    assert reply.next_url() == "/voice/answer?p="


def test_no_more_questions_ends_with_a_goodbye(caller: Caller) -> None:
    reply = caller.post(f"/voice/menu?p={DAGBESTEDING}&s=restart", Digits="2")
    assert reply.verbs() == ["Say", "Hangup"]
    assert reply.spoken() == [GOODBYE]


@pytest.mark.parametrize("stage", ["offer", "restart"])
def test_nine_speaks_the_offering_again(caller: Caller, stage: str) -> None:
    reply = caller.post(f"/voice/menu?p={DAGBESTEDING}&s={stage}", Digits="9")
    assert reply.spoken()[0] == "Dagbesteding voor uw naaste."


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
    assert reply.spoken() == [RESTART_Q, *ADVICE_KEYS]
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
        *ADVICE_KEYS,
    ]
    assert reply.next_url() == f"/voice/menu?p={DAGBESTEDING}&ni=2&nm=1&s=restart"


def test_completed_transfer_says_goodbye(caller: Caller) -> None:
    reply = caller.post(
        f"/voice/dialed?p={DAGBESTEDING}&s=sociaal_loket",
        DialCallStatus="completed",
        DialBridged="true",
    )
    assert reply.verbs() == ["Say", "Hangup"]


NOT_THROUGH = "Het lukt nu niet om u door te verbinden."
NOBODY = f"{NOT_THROUGH} Er kon niemand opnemen."


@pytest.mark.parametrize(
    ("status", "bridged", "said"),
    [
        ("busy", "", f"{NOT_THROUGH} De lijn is bezet."),
        ("no-answer", "", NOBODY),
        ("failed", "", NOT_THROUGH),
        ("canceled", "", NOT_THROUGH),
        ("completed", "false", NOBODY),
    ],
    ids=["busy", "no-answer", "failed", "canceled", "not-bridged"],
)
def test_failed_transfer_says_what_happened_and_the_number_without_hours_while_open(
    caller: Caller, status: str, bridged: str, said: str
) -> None:
    reply = caller.post(
        f"/voice/dialed?p={DAGBESTEDING}&s=sociaal_loket",
        DialCallStatus=status,
        DialBridged=bridged,
    )
    assert reply.spoken() == [
        said,
        f"Bel het Sociaal loket later zelf. Het nummer is {LOKET}. Ik herhaal: {LOKET}.",
        *CALLBACK_Q,
    ]
    assert reply.next_url() == f"/voice/callback?p={DAGBESTEDING}&s=offer"


def test_a_transfer_that_fails_after_closing_time_says_when_it_opens(
    caller: Caller, clock: Clock
) -> None:
    clock.now = datetime(2026, 11, 23, 16, 0, tzinfo=AMSTERDAM)  # a Monday, the loket just closed
    reply = caller.post(
        f"/voice/dialed?p={DAGBESTEDING}&s=sociaal_loket", DialCallStatus="no-answer"
    )
    assert reply.spoken() == [
        NOBODY,
        f"Bel het Sociaal loket later zelf. Het nummer is {LOKET}. Ik herhaal: {LOKET}.",
        "Het Sociaal loket is nu gesloten. U kunt morgen om negen uur weer bellen.",
        *CALLBACK_Q,
    ]


# Markant is open (assumed ma-vr 09:00-17:00) while the Sociaal loket is closed: after four on a
# weekday, and on 5 May (the gemeente's closed day; 2026-05-05 is a Tuesday).
LOKET_CLOSED_MARKANT_OPEN = [
    pytest.param(
        datetime(2026, 11, 23, 16, 30, tzinfo=AMSTERDAM),
        "Het Sociaal loket is nu gesloten. U kunt morgen om negen uur weer bellen.",
        id="weekday-16.30",
    ),
    pytest.param(
        datetime(2026, 5, 5, 10, 0, tzinfo=AMSTERDAM),
        "Het Sociaal loket is nu gesloten. U kunt morgen om negen uur weer bellen.",
        id="5-may",
    ),
]


@pytest.mark.parametrize(("now", "closed"), LOKET_CLOSED_MARKANT_OPEN)
@pytest.mark.parametrize(
    "url", [f"/voice/menu?p={DAGBESTEDING}&s=restart", f"/voice/callback?p={DAGBESTEDING}&s=offer"]
)
def test_key_0_after_a_closed_loket_advice_reaches_markant(
    caller: Caller, clock: Clock, now: datetime, closed: str, url: str
) -> None:
    clock.now = now
    reply = caller.post(url, Digits="0")
    assert reply.spoken() == [
        closed,
        "Een moment alstublieft. Ik verbind u door met de helpdesk van Markant.",
    ]
    assert reply.verbs() == ["Say", "Say", "Dial"]
    dial = reply.root.find("Dial")
    assert dial.findtext("Number") == "+31208868800"
    assert dial.attrib["action"] == f"/voice/dialed?p={DAGBESTEDING}&s=markant"
    # key 0 at a question reaches Markant at the same moment
    question = caller.post("/voice/answer?p=nnjjj", Digits="0")
    assert question.root.find("Dial").findtext("Number") == "+31208868800"


def test_failed_transfer_from_a_question_offers_a_callback_then_that_question(
    caller: Caller,
) -> None:
    reply = caller.post("/voice/dialed?p=nnj&s=markant", DialCallStatus="no-answer")
    assert reply.spoken()[2] == CALLBACK_Q[0]
    assert reply.next_url() == "/voice/callback?p=nnj&s=offer"
    reply = caller.post(reply.next_url(), Digits="2")
    assert reply.spoken() == [
        "We gaan verder met de vraag.",
        "Gaat het om een dagdeel of één dag?",
    ]
    assert reply.next_url() == "/voice/answer?p=nnj"
