"""Opening hours in Europe/Amsterdam: weekly blocks, Dutch public holidays, said in words.

The words come from a language (``ivr.core.language``; Dutch unless one is given). The hours
themselves are written in the source language's day abbreviations: ``ma-vr 09:00-16:00``.
Pure: callers pass the moment; nothing here reads a clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays as holiday_calendars

from ivr.core.language import Language
from ivr.core.languages import DUTCH

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DAY_KEYS = DUTCH.calendar.weekday_abbreviations  # how settings and the tree write days
_DAY = "|".join(DAY_KEYS)
_BLOCK = re.compile(rf"^({_DAY})(?:-({_DAY}))?\s+"
                    r"(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})$")  # fmt: skip


_CLOSED_DATE = re.compile(r"(?:(\d{4})-)?(\d{2})-(\d{2})")


def is_closed_date(text: str) -> bool:
    """``MM-DD`` (every year) or ``YYYY-MM-DD``, a real day of the year (``02-29`` allowed)."""
    m = _CLOSED_DATE.fullmatch(text)
    if m is None:
        return False
    try:
        date(int(m[1] or 2028), int(m[2]), int(m[3]))  # 2028: a leap year, for 02-29
    except ValueError:
        return False
    return True


class HoursFormatError(ValueError):
    """Hours text that does not parse; the message shows the expected form."""


@dataclass(frozen=True)
class Block:
    first_day: int
    last_day: int
    start: time
    end: time

    def covers(self, weekday: int) -> bool:
        return self.first_day <= weekday <= self.last_day


def parse_hours(text: str) -> tuple[Block, ...]:
    """Parse ``"ma-vr 09:00-16:00; za 10:00-12:00"`` into blocks."""
    blocks = []
    for part in (p.strip() for p in text.split(";")):
        m = _BLOCK.match(part)
        if not m:
            raise HoursFormatError(f"{part!r}: write hours like 'ma-vr 09:00-16:00'")
        first = DAY_KEYS.index(m[1])
        last = DAY_KEYS.index(m[2]) if m[2] else first
        start, end = _clock(m[3], m[4], part), _clock(m[5], m[6], part)
        if last < first or end <= start:
            raise HoursFormatError(f"{part!r}: days and times must run forwards")
        blocks.append(Block(first, last, start, end))
    return tuple(blocks)


def _clock(hour: str, minute: str, part: str) -> time:
    h, m = int(hour), int(minute)
    if h > 24 or m > 59 or (h == 24 and m):
        raise HoursFormatError(f"{part!r}: {hour}:{minute} is not a time of day")
    return time.max if h == 24 else time(h, m)


def spoken_time(t: time, o_clock: bool = False, language: Language = DUTCH) -> str:
    """``09:00`` → ``negen``, ``16:30`` → ``half vijf``, ``09:15`` → ``kwart over negen``.

    ``o_clock``: the time ends a phrase, so a full hour says its word: "tot vier uur" (but
    "tot half vijf").
    """
    words, numbers = language.clock, language.numbers
    h, m = t.hour, t.minute
    hours = {"hour": numbers[h % 12 or 12], "next": numbers[(h + 1) % 12 or 12]}
    if m == 0:
        return words.o_clock.format(**hours) if o_clock else hours["hour"]
    if m == 30:
        return words.half.format(**hours)
    if m == 15:
        return words.quarter_past.format(**hours)
    if m == 45:
        return words.quarter_to.format(**hours)
    return words.minutes.format(minutes=m, **hours)


def _spoken_days(block: Block, language: Language) -> str:
    words = language.calendar
    if (block.first_day, block.last_day) == (0, 4):
        return words.workdays
    if block.first_day == block.last_day:
        return words.one_day.format(day=words.weekdays[block.first_day])
    first, last = words.weekdays[block.first_day], words.weekdays[block.last_day]
    return words.days.format(first=first, last=last)


def spoken_hours(blocks: Iterable[Block], language: Language = DUTCH) -> str:
    """``op werkdagen van negen tot vier uur`` (``ma-vr 09:00-16:00``)."""
    words = language.calendar
    return words.openings_joined_by.join(
        words.opening.format(
            days=_spoken_days(b, language),
            start=spoken_time(b.start, language=language),
            end=spoken_time(b.end, o_clock=True, language=language),
        )
        for b in blocks
    )


@dataclass(frozen=True)
class HolidayRule:
    """Dutch public holidays, with a service's own exceptions.

    ``closed``: extra closed days, ``MM-DD`` (every year) or ``YYYY-MM-DD``.
    ``open_on``: holidays the service works anyway, by Dutch name or ``YYYY-MM-DD``.
    """

    closed: frozenset[str] = frozenset()
    open_on: frozenset[str] = frozenset()
    _calendar: holiday_calendars.HolidayBase = field(
        default_factory=lambda: holiday_calendars.country_holidays("NL", language="nl"),
        compare=False,
        repr=False,
    )

    def is_closed(self, day: date) -> bool:
        if day.isoformat() in self.closed or day.strftime("%m-%d") in self.closed:
            return True
        name = self._calendar.get(day)
        if name is None:
            return False
        return not (day.isoformat() in self.open_on or name.lower() in self.open_on)


def spoken_moment(when: datetime, now: datetime, language: Language = DUTCH) -> str:
    """``vandaag om negen uur``, ``morgen om half tien``, ``op maandag om negen uur``, or a date
    (``op 2 januari om negen uur``) a week or more ahead. Both in Europe/Amsterdam."""
    words = language.calendar
    local = _local(when)
    days = (local.date() - _local(now).date()).days
    at = spoken_time(local.time(), o_clock=True, language=language)
    if days == 0:
        return words.today.format(time=at)
    if days == 1:
        return words.tomorrow.format(time=at)
    if days < 7:
        return words.this_week.format(weekday=words.weekdays[local.weekday()], time=at)
    return words.later.format(day=local.day, month=words.months[local.month - 1], time=at)


class ServiceHours(Protocol):
    """What the call flow asks of a service's opening hours (``OpeningHours``; fixed ones in
    tests)."""

    def is_open(self, moment: datetime) -> bool: ...
    def spoken(self) -> str: ...
    def reopens(self, moment: datetime) -> str | None: ...


@dataclass(frozen=True)
class OpeningHours:
    blocks: tuple[Block, ...]
    holidays: HolidayRule = field(default_factory=HolidayRule)
    # What the line says instead of the blocks when they are only an assumption (e.g. "tijdens
    # kantooruren"): an assumed time is never spoken as a fact.
    said: str | None = None
    language: Language = DUTCH  # the language its hours and moments are said in

    @classmethod
    def parse(cls, text: str, holidays: HolidayRule | None = None) -> OpeningHours:
        return cls(parse_hours(text), holidays or HolidayRule())

    def is_open(self, moment: datetime) -> bool:
        local = _local(moment)
        if self.holidays.is_closed(local.date()):
            return False
        now = local.time()
        return any(b.covers(local.weekday()) and b.start <= now < b.end for b in self.blocks)

    def next_opening(self, moment: datetime) -> datetime | None:
        """The next moment the service opens (``moment`` itself when open), within two weeks."""
        local = _local(moment)
        if self.is_open(local):
            return local
        for offset in range(15):
            day = local.date() + timedelta(days=offset)
            if self.holidays.is_closed(day):
                continue
            starts = sorted(b.start for b in self.blocks if b.covers(day.weekday()))
            for start in starts:
                candidate = datetime.combine(day, start, AMSTERDAM)
                if candidate > local:
                    return candidate
        return None

    def spoken(self) -> str:
        return self.said or spoken_hours(self.blocks, self.language)

    def reopens(self, moment: datetime) -> str | None:
        """When it opens again, in words; None for assumed hours (never a moment we invent)."""
        if self.said:
            return None
        found = self.next_opening(moment)
        return spoken_moment(found, moment, self.language) if found else None


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("opening hours need an aware datetime (with a time zone)")
    return moment.astimezone(AMSTERDAM)
