"""A pace that adapts: a repeat is slower; from the second repeat on, the call stays slow and
patient (state ``r`` in the URL); the staff's whisper keeps the normal pace."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests.support.calls import Caller
from tests.support.spoken import KEYS_SHORT

ACUUT = "Heeft uw naaste vandaag nog hulp nodig om veilig te zijn?"
WEGVALLEN = "Valt u als mantelzorger weg, bijvoorbeeld door ziekte of een opname?"


def _says(root: ET.Element) -> list[tuple[str, str | None]]:
    """Each spoken text with its prosody rate (None: normal pace)."""
    found = []
    for say in root.iter("Say"):
        prosody = say.find("prosody")
        found.append(("".join(say.itertext()), None if prosody is None else prosody.get("rate")))
    return found


@pytest.mark.parametrize(
    ("url", "extra", "said", "timeout", "then"),
    [
        pytest.param(
            "/voice/answer?p=", {"Digits": "9"}, [(ACUUT, "85%")], "8", "/voice/answer?p=&r=1",
            id="first-repeat-slower",
        ),
        pytest.param(
            "/voice/answer?p=", {}, [("Ik hoorde niets.", "85%"), (ACUUT, "85%"),
                                      (KEYS_SHORT, "85%")],
            "8", "/voice/answer?p=&ni=1&r=1", id="asked-again-after-silence-slower",
        ),
        pytest.param(
            "/voice/answer?p=&r=1", {"Digits": "2"}, [(WEGVALLEN, None)], "8",
            "/voice/answer?p=n&r=1", id="after-one-repeat-normal-again",
        ),
        pytest.param(
            "/voice/answer?p=&r=1", {"Digits": "9"}, [(ACUUT, "85%")], "12",
            "/voice/answer?p=&r=2", id="second-repeat-slow-and-patient",
        ),
        pytest.param(
            "/voice/answer?p=&r=2", {"Digits": "2"}, [(WEGVALLEN, "85%")], "12",
            "/voice/answer?p=n&r=2", id="stays-slow-for-the-rest-of-the-call",
        ),
    ],
)  # fmt: skip
def test_the_pace_follows_the_caller(
    caller: Caller, url: str, extra: dict[str, str], said: list, timeout: str, then: str
) -> None:
    reply = caller.post(url, **extra)
    assert _says(reply.root) == said
    assert reply.gather().attrib["timeout"] == timeout
    assert reply.next_url() == then


def test_the_whisper_keeps_the_normal_pace(caller: Caller) -> None:
    reply = caller.post("/voice/answer?p=n&r=2", Digits="0")
    number = reply.root.find("Dial/Number")
    assert number is not None
    assert number.attrib["url"] == "/voice/whisper?p=n&s=markant"
    assert reply.root.find("Dial").attrib["action"] == "/voice/dialed?p=n&s=markant&r=2"
    whisper = caller.post(number.attrib["url"], Direction="outbound-dial")
    assert all(rate is None for _, rate in _says(whisper.root))
    assert whisper.gather().attrib["timeout"] == "5"


def test_a_bad_repeat_count_gets_the_apology(caller: Caller) -> None:
    reply = caller.post("/voice/answer?p=&r=5", Digits="1")
    assert reply.spoken()[0].startswith("Sorry, er ging iets mis bij deze telefoonlijn.")
