"""What a recorded language records, and which recordings say a text of it. Pure.

A recorded language (``Language.recorded``) has no voice: people record the pieces the line
composes every turn of a call from (``ivr.audio.recordings`` finds them in ``recordings/<code>/``):

- each text of the tree the line speaks (``nodes.acuut.question``, ``services.markant.name``;
  not the SMS) and each prompt (not the whisper, which is Dutch, nor the SMS's own texts);
- a prompt with placeholders in the parts between them: ``contact_call.1`` is "عيّط على" of
  "عيّط على {service}: {number}. …"; a part of marks alone (": ") is silence;
- the language's choice at the Dutch welcome (``choice``);
- its words: the numbers 0 to 12 (a phone number is played digit by digit), the weekdays and
  months, and the parts of its clock and calendar phrases (``clock.half.1``).

A text said twice (the same question at two nodes, "نعاود:" in every number) is one piece,
named by the first id that needs it. ``RecordedSpeech.pieces_of`` splits a text the line says
into its pieces, in order, by the same phrases that composed it (matched by
``ivr.core.recorded_grammar``).
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from ivr.core.language import SOURCE
from ivr.core.prompts import DUTCH_ONLY_PREFIX
from ivr.core.recorded_grammar import Pattern, PhraseMatcher, Said, Slot
from ivr.core.translated import LineLanguage, dutch_texts
from ivr.core.translation import text_hash

# Prompts nobody hears in the language: the whisper (Dutch, for the helpdesk) and the SMS's text.
UNSPOKEN_PROMPTS = frozenset({"sms_contact", "sms_contact_hours", "sms_web", "sms_signature"})
UNSPOKEN_PROMPTS |= {"sms_callback"}
# What a prompt's placeholder is filled with, as a kind of the grammar.
_PROMPT_SLOTS = {
    "service": "name",
    "number": "phone",
    "hours": "hours",
    "when": "moment",
    "days": "count",
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_LEADING_MARKS = " .,:;!?،؛؟"


@dataclass(frozen=True)
class Piece:
    """One recording to make: its id (safe in a file name) and the words it says."""

    id: str
    text: str

    @property
    def hash(self) -> str:
        return text_hash(self.text)

    @property
    def stem(self) -> str:
        """Its file name without the extension: ``nodes.acuut.question.5f0c1e2a9b3d``."""
        return f"{self.id}.{self.hash}"


def file_id(key: str) -> str:
    """A text's key as a file name's start: ASCII letters, digits, ``._-`` ("contacts.MEE_…")."""
    plain = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]", "_", plain)


def _spoken_part(literal: str) -> str:
    """What a person says of a phrase's literal words: "" for marks and spaces alone."""
    part = literal.strip().lstrip(_LEADING_MARKS)
    return part if any(c.isalpha() for c in part) else ""


class RecordedSpeech(PhraseMatcher):
    """The pieces a recorded language needs, and the phrases that say its texts with them."""

    def __init__(self, made: LineLanguage) -> None:
        self.language = made.language
        self._by_text: dict[str, str] = {}  # a piece's words -> its id
        self._pieces: dict[str, Piece] = {}
        self._whole: dict[str, str] = {}  # a text said whole -> its piece
        self._grammar: dict[str, list[Pattern]] = {"name": [], "hours": [(Slot("blocks"),)]}
        self._whole[self.language.choice] = self._piece("choice", self.language.choice)
        prompts = made.prompts
        for key, text in prompts.texts.items():
            spoken = not key.startswith(DUTCH_ONLY_PREFIX) and key not in UNSPOKEN_PROMPTS
            if spoken and key not in prompts.in_source:
                self._add_text(key, text, _PROMPT_SLOTS)
        for key, text in dutch_texts(made.tree).items():
            if key.endswith(".sms") or getattr(text, "language", None) == SOURCE:
                continue
            piece = self._piece(key, text)
            self._whole.setdefault(text, piece)
            if key.endswith(".offering"):  # said as a sentence: "{title}."
                self._whole.setdefault(f"{text}.", piece)
            if key.startswith("contacts.") or key.endswith(".name"):
                self._grammar["name"].append((Said(text, piece),))
            elif key.endswith(".hours_said"):
                self._grammar["hours"].append((Said(text, piece),))
        self._add_words()

    @property
    def pieces(self) -> tuple[Piece, ...]:
        """Every piece, once: the choice, the prompts, the tree's texts, then the words."""
        return tuple(self._pieces.values())

    def pieces_of(self, text: str) -> tuple[Piece, ...] | None:
        """The pieces that say ``text``, in order; None when the language cannot say it."""
        text = " ".join(str(text).split())
        if text in self._whole:
            return (self._pieces[self._whole[text]],)
        for end, ids in self._match("text", text, 0):
            if end == len(text):
                return tuple(self._pieces[i] for i in ids)
        return None

    def _piece(self, key: str, text: str) -> str:
        text = " ".join(text.split())
        if text not in self._by_text:
            piece = Piece(file_id(key), text)
            self._by_text[text] = piece.id
            self._pieces[piece.id] = piece
        return self._by_text[text]

    def _phrase(self, key: str, template: str, slots: Mapping[str, str]) -> Pattern | None:
        """A phrase with placeholders as a pattern, its spoken parts as pieces ``key.1``, …;
        None when it fills in what no recording says (a web address)."""
        pattern: list[Said | Slot] = []
        parsed = list(string.Formatter().parse(template))
        whole = all(field is None for _, field, _, _ in parsed)
        parts = 0
        for literal, field, _, _ in parsed:
            spoken = _spoken_part(literal)
            if spoken:
                parts += 1
                piece = self._piece(key if whole else f"{key}.{parts}", spoken)
                pattern.append(Said(literal, piece))
            elif literal:
                pattern.append(Said(literal, ""))
            if field is not None:
                if field not in slots:
                    return None
                pattern.append(Slot(slots[field]))
        return tuple(pattern)

    def _add_text(self, key: str, text: str, slots: Mapping[str, str]) -> None:
        if not any(field for _, field, _, _ in string.Formatter().parse(text)):
            self._whole.setdefault(" ".join(text.split()), self._piece(key, text))
            return
        pattern = self._phrase(key, text, slots)
        if pattern is not None:
            self._grammar.setdefault("text", []).append(pattern)

    def _add_words(self) -> None:
        language, g = self.language, self._grammar
        numbers = [self._piece(f"numbers.{n}", word) for n, word in enumerate(language.numbers)]
        said = [Said(word, piece) for word, piece in zip(language.numbers, numbers, strict=True)]
        g["digit"] = [(s,) for s in said[:10]]
        g["count"] = [(s,) for s in said]
        g["hour"] = [(s,) for s in said[1:]]
        g["weekday"] = self._words("weekdays", _WEEKDAYS, language.calendar.weekdays)
        g["month"] = self._words("months", _MONTHS, language.calendar.months)
        clock = {"hour": "hour", "next": "hour", "minutes": "digits"}
        g["time"] = [*g["hour"], *self._phrases("clock", language.clock, clock)]
        words = language.calendar
        g["days"] = [(Said(words.workdays, self._piece("calendar.workdays", words.workdays)),)]
        day = {"day": "weekday", "first": "weekday", "last": "weekday"}
        g["days"] += self._phrases("calendar", words, day, ("one_day", "days"))
        opening = {"days": "days", "start": "time", "end": "time"}
        g["block"] = self._phrases("calendar", words, opening, ("opening",))
        joined = self._phrase("calendar.openings_joined_by", words.openings_joined_by, {})
        g["blocks"] = [(Slot("block"),), (Slot("block"), *(joined or ()), Slot("blocks"))]
        moment = {"time": "time", "weekday": "weekday", "day": "digits", "month": "month"}
        names = ("today", "tomorrow", "this_week", "later")
        g["moment"] = self._phrases("calendar", words, moment, names)

    def _words(self, key: str, ids: tuple[str, ...], words: tuple[str, ...]) -> list[Pattern]:
        return [
            (Said(word, self._piece(f"{key}.{name}", word)),)
            for name, word in zip(ids, words, strict=True)
        ]

    def _phrases(
        self,
        key: str,
        words: object,
        slots: Mapping[str, str],
        names: tuple[str, ...] = ("o_clock", "half", "quarter_past", "quarter_to", "minutes"),
    ) -> list[Pattern]:
        found = (self._phrase(f"{key}.{name}", getattr(words, name), slots) for name in names)
        return [pattern for pattern in found if pattern is not None]
