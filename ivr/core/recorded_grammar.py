"""The grammar of a recorded language's phrases, and a text matched against it. Pure.

A phrase is a pattern (``Pattern``) of literal words (``Said``, each with the recording that says
them) and slots (``Slot``: a number, a time, a name … each a kind of the grammar). ``PhraseMatcher``
finds every way a kind says the start of a text, and the pieces that say it;
``ivr.core.recorded.RecordedSpeech`` builds the grammar from a language's texts and words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ivr.core.language import Language

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Said:
    """Literal words of a phrase; ``piece``: the recording that says them ("" for marks)."""

    text: str
    piece: str


@dataclass(frozen=True)
class Slot:
    kind: str


Pattern = tuple[Said | Slot, ...]


class PhraseMatcher:
    """The matching of a text against a recorded language's grammar: ``language``'s numbers,
    the pieces by their words (``_by_text``) and the patterns of each kind (``_grammar``)."""

    language: Language
    _by_text: dict[str, str]  # a piece's words -> its id
    _grammar: dict[str, list[Pattern]]

    def _match(self, kind: str, text: str, at: int) -> Iterator[tuple[int, tuple[str, ...]]]:
        """Every way ``kind`` says the start of ``text[at:]``: where it ends, and its pieces."""
        if kind == "digits":  # a number written in digits (a date, minutes): its words
            found = _DIGITS.match(text, at)
            if found:
                value = int(found[0])
                small = value < len(self.language.numbers)
                digits = [value] if small else [int(d) for d in found[0]]
                yield found.end(), tuple(self._by_text[self.language.numbers[d]] for d in digits)
            return
        if kind == "phone":  # digit words, in groups: "صفر جوج صفر، تمنية …"
            yield from self._phone(text, at)
            return
        for pattern in self._grammar.get(kind, ()):
            yield from self._follow(pattern, text, at)

    def _follow(
        self, pattern: Pattern, text: str, at: int
    ) -> Iterator[tuple[int, tuple[str, ...]]]:
        if not pattern:
            yield at, ()
            return
        first, rest = pattern[0], pattern[1:]
        if isinstance(first, Said):
            if text.startswith(first.text, at):
                said = (first.piece,) if first.piece else ()
                for end, ids in self._follow(rest, text, at + len(first.text)):
                    yield end, said + ids
            return
        for middle, ids in self._match(first.kind, text, at):
            for end, more in self._follow(rest, text, middle):
                yield end, ids + more

    def _phone(self, text: str, at: int) -> Iterator[tuple[int, tuple[str, ...]]]:
        for end, ids in self._match("digit", text, at):
            yield end, ids
            for mark in (" ", ", "):
                if text.startswith(mark, end):
                    for after, more in self._phone(text, end + len(mark)):
                        yield after, ids + more
