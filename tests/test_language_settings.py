"""LANGUAGES, LANGUAGE_BY_NUMBER and SAY_VOICE_<CODE>: read at start, a bad value refused with its
key's name."""

from __future__ import annotations

import pytest

from ivr.config.language_settings import language_by_number, listed_languages
from ivr.config.settings import Settings
from ivr.config.voices import say_voice
from ivr.core import languages
from ivr.core.errors import ConfigError
from ivr.core.languages import DUTCH
from tests.support.languages import made_up

OTHER = made_up("xx")
RECORDED = made_up("xy", recorded=True)


def test_by_default_the_line_offers_dutch_alone_in_its_voice() -> None:
    settings = Settings.for_commands({})
    assert (
        settings.languages,
        settings.say_voice,
        settings.say_voices,
        settings.language_by_number,
    ) == ((DUTCH,), "Polly.Lotte", {}, {})


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("nl", id="dutch"),
        pytest.param("", id="empty"),
        pytest.param(" NL , nl,", id="capitals-twice-and-a-trailing-comma"),
    ],
)
def test_dutch_is_always_listed_once_and_first(raw: str) -> None:
    assert listed_languages({"LANGUAGES": raw}) == (DUTCH,)


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("de", id="not-there"),
        pytest.param("en-gb", id="a-twilio-language"),
        pytest.param("nl.nl", id="a-module-path"),
    ],
)
def test_a_language_the_line_does_not_have_is_refused_naming_those_it_has(code: str) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.for_commands({"LANGUAGES": f"nl,{code}"})
    assert str(raised.value) == (
        f"LANGUAGES: {code!r} is not a language of the line: it has {', '.join(languages.codes())}"
    )


def test_a_number_binds_a_listed_language() -> None:
    env = {"LANGUAGE_BY_NUMBER": " +31201234567=XX, +31207654321=nl ,"}
    assert language_by_number(env, (DUTCH, OTHER)) == {
        "+31201234567": "xx",
        "+31207654321": "nl",
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        pytest.param("+31201234567", "'+31201234567' is not a number and a language, like "
                     "+31201234567=en", id="no-language"),
        pytest.param("=xx", "'=xx' is not a number and a language, like +31201234567=en",
                     id="no-number"),
        pytest.param("020 123 45 67=xx", "'020 123 45 67' is not written in E.164: write "
                     "+31201234567", id="written-dutch"),
        pytest.param("+3120123=xx", "'+3120123' is not a valid Dutch phone number: expected 10 "
                     "digits starting with 0 (like 020 886 88 00), an 0800/0900 number, or 112",
                     id="too-short"),
        pytest.param("+442071234567=xx", "'+442071234567' is not a Dutch number (+31…)",
                     id="not-dutch"),
        pytest.param("+31201234567=tr", "+31201234567 is bound to 'tr', which LANGUAGES does not "
                     "list (it lists nl, xx): add it to LANGUAGES", id="not-listed"),
        pytest.param("+31201234567=xx,+31201234567=nl", "+31201234567 is bound to xx and to nl",
                     id="bound-twice"),
    ],
)  # fmt: skip
def test_a_bad_binding_is_refused_saying_why(raw: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        language_by_number({"LANGUAGE_BY_NUMBER": raw}, (DUTCH, OTHER))
    assert str(raised.value) == f"LANGUAGE_BY_NUMBER: {message}"


def test_a_binding_is_checked_at_start() -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.for_commands({"LANGUAGE_BY_NUMBER": "+31201234567=en"})
    assert str(raised.value) == (
        "LANGUAGE_BY_NUMBER: +31201234567 is bound to 'en', which LANGUAGES does not list (it "
        "lists nl): add it to LANGUAGES"
    )


@pytest.mark.parametrize(
    ("env", "voice"),
    [
        pytest.param({}, "Polly.Amy", id="default"),
        pytest.param({"SAY_VOICE_XX": "Polly.Brian"}, "Polly.Brian", id="chosen"),
        pytest.param({"SAY_VOICE_XX": " ", "SAY_VOICE": "Polly.Ruben"}, "Polly.Amy",
                     id="dutchs-setting-is-dutchs"),
    ],
)  # fmt: skip
def test_each_language_has_a_voice_setting_of_its_own(env: dict[str, str], voice: str) -> None:
    assert say_voice(env, OTHER) == voice


def test_a_voice_that_does_not_speak_the_language_is_refused_naming_its_key() -> None:
    with pytest.raises(ConfigError) as raised:
        say_voice({"SAY_VOICE_XX": "Polly.Lotte"}, OTHER)
    assert str(raised.value) == (
        "SAY_VOICE_XX: 'Polly.Lotte' is not a Testish (en-GB) voice of Twilio: use one of "
        "Polly.Amy, Polly.Brian (man, woman and alice are basic voices; every other voice speaks "
        "one language)"
    )


def test_a_recorded_language_has_no_voice_and_takes_none() -> None:
    assert say_voice({}, RECORDED) == ""
    with pytest.raises(ConfigError) as raised:
        say_voice({"SAY_VOICE_XY": "Polly.Amy"}, RECORDED)
    assert str(raised.value) == (
        "SAY_VOICE_XY: Testish is spoken by recordings people made, not by a Twilio voice: "
        "remove SAY_VOICE_XY"
    )
