"""Warm transfer: the Dial, the whisper to the person who answers, and every Dial outcome."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from ivr.core.call_summary import seconds, whisper
from ivr.core.errors import ConfigError
from ivr.web.line import Line
from tests.support.calls import Caller
from tests.support.spoken import KEYS_SHORT

GOODBYE = "Bedankt voor het bellen. Veel sterkte met de zorg. Tot ziens."
OFFER = [
    "Wilt u dat de helpdesk van Markant u terugbelt?",
    KEYS_SHORT,
]
LOKET = "nul twee nul, twee vijf vijf, twee negen, één zes"
ACCEPT = "Toets één om het gesprek aan te nemen."


def test_a_public_line_gets_a_plain_transfer_with_timeout_and_caller_id(
    make_app: Callable[..., Flask],
) -> None:
    """The Sociaal loket ("screening: plain"): a menu answers it, so no whisper, no accept key."""
    app = make_app(SOCIAAL_LOKET_RING_TIMEOUT="40", DIAL_CALLER_ID="+31201234567")
    reply = Caller(app.test_client()).post("/voice/menu?p=nnjjjnn&s=offer", Digits="1")
    assert reply.verbs() == ["Say", "Dial"]
    dial = reply.root.find("Dial")
    assert dial is not None
    assert dial.attrib == {
        "action": "/voice/dialed?p=nnjjjnn&s=sociaal_loket",
        "answerOnBridge": "true",
        "callerId": "+31201234567",
        "method": "POST",
        "timeout": "40",
    }
    number = dial.find("Number")
    assert number is not None
    assert number.text == "+31202552916"
    assert number.attrib == {}


def test_markants_helpdesk_gets_the_whisper_and_the_accept_key(caller: Caller) -> None:
    """Markant's helpdesk ("screening: whisper") agreed to hear who calls and to press 1."""
    reply = caller.post("/voice/answer?p=nj", Digits="0")
    dial = reply.root.find("Dial")
    assert dial is not None
    assert dial.attrib["action"] == "/voice/dialed?p=nj&s=markant"
    number = dial.find("Number")
    assert number is not None
    assert number.text == "+31208868800"
    assert number.attrib == {"url": "/voice/whisper?p=nj&s=markant", "method": "POST"}


def test_screening_is_set_per_service_in_the_shipped_tree(app: Flask) -> None:
    services = app.extensions["ivr_line"].flow.tree.services
    assert {sid: s.screened for sid, s in services.items()} == {
        "markant": True,
        "sociaal_loket": False,
    }


@pytest.mark.parametrize(
    ("key", "bad"),
    [
        pytest.param("MARKANT_RING_TIMEOUT", "3", id="ring-timeout-too-short"),
        pytest.param("DIAL_CALLER_ID", "020 123 45 67", id="caller-id-not-e164"),
        pytest.param("SOCIAAL_LOKET_DIAL_NUMBER", "0202552916", id="dial-number-not-e164"),
    ],
)
def test_dial_settings_are_checked_at_start(
    make_app: Callable[..., Flask], key: str, bad: str
) -> None:
    with pytest.raises(ConfigError, match=f"^{key}: "):
        make_app(**{key: bad})


@pytest.mark.parametrize(
    ("path", "said"),
    [
        pytest.param(
            "nnjjjnn",
            [
                "Beller van de Mantelzorglijn.",
                "Advies: Dagbesteding voor uw naaste.",
                "Ja op: respijtzorg, één dag, meer begeleiding nodig.",
                "Nee op: crisis, mantelzorger valt weg, W L Z, kind.",
                ACCEPT,
            ],
            id="offering",
        ),
        pytest.param(
            "nj",
            [
                "Beller van de Mantelzorglijn.",
                "Hulp nodig bij de vraag over: zorg thuis.",
                "Ja op: mantelzorger valt weg.",
                "Nee op: crisis.",
                ACCEPT,
            ],
            id="question",
        ),
        pytest.param(
            "",
            [
                "Beller van de Mantelzorglijn.",
                "Hulp nodig bij de vraag over: crisis.",
                "Nog geen antwoorden.",
                ACCEPT,
            ],
            id="first-question",
        ),
    ],
)
def test_whisper_says_where_the_caller_got_to(caller: Caller, path: str, said: list[str]) -> None:
    reply = caller.post(f"/voice/whisper?p={path}&s=markant", Direction="outbound-dial")
    assert reply.spoken() == said
    assert reply.verbs() == ["Gather", "Hangup"]  # no key: the leg is declined
    assert reply.gather().attrib == {
        "action": f"/voice/accept?p={path}&s=markant",
        "input": "dtmf",
        "numDigits": "1",
        "timeout": "5",
        "finishOnKey": "",
        "method": "POST",
    }


def test_every_whisper_stays_under_fifteen_seconds(app: Flask) -> None:
    line: Line = app.extensions["ivr_line"]
    tree, prompts = line.flow.tree, line.flow.say.prompts
    paths = {p[:i] for p in tree.paths() for i in range(len(p) + 1)}
    longest = max(seconds(whisper(tree, prompts, p)) for p in paths)
    assert longest <= 15.0


@pytest.mark.parametrize(
    ("digits", "verbs"),
    [
        pytest.param("1", [], id="accepted"),
        pytest.param("2", ["Hangup"], id="other-key-declines"),
    ],
)
def test_agent_key_after_the_whisper(caller: Caller, digits: str, verbs: list[str]) -> None:
    reply = caller.post("/voice/accept?p=nnjjjnn&s=sociaal_loket", Digits=digits)
    assert reply.verbs() == verbs


NOT_THROUGH = "Het lukt nu niet om u door te verbinden."
NOBODY = f"{NOT_THROUGH} Er kon niemand opnemen."
NOT_ANSWERED = [
    pytest.param({"DialCallStatus": "busy"}, f"{NOT_THROUGH} De lijn is bezet.", id="busy"),
    pytest.param(
        {"DialCallStatus": "busy", "DialBridged": "false"},
        f"{NOT_THROUGH} De lijn is bezet.",
        id="busy-not-bridged",
    ),
    pytest.param(
        {"DialCallStatus": "no-answer", "DialBridged": "false"}, NOBODY, id="no-answer-not-bridged"
    ),
    pytest.param({"DialCallStatus": "no-answer"}, NOBODY, id="no-answer"),
    pytest.param({"DialCallStatus": "failed"}, NOT_THROUGH, id="failed"),
    pytest.param({"DialCallStatus": "canceled"}, NOT_THROUGH, id="canceled"),
    pytest.param(
        {"DialCallStatus": "completed", "DialBridged": "false"}, NOBODY, id="whisper-declined"
    ),
    pytest.param(
        {"DialCallStatus": "answered", "DialBridged": "false"}, NOBODY, id="answered-not-bridged"
    ),
    pytest.param({"DialCallStatus": "something-new"}, NOT_THROUGH, id="unknown-status"),
]


@pytest.mark.parametrize(("outcome", "said"), NOT_ANSWERED)
def test_not_answered_says_why_the_number_and_a_callback_no_hours_while_open(
    caller: Caller, outcome: dict[str, str], said: str
) -> None:
    reply = caller.post("/voice/dialed?p=nnjjjnn&s=sociaal_loket", **outcome)
    assert reply.spoken() == [
        said,
        f"Bel het Sociaal loket later zelf. Het nummer is {LOKET}. Ik herhaal: {LOKET}.",
        *OFFER,
    ]
    assert reply.next_url() == "/voice/callback?p=nnjjjnn&s=offer"


@pytest.mark.parametrize(
    "outcome",
    [
        pytest.param({"DialCallStatus": "completed", "DialBridged": "true"}, id="completed"),
        pytest.param({"DialCallStatus": "completed"}, id="completed-no-bridged-field"),
        pytest.param({"DialCallStatus": "answered", "DialBridged": "true"}, id="answered"),
    ],
)
def test_a_finished_conversation_ends_with_goodbye(caller: Caller, outcome: dict[str, str]) -> None:
    reply = caller.post("/voice/dialed?p=nnjjjnn&s=sociaal_loket", **outcome)
    assert reply.spoken() == [GOODBYE]
    assert reply.verbs() == ["Say", "Hangup"]


def test_whisper_with_a_bad_path_still_answers_twiml(caller: Caller) -> None:
    reply = caller.post("/voice/whisper?p=jjjjjjjj&s=markant")
    assert reply.status == 200
    assert reply.content_type.startswith("text/xml")
