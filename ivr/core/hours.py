"""Opening hours in Europe/Amsterdam: weekly blocks, Dutch public holidays, spoken Dutch.

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

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DAY_KEYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
DAY_WORDS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
HOUR_WORDS = ("twaalf", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen",
              "tien", "elf", "twaalf")  # fmt: skip

_BLOCK = re.compile(r"^(ma|di|wo|do|vr|za|zo)(?:-(ma|di|wo|do|vr|za|zo))?\s+"
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


def spoken_time(t: time, suffix: str = "") -> str:
    """``09:00`` → ``negen``, ``16:30`` → ``half vijf``, ``09:15`` → ``kwart over negen``.

    ``suffix`` ("uur") follows a full hour only: "tot vier uur", but "tot half vijf".
    """
    h, m = t.hour, t.minute
    word, nxt = HOUR_WORDS[h % 12], HOUR_WORDS[(h + 1) % 12]
    if m == 0:
        return f"{word} {suffix}".strip()
    if m == 30:
        return f"half {nxt}"
    if m == 15:
        return f"kwart over {word}"
    if m == 45:
        return f"kwart voor {nxt}"
    return f"{word} uur {m}"


def _spoken_days(block: Block) -> str:
    if (block.first_day, block.last_day) == (0, 4):
        return "op werkdagen"
    if block.first_day == block.last_day:
        return f"op {DAY_WORDS[block.first_day]}"
    return f"van {DAY_WORDS[block.first_day]} tot en met {DAY_WORDS[block.last_day]}"


def spoken_hours(blocks: Iterable[Block]) -> str:
    """``op werkdagen van negen tot vier uur`` (``ma-vr 09:00-16:00``)."""
    return ", en ".join(
        f"{_spoken_days(b)} van {spoken_time(b.start)} tot {spoken_time(b.end, 'uur')}"
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


MONTH_WORDS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december")  # fmt: skip


def spoken_moment(when: datetime, now: datetime) -> str:
    """``vandaag om negen uur``, ``morgen om half tien``, ``op maandag om negen uur``, or a date
    (``op 2 januari om negen uur``) a week or more ahead. Both in Europe/Amsterdam."""
    days = (_local(when).date() - _local(now).date()).days
    at = spoken_time(_local(when).time(), "uur")
    if days == 0:
        return f"vandaag om {at}"
    if days == 1:
        return f"morgen om {at}"
    local = _local(when)
    if days < 7:
        return f"op {DAY_WORDS[local.weekday()]} om {at}"
    return f"op {local.day} {MONTH_WORDS[local.month - 1]} om {at}"


class Desk(Protocol):
    """What the call flow asks of a service's hours (``OpeningHours``; fixed ones in tests)."""

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
        return self.said or spoken_hours(self.blocks)

    def reopens(self, moment: datetime) -> str | None:
        """When it opens again, in words; None for assumed hours (never a moment we invent)."""
        if self.said:
            return None
        found = self.next_opening(moment)
        return spoken_moment(found, moment) if found else None


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("opening hours need an aware datetime (with a time zone)")
    return moment.astimezone(AMSTERDAM)
