"""The Twilio voice that speaks a language's ``<Say>``: one of the language's, explicit, checked at
start.

Twilio's ``<Say>`` defaults to the voice ``man`` and warns that a voice that does not speak the
language may make ``<Say>`` fail. So the line names each language's voice (``SAY_VOICE`` for
Dutch, ``SAY_VOICE_<CODE>`` for another, ``SAY_VOICE_EN``), and only the voices of Twilio's
text-to-speech list that speak that language are accepted (for Dutch: Amazon Polly's nl-NL voices
and Google's; ``ivr.core.languages.nl``). All of them read SSML, so a slower ``<prosody rate>``
works with each. A recorded language (``Language.recorded``) has no voice.
"""

from __future__ import annotations

from collections.abc import Mapping

from ivr.core.errors import ConfigError
from ivr.core.language import SOURCE, Language
from ivr.core.languages import DUTCH

DEFAULT_VOICE = DUTCH.voice  # Polly.Lotte
# Voices that speak only with the basic engine (no SSML), or another language.
_OTHER_VOICES = "man, woman and alice are basic voices; every other voice speaks one language"


def is_dutch_voice(voice: str) -> bool:
    """A voice from Twilio's list that speaks nl-NL (and reads SSML)."""
    return DUTCH.speaks(voice)


def voice_key(language: Language) -> str:
    """The setting that names a language's voice: ``SAY_VOICE`` for Dutch, else
    ``SAY_VOICE_<CODE>``."""
    return "SAY_VOICE" if language.code == SOURCE else f"SAY_VOICE_{language.code.upper()}"


def say_voice(env: Mapping[str, str], language: Language = DUTCH) -> str:
    """The language's voice setting (``voice_key``), else its default; a voice that does not
    speak it is a ConfigError. "" for a recorded language, which may name none."""
    key = voice_key(language)
    raw = (env.get(key) or "").strip()
    if language.recorded:
        if raw:
            raise ConfigError(
                key,
                f"{language.name} is spoken by recordings people made, not by a Twilio voice: "
                f"remove {key}",
            )
        return ""
    voice = raw or language.voice
    if not language.speaks(voice):
        tag = language.twilio_language
        named = [v for v in language.voices if v.startswith("Polly.")]
        google = next((v for v in language.voices if v.startswith("Google.")), None)
        choices = ", ".join(named or language.voices[:1])
        more = f", or {google} and the like" if google and named else ""
        article = "an" if language.name[:1] in "AEIOU" else "a"
        raise ConfigError(
            key,
            f"{voice!r} is not {article} {language.name} ({tag}) voice of Twilio: use one of "
            f"{choices}{more} ({_OTHER_VOICES})",
        )
    return voice
