"""Dutch the line speaks that many tests assert, written down once (exact, as the caller hears it).

Written out here rather than read from prompts/nl.yaml: the tests check the prompts too.
"""

from __future__ import annotations

import re

from ivr.core.normalise import normalise

# The keys at a yes/no question, after a hint ("Ik hoorde niets.") and in every yes/no menu.
KEYS_SHORT = "Toets één voor ja, of twee voor nee."
# Every key spelled out, after the second silence or wrong key.
KEYS_FULL = (
    "Toets één voor ja. Toets twee voor nee. Toets drie als u het niet weet. "
    "Toets sterretje om terug te gaan. Toets nul om met een medewerker te praten."
)
# The Markant helpdesk's number, digit by digit.
MARKANT = "nul twee nul, acht acht zes, acht acht, nul nul"
SAVED = "Genoteerd. De helpdesk van Markant belt u terug."
# after "genoteerd" at a question: go on with the questions?
GO_ON = ["Wilt u verder gaan met de vragen?", KEYS_SHORT]
GOODBYE = "Bedankt voor het bellen. Veel sterkte met de zorg. Tot ziens."
SMS_FAILED = "Sorry, het versturen van de sms is niet gelukt. Schrijf de nummers zelf op."
# Distinct texts the shipped line can speak (ivr.core.spoken_texts; tests/test_spoken_texts.py).
TEXTS = 187


def sentences(text: str) -> list[str]:
    """A spoken text in sentences, as the caller hears it (normalised: W L Z, numbers in words)."""
    return re.split(r"(?<=[.?!])\s+", normalise(text))
