"""Every <Say> names a Dutch Twilio voice: SAY_VOICE, else Polly.Lotte; others refused at start."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from ivr.config.settings import Settings
from ivr.config.voices import DEFAULT_VOICE, is_dutch_voice
from ivr.core.errors import ConfigError
from tests.support.calls import Caller


def _says(caller: Caller) -> list[dict[str, str]]:
    reply = caller.post("/voice", CallStatus="ringing")
    return [say.attrib for say in reply.root.iter("Say")]


def test_every_say_has_the_default_dutch_voice(caller: Caller) -> None:
    says = _says(caller)
    assert len(says) == 3
    assert all(attrib == {"language": "nl-NL", "voice": "Polly.Lotte"} for attrib in says)
    assert DEFAULT_VOICE == "Polly.Lotte"


@pytest.mark.parametrize(
    "voice",
    [
        pytest.param("Polly.Ruben", id="polly-ruben"),
        pytest.param("Polly.Laura-Neural", id="polly-laura-neural"),
        pytest.param("Google.nl-NL-Standard-A", id="google-standard"),
        pytest.param("Google.nl-NL-Wavenet-B", id="google-wavenet"),
    ],
)
def test_say_voice_sets_the_voice_of_every_say(make_app: Callable[..., Flask], voice: str) -> None:
    caller = Caller(make_app(SAY_VOICE=voice).test_client())
    says = _says(caller)
    assert [attrib["voice"] for attrib in says] == [voice, voice, voice]


@pytest.mark.parametrize(
    "voice",
    [
        pytest.param("man", id="twilio-default-man"),
        pytest.param("woman", id="basic-woman"),
        pytest.param("alice", id="basic-alice"),
        pytest.param("Polly.Amy", id="english-polly"),
        pytest.param("Polly.Lisa", id="flemish-polly"),
        pytest.param("Google.nl-BE-Standard-A", id="flemish-google"),
        pytest.param("Google.en-GB-Standard-A", id="english-google"),
        pytest.param("polly.lotte", id="wrong-case"),
    ],
)
def test_a_voice_that_is_not_dutch_stops_the_start_naming_the_key(
    make_app: Callable[..., Flask], voice: str
) -> None:
    assert not is_dutch_voice(voice)
    with pytest.raises(ConfigError, match=rf"^SAY_VOICE: '{voice}' is not a Dutch \(nl-NL\) voice"):
        make_app(SAY_VOICE=voice)


def test_an_empty_say_voice_means_the_default() -> None:
    settings = Settings.from_env({"IVR_DEV_MODE": "1", "SAY_VOICE": " "})
    assert settings.say_voice == "Polly.Lotte"
