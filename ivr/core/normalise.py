"""Written text to what a listener should hear, in one language. Pure, and idempotent.

One normaliser feeds both the audio renderer and the ``<Say>`` fallback, so a prompt sounds the
same with and without rendered audio. Rules, in order (the words are the language's,
``ivr.core.language.WrittenWords``; the examples Dutch):

- phone numbers are read digit by digit in groups (``ivr.core.phone``), 0800 numbers with "gratis";
- day ranges (``ma-vr``) and times (``9.00 uur``, ``16.30``, ``09:00-17:00``) in words;
- abbreviations written out (``bijv.``, ``t/m``, ``o.a.`` …);
- acronyms spelled letter by letter (``ELV`` → ``E L V``, ``Wlz-indicatie`` → ``W L Z indicatie``).

Texts that are already spoken (the line's own numbers in words) pass through unchanged.
"""

from __future__ import annotations

import re
from datetime import time

from ivr.core.errors import PhoneNumberError
from ivr.core.hours import spoken_time
from ivr.core.language import Language
from ivr.core.languages import DUTCH
from ivr.core.phone import parse_dutch_number

# Digit groups that may be a phone number: "020 886 88 00", "+31 20 8868800", "0800-0643", "112".
_PHONE = re.compile(r"(?<![\w+.:/])(?:\+31[ \-]?|0031[ \-]?|0)\d+(?:[ \-]\d+)*(?![\w.:]\d)")
_EMERGENCY = re.compile(r"(?<![\w.:/])112(?![\w.:]\d)")
_SENTENCE_END = re.compile(r"[.?!](?:\s|$)")
_CLOCK = r"(\d{1,2})[.:](\d{2})"


def _either(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in words)


class Normaliser:
    """The rules of one language, compiled once; call it with a text."""

    def __init__(self, language: Language) -> None:
        self.language = language
        written = language.written
        self.words = written
        day = _either(language.calendar.weekday_abbreviations)
        through = _either(("-", "\u2013", *written.day_range_marks))
        until = _either(("-", "\u2013", *written.time_range_marks))
        o_clock = rf"(?:\s*{re.escape(written.o_clock_mark)}\b)?"
        self._days = re.compile(rf"\b({day})\s*(?:{through})\s*({day})\b")
        self._time_range = re.compile(
            rf"(?<![\d.:]){_CLOCK}\s*(?:{until})\s*{_CLOCK}(?!\d){o_clock}"
        )
        self._time = re.compile(rf"(?<![\d.:]){_CLOCK}(?![\d]|[.:]\d){o_clock}")
        # Written out in full. Matched case-insensitively; a capital at the start is kept.
        self.abbreviations = {short.lower(): full for short, full in written.abbreviations}
        self._abbreviation = re.compile(
            rf"(?<![\w./])({_either(tuple(self.abbreviations))})(?![\w/])", re.IGNORECASE
        )
        # Spoken letter by letter. Matched case-sensitively.
        self._acronym = re.compile(rf"\b({'|'.join(written.spelled)})\b(-(?=\w))?")

    def __call__(self, text: str) -> str:
        """The text as it should be spoken; ``n(n(t)) == n(t)``."""
        text = self._phones(text)
        text = self._times(text)
        if self.abbreviations:
            text = self._abbreviations(text)
        if self.words.spelled:
            text = self._acronyms(text)
        return " ".join(text.split())

    def spoken_number(self, written: str, before: str) -> str | None:
        """A written phone number read aloud, or None when it is not a Dutch number."""
        try:
            number = parse_dutch_number(written)
        except PhoneNumberError:
            return None
        spoken = number.spoken_in(self.language)
        free = self.words.free_word
        if number.is_free and free not in _current_sentence(before).lower():
            return self.words.free_number.format(number=spoken)
        return spoken

    def _phones(self, text: str) -> str:
        def replace(m: re.Match[str]) -> str:
            groups = re.split(r"(?<=\d)[ \-](?=\d)", m[0])
            # Longest first: "bel 020 886 88 00 18 keer" keeps the trailing "18".
            for n in range(len(groups), 0, -1):
                spoken = self.spoken_number(" ".join(groups[:n]), text[: m.start()])
                if spoken is not None:
                    rest = m[0][len(" ".join(groups[:n])) :] if n < len(groups) else ""
                    return spoken + rest
            return m[0]

        text = _PHONE.sub(replace, text)
        return _EMERGENCY.sub(lambda m: self.spoken_number(m[0], "") or m[0], text)

    def _times(self, text: str) -> str:
        words, language = self.words, self.language
        weekdays = language.calendar.weekdays
        keys = language.calendar.weekday_abbreviations

        def days(m: re.Match[str]) -> str:
            return words.days.format(
                first=weekdays[keys.index(m[1])], last=weekdays[keys.index(m[2])]
            )

        def one_range(m: re.Match[str]) -> str:
            start, end = _clock(m[1], m[2]), _clock(m[3], m[4])
            if start is None or end is None:
                return m[0]
            said_before = m.string[: m.start()].endswith(f"{words.times_after_word} ")
            phrase = words.times_after if said_before else words.times
            return phrase.format(
                start=spoken_time(start, language=language),
                end=spoken_time(end, o_clock=True, language=language),
            )

        def one(m: re.Match[str]) -> str:
            at = _clock(m[1], m[2])
            return m[0] if at is None else spoken_time(at, o_clock=True, language=language)

        text = self._days.sub(days, text)
        return self._time.sub(one, self._time_range.sub(one_range, text))

    def _abbreviations(self, text: str) -> str:
        def replace(m: re.Match[str]) -> str:
            full = self.abbreviations[m[1].lower()]
            if m[1][0].isupper():
                full = full[0].upper() + full[1:]
            # "… enz. Daarna": the abbreviation's period also ended the sentence.
            after = text[m.end() :]
            ends_sentence = m[1].endswith(".") and (
                not after.strip() or re.match(r"\s+[A-Z]", after)
            )
            return full + "." if ends_sentence else full

        return self._abbreviation.sub(replace, text)

    def _acronyms(self, text: str) -> str:
        return self._acronym.sub(lambda m: " ".join(m[1].upper()) + (" " if m[2] else ""), text)


def _current_sentence(before: str) -> str:
    ends = list(_SENTENCE_END.finditer(before))
    return before[ends[-1].end() :] if ends else before


def _clock(hour: str, minute: str) -> time | None:
    h, m = int(hour), int(minute)
    if h > 24 or m > 59 or (h == 24 and m):
        return None
    return time(h % 24, m)


_DUTCH = Normaliser(DUTCH)


def normalise(text: str) -> str:
    """Written Dutch as it should be spoken; ``normalise(normalise(t)) == normalise(t)``."""
    return _DUTCH(text)
