"""The welcome's language choice: what a Dutch caller hears of the offered languages, and how a
key or a spoken name chooses one. Pure.

After the Dutch welcome sentence, inside the welcome's ``Gather``, each offered language says its
``choice`` sentence in its own words and voice ("For English, press 7."); its ``choice_key``, or
one of its ``choice_words`` said (heard by Dutch speech recognition: "English", "Engels"),
chooses it. Any other key or word keeps its meaning at the welcome (``CallFlow.welcome_key``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ivr.core.language import InLanguage, Language

_WORD = re.compile(r"\w+")


def choice_sentences(offers: Sequence[Language]) -> tuple[str, ...]:
    """Each offered language's sentence, in its own language."""
    return tuple(InLanguage(language.choice, language.code) for language in offers)


def choice_hints(offers: Sequence[Language]) -> str:
    """The words that choose a language, for the speech recogniser ("" when none is offered)."""
    return ", ".join(sorted({word for language in offers for word in language.choice_words}))


def chosen(offers: Sequence[Language], digits: str, speech: str) -> Language | None:
    """The language a caller chose at the welcome: by its key, or by saying one of its words
    (whole words, any case); None for anything else, and for words of two languages."""
    if digits:
        return next((found for found in offers if found.choice_key == digits), None)
    said = f" {' '.join(_WORD.findall(speech.lower()))} "
    named = [
        language
        for language in offers
        if any(f" {word.lower()} " in said for word in language.choice_words)
    ]
    return named[0] if len(named) == 1 else None
