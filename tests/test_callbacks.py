"""Callback requests through the webhooks: entry points, withheld numbers, retries, failures."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from ivr.core.errors import ConfigError
from ivr.storage.callbacks import CallbackStore
from tests.support.calls import CALL_SID, Caller
from tests.support.clock import CLOSED_TIME, Clock
from tests.support.spoken import GO_ON, GOODBYE, KEYS_FULL, KEYS_SHORT, MARKANT, SAVED

OFFER = [
    "Wilt u dat de helpdesk van Markant u terugbelt?",
    KEYS_SHORT,
]
OWN = "nul zes, één twee, drie vier, vijf zes, zeven acht"
CLOSED = "De helpdesk van Markant is nu gesloten. U kunt bellen tijdens kantooruren."
CALL_LATER = [
    f"Bel de helpdesk van Markant later zelf. Het nummer is {MARKANT}. Ik herhaal: {MARKANT}.",
    "De helpdesk van Markant is open tijdens kantooruren.",
]
# after three misses with nobody to put through: the crisis line (issue 23)
CRISIS = "Bij direct gevaar: bel één één twee. Is het dringend? Bel dan de huisarts of de huisartsenpost."
TYPE = "Toets het nummer waarop wij u kunnen bellen. Toets daarna het hekje."
FIRST_QUESTION = "Heeft uw naaste vandaag nog hulp nodig om veilig te zijn?"
WEGVALLEN = "Valt u als mantelzorger weg, bijvoorbeeld door ziekte of een opname?"


@pytest.fixture
def line(make_app: Callable[..., Flask], upgraded_url: str, clock: Clock) -> Flask:
    clock.now = CLOSED_TIME
    return make_app(DATABASE_URL=upgraded_url)


@pytest.fixture
def phone(line: Flask) -> Caller:
    return Caller(line.test_client())


def stored(app: Flask) -> CallbackStore:
    found: CallbackStore = app.extensions["ivr_store"]
    return found


# The three entry points: what is said before the offer, and where a "nee" leads.
ENTRIES = [
    pytest.param("/voice/answer?p=", {"Digits": "0"}, [CLOSED], "offer", id="after-hours-key-0"),
    pytest.param(
        "/voice/dialed?p=nj&s=markant",
        {"DialCallStatus": "no-answer"},
        ["Het lukt nu niet om u door te verbinden. Er kon niemand opnemen.", CALL_LATER[0], CLOSED],
        "offer",
        id="failed-transfer",
    ),
    pytest.param(
        "/voice/answer?p=&nm=2",
        {"Digits": "5"},
        ["Het lukt nu niet goed met de toetsen. Dat is niet erg.", CRISIS, *CALL_LATER],
        "offer_end",
        id="third-failed-try",
    ),
]


@pytest.mark.parametrize(("url", "extra", "before", "stage"), ENTRIES)
def test_every_entry_point_offers_a_callback_and_stores_it(
    line: Flask, phone: Caller, url: str, extra: dict[str, str], before: list[str], stage: str
) -> None:
    offer = phone.post(url, **extra)
    assert offer.spoken() == [*before, *OFFER]
    assert offer.next_url().endswith(f"&s={stage}")

    check = phone.post(offer.next_url(), Digits="1")
    assert check.spoken() == [
        f"Wij bellen u op dit nummer: {OWN}. Ik herhaal: {OWN}. Klopt dat? {KEYS_SHORT}"
    ]
    done = phone.post(check.next_url(), Digits="1")
    assert done.spoken() == [SAVED, *GO_ON]
    assert done.verbs() == ["Say", "Gather", "Redirect"]
    [request] = stored(line).open_requests()
    key = line.extensions["ivr_line"].callback_key(CALL_SID)  # stored under the call's pseudonym
    assert (request.call_key, request.phone, request.status) == (key, "+31612345678", "open")
    assert request.number_typed is False  # caller ID


def test_the_request_says_where_the_caller_got_to(line: Flask, phone: Caller) -> None:
    phone.post("/voice/callback?p=nj&s=own", Digits="1")
    [request] = stored(line).open_requests()
    assert request.reached == "Kan uw naaste thuis zorg ontvangen?"
    assert request.answers == f"{FIRST_QUESTION} Nee. {WEGVALLEN} Ja."
    assert request.service == "markant"
    assert request.requested_at == CLOSED_TIME


@pytest.mark.parametrize(
    ("stage", "spoken", "verbs"),
    [
        pytest.param("offer", ["We gaan verder met de vraag.", FIRST_QUESTION], None, id="resumes"),
        pytest.param("offer_end", [GOODBYE], ["Say", "Hangup"], id="ends"),
    ],
)
def test_no_to_the_offer(
    phone: Caller, line: Flask, stage: str, spoken: list[str], verbs: list[str] | None
) -> None:
    reply = phone.post(f"/voice/callback?p=&s={stage}", Digits="2")
    assert reply.spoken() == spoken
    if verbs:
        assert reply.verbs() == verbs
    else:
        assert reply.next_url() == "/voice/answer?p="
    assert stored(line).open_requests() == []


@pytest.mark.parametrize("withheld", ["anonymous", "unknown", "", "+266696687"])
def test_withheld_number_is_typed_read_back_and_confirmed(
    line: Flask, phone: Caller, withheld: str
) -> None:
    phone.params["From"] = withheld
    ask = phone.post("/voice/callback?p=&s=offer", Digits="1")
    assert ask.spoken() == ["Uw nummer is afgeschermd. Daarom zie ik het niet.", TYPE]
    gather = ask.gather().attrib
    assert gather["finishOnKey"] == "#"
    assert gather["input"] == "dtmf"
    assert "numDigits" not in gather
    assert ask.next_url() == "/voice/number?p="

    check = phone.post(ask.next_url(), Digits="0201234567")
    typed = "nul twee nul, één twee drie, vier vijf, zes zeven"
    assert check.spoken() == [f"U toetste: {typed}. Ik herhaal: {typed}. Klopt dat? {KEYS_SHORT}"]
    assert stored(line).open_requests() == []  # not before the caller says yes
    done = phone.post(check.next_url(), Digits="1")
    assert done.spoken() == [SAVED, *GO_ON]
    [request] = stored(line).open_requests()
    assert (request.phone, request.number_typed) == ("+31201234567", True)


def test_wrong_own_number_is_typed_instead(line: Flask, phone: Caller) -> None:
    ask = phone.post("/voice/callback?p=&s=own", Digits="2")
    assert ask.spoken() == [TYPE]
    check = phone.post(ask.next_url(), Digits="0687654321")
    again = phone.post(check.next_url(), Digits="2")  # typed wrong: type again
    assert again.spoken() == [TYPE]
    check = phone.post(again.next_url(), Digits="0611112222")
    phone.post(check.next_url(), Digits="1")
    assert [(r.phone, r.number_typed) for r in stored(line).open_requests()] == [
        ("+31611112222", True)
    ]


@pytest.mark.parametrize(
    ("digits", "said"),
    [
        pytest.param("", "Ik hoorde niets.", id="silence"),
        pytest.param(
            "12345",
            "Dat nummer kan ik niet gebruiken. Een nummer heeft tien cijfers en begint met nul.",
            id="too-short",
        ),
        pytest.param(
            "0900123456",
            "Dat nummer kan ik niet gebruiken. Een nummer heeft tien cijfers en begint met nul.",
            id="paid-number",
        ),
    ],
)
def test_unusable_typed_number_is_asked_again(phone: Caller, digits: str, said: str) -> None:
    reply = phone.post("/voice/number?p=", Digits=digits)
    assert reply.spoken() == [said, TYPE]


def test_third_unusable_number_gives_the_helpdesk_number(phone: Caller) -> None:
    reply = phone.post("/voice/number?p=&nm=2", Digits="12")
    assert reply.spoken() == [*CALL_LATER, GOODBYE]
    assert reply.verbs()[-1] == "Hangup"


def test_retried_webhook_stores_one_request(line: Flask, phone: Caller) -> None:
    first = phone.post("/voice/callback?p=&s=own", Digits="1")
    second = phone.post("/voice/callback?p=&s=own", Digits="1")
    assert first.spoken() == second.spoken() == [SAVED, *GO_ON]
    assert len(stored(line).open_requests()) == 1


def test_failed_write_is_told_never_genoteerd(make_app: Callable[..., Flask], clock: Clock) -> None:
    clock.now = CLOSED_TIME
    app = make_app(DATABASE_URL="postgresql://nobody@127.0.0.1:9/nowhere")  # nothing listens
    reply = Caller(app.test_client()).post("/voice/callback?p=&s=own", Digits="1")
    assert reply.spoken() == [
        "Sorry, het is niet gelukt om uw verzoek op te slaan. Wij bellen u dus niet terug. "
        f"Bel de helpdesk van Markant: {MARKANT}. Ik herhaal: {MARKANT}.",
        GOODBYE,
    ]
    assert "Genoteerd" not in reply.xml


def test_offering_after_hours_offers_a_callback_instead_of_a_transfer(
    line: Flask, phone: Caller
) -> None:
    offer = phone.post("/voice/answer?p=nnjjjn", Digits="2")
    assert offer.spoken()[0] == "Dagbesteding voor uw naaste."
    assert offer.spoken()[-3:] == [
        "Het Sociaal loket is nu gesloten. U kunt morgen om negen uur weer bellen.",
        *OFFER,
    ]
    assert offer.next_url() == "/voice/callback?p=nnjjjnn&s=offer"
    declined = phone.post(offer.next_url(), Digits="2")
    assert declined.next_url() == "/voice/menu?p=nnjjjnn&s=restart"
    phone.post("/voice/callback?p=nnjjjnn&s=own", Digits="1")
    [request] = stored(line).open_requests()
    assert (request.reached, request.service) == (
        "Dagbesteding voor uw naaste",
        "sociaal_loket",
    )


@pytest.mark.parametrize(
    ("days", "promise"),
    [
        pytest.param("", [], id="unset-promises-nothing"),
        pytest.param("0", [], id="zero-promises-nothing"),
        pytest.param("1", ["Dat gebeurt op de eerstvolgende werkdag."], id="next-workday"),
        pytest.param("3", ["Dat gebeurt binnen drie werkdagen."], id="three-workdays"),
    ],
)
def test_the_callback_promise_is_configuration(
    make_app: Callable[..., Flask], upgraded_url: str, clock: Clock, days: str, promise: list[str]
) -> None:
    clock.now = CLOSED_TIME
    app = make_app(DATABASE_URL=upgraded_url, CALLBACK_PROMISE_DAYS=days)
    phone = Caller(app.test_client())
    offer = phone.post("/voice/answer?p=", Digits="0")
    assert offer.spoken() == [CLOSED, OFFER[0], *promise, OFFER[1]]
    saved = phone.post("/voice/callback?p=&s=own", Digits="1")
    assert saved.spoken() == [SAVED, *promise, *GO_ON]


@pytest.mark.parametrize("bad", ["11", "-1", "een"])
def test_a_bad_callback_promise_stops_the_start(make_app: Callable[..., Flask], bad: str) -> None:
    with pytest.raises(ConfigError, match=r"^CALLBACK_PROMISE_DAYS: "):
        make_app(CALLBACK_PROMISE_DAYS=bad)


def test_silence_at_the_offer_escalates_without_saying_the_keys_twice(phone: Caller) -> None:
    first = phone.post("/voice/callback?p=&s=offer")
    assert first.spoken() == ["Ik hoorde niets.", *OFFER]
    second = phone.post(first.next_url())
    assert second.spoken() == [
        "Ik hoorde nog steeds niets.",
        *OFFER,
        KEYS_FULL,
    ]


def test_a_callback_at_a_path_past_an_offering_is_refused_not_stored(
    line: Flask, phone: Caller
) -> None:
    """A tampered or outdated URL ("jn": past the crisis offering) would store a request that
    tells staff nothing: the caller hears the apology with the helpdesk number instead."""
    said = phone.post("/voice/callback?p=jn&s=own", Digits="1").spoken()
    assert said[0].startswith("Sorry"), said
    assert stored(line).open_requests() == []
