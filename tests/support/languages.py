"""Made-up languages for the tests of the language settings and translations.

They use Dutch words (numbers, days): a Dutch text is then its own correct "translation", so a
test changes only the one text it is about.
"""

from __future__ import annotations

from dataclasses import replace

from ivr.core.language import Language
from ivr.core.languages import DUTCH


def made_up(code: str = "xx", recorded: bool = False) -> Language:
    """A language spoken by Twilio's English voices, or a recorded one (no voice, key 5)."""
    return replace(
        DUTCH,
        code=code,
        name="Testish",
        dutch_name="Testisch",
        twilio_language="en-GB",
        voices=() if recorded else ("Polly.Amy", "Polly.Brian"),
        recorded=recorded,
        choice_key="5" if recorded else "7",
        choice="Voor Testisch, druk 5." if recorded else "Voor Testisch, druk 7.",
        choice_words=frozenset({"testisch"}),
    )
