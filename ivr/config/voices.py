"""The Twilio voice that speaks every ``<Say>``: one of the language's, explicit, checked at start.

Twilio's ``<Say>`` defaults to the voice ``man`` and warns that a voice that does not speak the
language may make ``<Say>`` fail. So the line names its voice (``SAY_VOICE``), and only the
voices of Twilio's text-to-speech list that speak the line's language are accepted (for Dutch:
Amazon Polly's nl-NL voices and Google's; ``ivr.core.languages.nl``). All of them read SSML, so a
slower ``<prosody rate>`` works with each.
"""

from __future__ import annotations

from collections.abc import Mapping

from ivr.core.errors import ConfigError
from ivr.core.language import Language
from ivr.core.languages import DUTCH

DEFAULT_VOICE = DUTCH.voice  # Polly.Lotte
# Voices that speak only with the basic engine (no SSML), or another language.
_OTHER_VOICES = "man, woman and alice are basic voices; Polly.Amy and the like speak English"


def is_dutch_voice(voice: str) -> bool:
    """A voice from Twilio's list that speaks nl-NL (and reads SSML)."""
    return DUTCH.speaks(voice)


def say_voice(env: Mapping[str, str], language: Language = DUTCH) -> str:
    """``SAY_VOICE``, else the language's default; a voice that does not speak it is a
    ConfigError."""
    voice = (env.get("SAY_VOICE") or "").strip() or language.voice
    if not language.speaks(voice):
        tag = language.twilio_language
        polly = ", ".join(v for v in language.voices if v.startswith("Polly."))
        google = next((v for v in language.voices if v.startswith("Google.")), None)
        more = f", or {google} and the like" if google else ""
        raise ConfigError(
            "SAY_VOICE",
            f"{voice!r} is not a {language.name} ({tag}) voice of Twilio: use one of {polly}"
            f"{more} ({_OTHER_VOICES})",
        )
    return voice
