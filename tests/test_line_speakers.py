"""The TwiML writer speaks each text in its own language: the call's, or an ``InLanguage``
text's (a language's choice at the welcome, Dutch kept where a translation may not be spoken),
by that language's voice, ``<Say>`` language, normaliser, audio or recordings."""

from __future__ import annotations

from xml.etree import ElementTree

from ivr.core.actions import Ask, Keys, Pace, Say
from ivr.core.call_state import Route, Step
from ivr.core.language import InLanguage
from ivr.core.languages import DUTCH
from ivr.web.twiml import Speaker, TwimlWriter
from tests.support.languages import made_up

TESTISH = made_up("xx")
RECORDED = made_up("yy", recorded=True)
DUTCH_AUDIO = {"Welkom.": "/audio/welkom.mp3"}


def _recordings(text: str) -> tuple[str, ...]:
    return (f"/recordings/yy/{len(text)}.mp3",)


SPEAKERS = {
    "nl": Speaker(DUTCH, "Polly.Ruben", DUTCH_AUDIO.get),
    "xx": Speaker(TESTISH, "Polly.Brian"),
    "yy": Speaker(RECORDED, recordings=_recordings),
}


def _writer(code: str) -> TwimlWriter:
    language = {"nl": DUTCH, "xx": TESTISH, "yy": RECORDED}[code]
    return TwimlWriter(
        lambda step: f"/voice/{step.route}", {}, language=language, speakers=SPEAKERS
    )


def _said(xml: str) -> list[tuple[str, str, dict[str, str]]]:
    root = ElementTree.fromstring(xml)
    return [(el.tag, el.text or "", el.attrib) for el in root.iter() if el.tag in ("Say", "Play")]


def test_a_text_is_said_in_the_call_s_language_and_an_in_language_text_in_its_own() -> None:
    turn = (
        Say("Bel 020 886 88 00."),
        Say(InLanguage("Bel 020 886 88 00.", "nl")),
        Say(InLanguage("Welkom.", "nl")),
    )
    assert _said(_writer("xx").render(turn)) == [
        ("Say", "Bel nul twee nul, acht acht zes, acht acht, nul nul.",
         {"language": "en-GB", "voice": "Polly.Brian"}),
        ("Say", "Bel nul twee nul, acht acht zes, acht acht, nul nul.",
         {"language": "nl-NL", "voice": "Polly.Ruben"}),
        ("Play", "/audio/welkom.mp3", {}),  # Dutch audio, for the Dutch text
    ]  # fmt: skip


def test_pre_rendered_audio_is_only_the_language_s_own() -> None:
    """The English writer has no Dutch audio for an English text with the same words."""
    assert _said(_writer("xx").render((Say("Welkom."),))) == [
        ("Say", "Welkom.", {"language": "en-GB", "voice": "Polly.Brian"})
    ]
    assert _said(_writer("nl").render((Say("Welkom."),))) == [("Play", "/audio/welkom.mp3", {})]


def test_slow_speech_keeps_the_text_s_language() -> None:
    xml = _writer("nl").render((Pace(slow=True), Say(InLanguage("For Testish.", "xx"))))
    say = ElementTree.fromstring(xml).find("Say")
    assert say is not None
    assert say.attrib == {"language": "en-GB", "voice": "Polly.Brian"}


def test_the_welcome_s_gather_hears_the_choice_words_in_the_call_s_language() -> None:
    keys = Keys(
        ("Welkom.", InLanguage("For Testish, press 7.", "xx")),
        Step(Route.WELCOME),
        digits=1,
        timeout=1,
        hints="testish, testisch",
    )
    root = ElementTree.fromstring(_writer("nl").render((keys,)))
    gather = root.find("Gather")
    assert gather is not None
    assert gather.attrib == {
        "action": "/voice/welcome",
        "finishOnKey": "",
        "hints": "testish, testisch",
        "input": "dtmf speech",
        "language": "nl-NL",
        "method": "POST",
        "numDigits": "1",
        "speechTimeout": "2",
        "timeout": "1",
    }
    assert [(el.tag, el.attrib.get("language")) for el in gather] == [
        ("Play", None),
        ("Say", "en-GB"),
    ]


def test_a_recorded_language_plays_its_recordings_and_hears_keys_only() -> None:
    turn = (
        Say("Kort."),
        Ask(("Een vraag?",), Step(Route.ANSWER)),
        Keys(("Welkom.",), Step(Route.WELCOME), digits=1, timeout=1, hints="ja"),
    )
    root = ElementTree.fromstring(_writer("yy").render(turn))
    assert [el.tag for el in root.iter()][1:] == ["Play", "Gather", "Play", "Gather", "Play"]
    assert [el.text for el in root.iter("Play")] == [
        "/recordings/yy/5.mp3",
        "/recordings/yy/10.mp3",
        "/recordings/yy/7.mp3",
    ]
    assert [(g.attrib["input"], "hints" in g.attrib) for g in root.iter("Gather")] == [
        ("dtmf", False),
        ("dtmf", False),
    ]
