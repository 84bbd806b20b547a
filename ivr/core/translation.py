"""Translations of the Dutch texts, checked against the Dutch. Pure.

Dutch is the source: every text the line speaks is written in Dutch first. Another language
holds, per text, its translation, the hash of the Dutch text it translates (``nl:``), and who
reviewed it. Two files per language, in one format:

- ``prompts/<code>.yaml``: the prompts, keyed as in ``prompts/nl.yaml``;
- ``tree/translations/<code>.yaml``: the tree's texts, ``nodes: {<node id>: {<field>: …}}`` and
  ``services: {<service id>: {<field>: …}}``, the fields as the tree names them.

Each text is a mapping::

    question:
      text: Does the person you care for need help today to be safe?
      nl: 5f0c1e2a9b3d        # the first 12 hex digits of the Dutch text's SHA-256
      reviewed: false         # or {by: Ayse Demir, on: 2026-12-06}

A text's state (``State``) says whether the line speaks it: a current or a stale one whose
numbers still match the Dutch is spoken (a stale one with a warning); a missing one, or one whose
numbers differ from the Dutch, is not: the line says the Dutch text there.
"""

from __future__ import annotations

import enum
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ivr.core.language import Language

HASH_LENGTH = 12


def text_hash(dutch: str) -> str:
    """What a translation records of the Dutch text it translates (whitespace folded)."""
    folded = " ".join(dutch.split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:HASH_LENGTH]


@dataclass(frozen=True)
class Review:
    by: str
    on: date


@dataclass(frozen=True)
class Entry:
    """One translated text."""

    text: str
    dutch_hash: str  # the hash of the Dutch text it translates
    review: Review | None = None  # None: a draft no person has reviewed


class State(enum.StrEnum):
    CURRENT = "current"  # translates today's Dutch; spoken
    STALE = "stale"  # the Dutch changed since; its numbers still match, so spoken (a warning)
    WRONG_NUMBERS = "wrong numbers"  # its numbers differ from the Dutch: the Dutch is spoken
    MISSING = "missing"  # no translation: the Dutch is spoken, and the language is not offered


SPOKEN = frozenset({State.CURRENT, State.STALE})


@dataclass(frozen=True)
class Checked:
    """A text's translation and its state, against the Dutch it should translate."""

    key: str  # "welcome", "nodes.acuut.question", "services.markant.name"
    dutch: str
    entry: Entry | None
    state: State
    detail: str = ""  # for wrong numbers: which

    @property
    def spoken(self) -> bool:
        return self.state in SPOKEN

    @property
    def reviewed(self) -> bool:
        return self.entry is not None and self.entry.review is not None


# Numbers, words (a hyphenated word is one: "thirty-six", like "zesendertig", is not "six"),
# marks.
_TOKEN = re.compile(r"\d+(?:[ .,]\d+)*|\w+(?:-\w+)*|[^\w\s]")


def numbers_in(text: str, language: Language) -> Counter[str]:
    """The numbers a text says, as digit strings: digits as written (groups joined: "020 886
    88 00" is one number), and the language's words for 0 to 12 ("één één twee" is "112", as
    consecutive number words are said digit by digit; one of two words too: "on iki" is 12).
    Words that also mean "a" are left out, and so is a number above twelve said in words ("on
    sekiz", like "achttien")."""
    words = {word: str(n) for n, word in enumerate(language.numbers)}
    for word in language.ambiguous_numbers:
        words.pop(word, None)
    tokens = _TOKEN.findall(text.replace("İ", "i").lower())  # "İ".lower() adds a dot mark
    found: Counter[str] = Counter()
    run = ""
    skip = False
    for token, after in zip(tokens, [*tokens[1:], ""], strict=True):
        if skip:  # the number word of a compound ("sekiz" in "on sekiz")
            skip = False
            continue
        digits = _ascii_digits(token)
        if f"{token} {after}" in words:  # a number of two words: Turkish "on bir" is 11
            run += words[f"{token} {after}"]
            skip = True
            continue
        if token in language.tens and after in words:
            skip = True
        elif digits or token in words:
            run += digits or words[token]
            continue
        if run:
            found[run] += 1
            run = ""
    if run:
        found[run] += 1
    return found


def _ascii_digits(token: str) -> str:
    """The digits of a token of digits and group marks ("٣١١" and "020 886" too), else ""."""
    if not token[:1].isdigit():
        return ""
    return "".join(str(unicodedata.digit(c)) for c in token if c.isdigit())


def check(
    key: str, dutch: str, entry: Entry | None, language: Language, source: Language
) -> Checked:
    """A translated text's state against today's Dutch."""
    if entry is None or not entry.text.strip():
        return Checked(key, dutch, None, State.MISSING)
    said, wanted = numbers_in(entry.text, language), numbers_in(dutch, source)
    if said != wanted:
        detail = f"the Dutch says {_listed(wanted)}, the translation {_listed(said)}"
        return Checked(key, dutch, entry, State.WRONG_NUMBERS, detail)
    if entry.dutch_hash != text_hash(dutch):
        return Checked(key, dutch, entry, State.STALE)
    return Checked(key, dutch, entry, State.CURRENT)


def check_all(
    dutch: Mapping[str, str],
    entries: Mapping[str, Entry],
    language: Language,
    source: Language,
) -> dict[str, Checked]:
    """Every Dutch text's translation, checked, in the order of the Dutch."""
    return {
        key: check(key, text, entries.get(key), language, source) for key, text in dutch.items()
    }


def _listed(numbers: Counter[str]) -> str:
    return ", ".join(sorted(numbers.elements())) or "no number"
