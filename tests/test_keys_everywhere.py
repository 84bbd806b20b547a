"""Keys 3 (explain), 9 (again), * (back) and 0 (a person) in every menu and sub-dialogue.

The questions of the tree have their own tests (tests/test_questions.py); here: the two menus
after an offering, the apology's menu, the callback questions, the typed number and the SMS
question. Key 3 always explains the menu the caller is in.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from flask import Flask

from tests.support.calls import Caller
from tests.support.sms import SMS_ENV, FakeTwilioHttp
from tests.support.spoken import GO_ON, KEYS_SHORT

LOKET = "nul twee nul, twee vijf vijf, twee negen, één zes"
WMO = "nul acht nul nul, nul zes vier drie"
OWN = "nul zes, één twee, drie vier, vijf zes, zeven acht"
TYPED = "nul twee nul, één twee drie, vier vijf, zes zeven"
OFFER_MENU = [
    f"Wilt u nu met het Sociaal loket praten? {KEYS_SHORT}",
    "Toets negen om het advies nog eens te horen.",
    "Toets acht voor alleen de telefoonnummers.",
]
RESTART_MENU = [
    f"Wilt u opnieuw beginnen met de vragen? {KEYS_SHORT}",
    "Toets negen om het advies nog eens te horen.",
    "Toets acht voor alleen de telefoonnummers.",
]
RECOVER_MENU = [
    "Toets één om opnieuw te beginnen. Toets nul om met een medewerker te praten. "
    "Toets twee om op te hangen."
]
CALLBACK = [
    "Wilt u dat de helpdesk van Markant u terugbelt?",
    KEYS_SHORT,
]
OWN_NUMBER = [f"Wij bellen u op dit nummer: {OWN}. Ik herhaal: {OWN}. Klopt dat? {KEYS_SHORT}"]
TYPED_NUMBER = [f"U toetste: {TYPED}. Ik herhaal: {TYPED}. Klopt dat? {KEYS_SHORT}"]
SMS = [f"Wilt u dit advies ook per sms ontvangen? {KEYS_SHORT}"]
DAGBESTEDING = [
    "Dagbesteding voor uw naaste.",
    "Bij dagbesteding doet uw naaste overdag activiteiten, met begeleiding. Zo heeft u even "
    "tijd voor uzelf. Dit regelt de gemeente, via de W M O. Dat is de wet voor hulp van de "
    "gemeente. U betaalt er niets voor, ook niet voor het vervoer. U meldt uw naaste aan bij "
    "het Buurtteam of de gemeente.",
    "Pak pen en papier.",
    f"Bel het Sociaal loket, op werkdagen van negen tot vier uur. Het nummer is {LOKET}. Ik herhaal: {LOKET}.",
    f"Bel gratis de W M O Helpdesk, op werkdagen van acht tot zes uur. Het nummer is {WMO}. Ik herhaal: {WMO}.",
]
NUMBERS = DAGBESTEDING[2:]  # "Pak pen en papier." and the numbers, each twice
BACK = [
    "We gaan één vraag terug.",
    "Is uw naaste jonger dan achttien jaar?",
]
FIRST = [
    "We gaan verder met de vraag.",
    "Heeft uw naaste vandaag nog hulp nodig om veilig te zijn?",
]
TO_LOKET = ["Een moment alstublieft. Ik verbind u door met het Sociaal loket."]
TO_MARKANT = ["Een moment alstublieft. Ik verbind u door met de helpdesk van Markant."]
CALLBACK_HELP = ["Terugbellen betekent: de helpdesk van Markant belt u later zelf op."]
NUMBER_HELP = ["Op dit nummer bellen wij u terug. Moet het een ander nummer zijn? Toets dan twee."]


@pytest.fixture
def phone(make_app: Callable[..., Flask], twilio_http: FakeTwilioHttp) -> Caller:
    """A caller on a Dutch mobile, with callbacks and SMS on; every service open (Monday 10:00)."""
    return Caller(make_app(sms_http=twilio_http, **SMS_ENV).test_client())


# (url, key): what is said, and where the reply goes next (a Gather's action, or a Dial's).
CASES = [
    # the menu after an offering: put through?
    pytest.param(
        "/voice/menu?p=nnjjjnn&s=offer",
        "3",
        [
            "Toets één om nu met het Sociaal loket te praten. Toets twee als u dat niet wilt. "
            "Toets negen om het advies nog eens te horen. "
            "Toets acht voor alleen de telefoonnummers. Toets sterretje voor de vorige vraag.",
            *OFFER_MENU,
        ],
        "/voice/menu?p=nnjjjnn&s=offer",
        id="offer-menu-3-explains-this-menu",
    ),
    pytest.param(
        "/voice/menu?p=nnjjjnn&s=offer",
        "9",
        [*DAGBESTEDING, *OFFER_MENU],
        "/voice/menu?p=nnjjjnn&s=offer&r=1",
        id="offer-menu-9",
    ),
    pytest.param(
        "/voice/menu?p=nnjjjnn&s=offer", "*", BACK, "/voice/answer?p=nnjjjn", id="offer-menu-star"
    ),
    pytest.param(
        "/voice/menu?p=nnjjjnn&s=offer",
        "0",
        TO_LOKET,
        "/voice/dialed?p=nnjjjnn&s=sociaal_loket",
        id="offer-menu-0",
    ),
    # the menu after an offering: start again?
    pytest.param(
        "/voice/menu?p=nnjjjnn&s=restart",
        "3",
        [
            "Toets één om opnieuw te beginnen met de vragen. Toets twee om het gesprek te "
            "beëindigen. Toets negen om het advies nog eens te horen. "
            "Toets acht voor alleen de telefoonnummers. Toets sterretje voor de vorige vraag.",
            *RESTART_MENU,
        ],
        "/voice/menu?p=nnjjjnn&s=restart",
        id="restart-menu-3-explains-this-menu",
    ),
    pytest.param(
        "/voice/menu?p=nnjjjnn&s=restart",
        "9",
        [*DAGBESTEDING, *OFFER_MENU],
        "/voice/menu?p=nnjjjnn&s=offer&r=1",
        id="restart-menu-9",
    ),
    pytest.param(
        "/voice/menu?p=nnjjjnn&s=restart",
        "*",
        BACK,
        "/voice/answer?p=nnjjjn",
        id="restart-menu-star",
    ),
    pytest.param(
        "/voice/menu?p=nnjjjnn&s=restart",
        "0",
        TO_LOKET,
        "/voice/dialed?p=nnjjjnn&s=sociaal_loket",
        id="restart-menu-0",
    ),
    # the apology's menu
    pytest.param(
        "/voice/recover?p=",
        "3",
        ["U kunt opnieuw beginnen met de vragen, of met een medewerker praten.", *RECOVER_MENU],
        "/voice/recover?p=",
        id="recover-3",
    ),
    pytest.param("/voice/recover?p=", "9", RECOVER_MENU, "/voice/recover?p=&r=1", id="recover-9"),
    pytest.param("/voice/recover?p=", "*", RECOVER_MENU, "/voice/recover?p=", id="recover-star"),
    pytest.param(
        "/voice/recover?p=", "0", TO_MARKANT, "/voice/dialed?p=&s=markant", id="recover-0"
    ),
    # a callback? (after an offering; "nee" goes on)
    pytest.param(
        "/voice/callback?p=nnjjjnn&s=offer",
        "3",
        [*CALLBACK_HELP, *CALLBACK],
        "/voice/callback?p=nnjjjnn&s=offer",
        id="callback-offer-3",
    ),
    pytest.param(
        "/voice/callback?p=nnjjjnn&s=offer",
        "9",
        [*DAGBESTEDING, *CALLBACK],
        "/voice/callback?p=nnjjjnn&s=offer&r=1",
        id="callback-offer-9-the-advice-then-the-offer",
    ),
    pytest.param(
        "/voice/callback?p=nnjjjnn&s=offer",
        "*",
        BACK,
        "/voice/answer?p=nnjjjn",
        id="callback-offer-star-one-question-back-said",
    ),
    pytest.param(
        "/voice/callback?p=nnjjjnn&s=offer",
        "0",
        TO_LOKET,
        "/voice/dialed?p=nnjjjnn&s=sociaal_loket",
        id="callback-offer-0",
    ),
    # a callback? (after the third failed try at a question; "nee" ends the call)
    pytest.param(
        "/voice/callback?p=&s=offer_end",
        "3",
        [*CALLBACK_HELP, *CALLBACK],
        "/voice/callback?p=&s=offer_end",
        id="callback-offer-end-3",
    ),
    pytest.param(
        "/voice/callback?p=&s=offer_end",
        "9",
        CALLBACK,
        "/voice/callback?p=&s=offer_end&r=1",
        id="callback-offer-end-9",
    ),
    pytest.param(
        "/voice/callback?p=&s=offer_end",
        "*",
        FIRST,
        "/voice/answer?p=",
        id="callback-offer-end-star-back-to-the-question",
    ),
    pytest.param(
        "/voice/callback?p=&s=offer_end",
        "0",
        TO_MARKANT,
        "/voice/dialed?p=&s=markant",
        id="callback-offer-end-0",
    ),
    # is the caller's own number right?
    pytest.param(
        "/voice/callback?p=nnjjjnn&s=own",
        "3",
        [*NUMBER_HELP, *OWN_NUMBER],
        "/voice/callback?p=nnjjjnn&s=own",
        id="own-number-3",
    ),
    pytest.param(
        "/voice/callback?p=nnjjjnn&s=own",
        "9",
        OWN_NUMBER,
        "/voice/callback?p=nnjjjnn&s=own&r=1",
        id="own-number-9",
    ),
    pytest.param(
        "/voice/callback?p=nnjjjnn&s=own",
        "*",
        CALLBACK,
        "/voice/callback?p=nnjjjnn&s=offer",
        id="own-number-star-back-to-the-offer",
    ),
    pytest.param(
        "/voice/callback?p=nnjjjnn&s=own",
        "0",
        TO_LOKET,
        "/voice/dialed?p=nnjjjnn&s=sociaal_loket",
        id="own-number-0",
    ),
    # key 8 after an advice: only its numbers (pen and paper first), then the same question
    pytest.param(
        "/voice/menu?p=nnjjjnn&s=offer",
        "8",
        [*NUMBERS, *OFFER_MENU],
        "/voice/menu?p=nnjjjnn&s=offer",
        id="offer-menu-8-numbers",
    ),
    pytest.param(
        "/voice/menu?p=nnjjjnn&s=restart",
        "8",
        [*NUMBERS, *RESTART_MENU],
        "/voice/menu?p=nnjjjnn&s=restart",
        id="restart-menu-8-numbers",
    ),
    pytest.param(
        "/voice/sms?p=nnjjjnn&s=offer",
        "8",
        [*NUMBERS, *SMS],
        "/voice/sms?p=nnjjjnn&s=offer",
        id="sms-8-numbers",
    ),
    pytest.param(
        "/voice/callback?p=nnjjjnn&s=offer",
        "8",
        [*NUMBERS, *CALLBACK],
        "/voice/callback?p=nnjjjnn&s=offer",
        id="callback-offer-8-numbers",
    ),
    # key 8 where no advice was given: a wrong key
    pytest.param(
        "/voice/callback?p=&s=offer_end",
        "8",
        ["Dat heb ik niet goed begrepen.", *CALLBACK],
        "/voice/callback?p=&nm=1&s=offer_end",
        id="callback-offer-end-8-wrong-key",
    ),
    # the advice by SMS?
    pytest.param(
        "/voice/sms?p=nnjjjnn&s=offer",
        "3",
        [
            "In de sms staan de namen en telefoonnummers uit het advies. "
            "Dan hoeft u niets op te schrijven.",
            *SMS,
        ],
        "/voice/sms?p=nnjjjnn&s=offer",
        id="sms-3",
    ),
    pytest.param(
        "/voice/sms?p=nnjjjnn&s=offer",
        "9",
        [*DAGBESTEDING, *SMS],
        "/voice/sms?p=nnjjjnn&s=offer&r=1",
        id="sms-9-the-advice-then-the-offer",
    ),
    pytest.param(
        "/voice/sms?p=nnjjjnn&s=offer", "*", BACK, "/voice/answer?p=nnjjjn", id="sms-star"
    ),
    pytest.param(
        "/voice/sms?p=nnjjjnn&s=offer",
        "0",
        TO_LOKET,
        "/voice/dialed?p=nnjjjnn&s=sociaal_loket",
        id="sms-0",
    ),
]


def _next(root: ET.Element) -> str:
    for verb in root:
        if verb.tag in ("Gather", "Dial"):
            return str(verb.attrib["action"])
    raise AssertionError("no Gather or Dial")


@pytest.mark.parametrize(("url", "key", "said", "then"), CASES)
def test_every_key_in_every_menu(
    phone: Caller, url: str, key: str, said: list[str], then: str
) -> None:
    reply = phone.post(url, Digits=key)
    assert reply.spoken() == said
    assert _next(reply.root) == then


@pytest.mark.parametrize(
    ("key", "said", "then"),
    [
        pytest.param(
            "3", [*NUMBER_HELP, *TYPED_NUMBER], "/voice/callback?p=nnjjjnn&s=typed", id="3"
        ),
        pytest.param("9", TYPED_NUMBER, "/voice/callback?p=nnjjjnn&s=typed&r=1", id="9"),
        pytest.param("*", CALLBACK, "/voice/callback?p=nnjjjnn&s=offer", id="star"),
        pytest.param("0", TO_LOKET, "/voice/dialed?p=nnjjjnn&s=sociaal_loket", id="0"),
    ],
)
def test_every_key_when_the_typed_number_is_read_back(
    phone: Caller, key: str, said: list[str], then: str
) -> None:
    phone.params["From"] = "anonymous"
    typed = phone.post("/voice/number?p=nnjjjnn", Digits="0201234567")
    assert typed.spoken() == TYPED_NUMBER
    reply = phone.post("/voice/callback?p=nnjjjnn&s=typed", Digits=key)
    assert reply.spoken() == said
    assert _next(reply.root) == then


def test_star_while_typing_a_number_goes_back_to_the_offer(phone: Caller) -> None:
    phone.params["From"] = "anonymous"
    reply = phone.post("/voice/number?p=nnjjjnn", Digits="*")
    assert reply.spoken() == CALLBACK
    assert _next(reply.root) == "/voice/callback?p=nnjjjnn&s=offer"


WEGVALLEN = [
    "We gaan verder met de vraag.",
    "Valt u als mantelzorger weg, bijvoorbeeld door ziekte of een opname?",
]


def test_after_genoteerd_mid_questions_the_caller_may_go_on(phone: Caller) -> None:
    saved = phone.post("/voice/callback?p=n&s=own", Digits="1")
    assert saved.spoken() == [
        "Genoteerd. De helpdesk van Markant belt u terug.",
        "U krijgt hierover ook een sms.",  # a mobile caller: the request confirmed by SMS
        *GO_ON,
    ]
    assert _next(saved.root) == "/voice/callback?p=n&s=go_on"


@pytest.mark.parametrize(
    ("key", "said", "then"),
    [
        pytest.param("1", WEGVALLEN, "/voice/answer?p=n", id="1-the-question"),
        pytest.param(
            "3",
            [
                "Toets één om verder te gaan bij de vraag waar u was. Toets twee om op te hangen.",
                *GO_ON,
            ],
            "/voice/callback?p=n&s=go_on",
            id="3",
        ),
        pytest.param("9", GO_ON, "/voice/callback?p=n&s=go_on&r=1", id="9"),
        pytest.param("*", WEGVALLEN, "/voice/answer?p=n", id="star"),
        pytest.param("0", TO_MARKANT, "/voice/dialed?p=n&s=markant", id="0"),
    ],
)
def test_every_key_at_go_on(phone: Caller, key: str, said: list[str], then: str) -> None:
    reply = phone.post("/voice/callback?p=n&s=go_on", Digits=key)
    assert reply.spoken() == said
    assert _next(reply.root) == then


def test_two_at_go_on_says_goodbye(phone: Caller) -> None:
    reply = phone.post("/voice/callback?p=n&s=go_on", Digits="2")
    assert reply.verbs() == ["Say", "Hangup"]
