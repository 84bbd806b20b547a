"""The Twilio voice that speaks every ``<Say>``: Dutch (nl-NL), explicit, checked at start.

Twilio's ``<Say>`` defaults to the voice ``man`` and warns that a voice that does not speak the
language may make ``<Say>`` fail. So the line names its voice (``SAY_VOICE``), and only the
Dutch voices of Twilio's text-to-speech list are accepted: Amazon Polly's nl-NL voices and
Google's nl-NL voices. All of them read SSML, so a slower ``<prosody rate>`` works with each.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ivr.core.errors import ConfigError

# Polly Lotte is a standard voice: every SSML ``<prosody>`` attribute works with it.
DEFAULT_VOICE = "Polly.Lotte"
POLLY_VOICES = ("Polly.Lotte", "Polly.Ruben", "Polly.Laura-Neural")
_GOOGLE = re.compile(r"Google\.nl-NL-(?:Standard|Wavenet)-[A-G]")
# Voices that speak only with the basic engine (no SSML) or not Dutch at all.
_NOT_DUTCH_HINT = "man, woman and alice are basic voices; Polly.Amy and the like speak English"


def is_dutch_voice(voice: str) -> bool:
    """A voice from Twilio's list that speaks nl-NL (and reads SSML)."""
    return voice in POLLY_VOICES or bool(_GOOGLE.fullmatch(voice))


def say_voice(env: Mapping[str, str]) -> str:
    """``SAY_VOICE``, else Polly.Lotte; anything but a Dutch voice is a ConfigError."""
    voice = (env.get("SAY_VOICE") or "").strip() or DEFAULT_VOICE
    if not is_dutch_voice(voice):
        dutch = ", ".join(POLLY_VOICES)
        raise ConfigError(
            "SAY_VOICE",
            f"{voice!r} is not a Dutch (nl-NL) voice of Twilio: use one of {dutch}, "
            f"or Google.nl-NL-Standard-A and the like ({_NOT_DUTCH_HINT})",
        )
    return voice
