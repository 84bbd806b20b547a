"""The figures a manager reads, as tables: one per chart of ``/staff/stats`` and its CSV. Pure.

Each table is built from the daily counts (``ivr.core.call_counts``) and the tree; the chart and
the CSV download show the same rows. Node and service ids are the tree's; titles are Dutch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from ivr.core.call_counts import Counts, by_key, total
from ivr.core.errors import UsageError
from ivr.core.hours import Block
from ivr.core.language import SOURCE
from ivr.core.languages import dutch_name
from ivr.core.tree_model import Offering, Question, Tree

Cell = str | int | float
DEFAULT_DAYS = 30
LONGEST_PERIOD = 3 * 366  # days: the figures of a period are folded in one go
DAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
OUTCOME_NAMES = {
    "connected": "doorverbonden",
    "callback": "terugbelverzoek",
    "transfer_failed": "doorverbinden lukte niet",
    "gave_up": "3 keer geen goed antwoord",
    "goodbye": "afgesloten door de lijn",
    "hung_up": "opgehangen",
    "unreported": "einde niet gemeld",
}
DIAL_NAMES = {
    "connected": "doorverbonden",
    "declined": "niet aangenomen",
    "busy": "in gesprek",
    "no-answer": "niet opgenomen",
    "failed": "mislukt",
    "canceled": "opgehangen tijdens overgaan",
    "unknown": "onbekend",
}
REPLY_NAMES = {  # the replies of ivr.core.call_counts.TROUBLE
    "help": "weet ik niet (3)",
    "repeat": "herhalen (9)",
    "silence": "stilte",
    "unknown": "verkeerde toets",
    "back": "terug (*)",
}


def period(since: str | None, until: str | None, today: date) -> tuple[date, date]:
    """The days asked for (YYYY-MM-DD, inclusive); default the last DEFAULT_DAYS to today."""
    try:
        last = date.fromisoformat(until) if until else today
        first = date.fromisoformat(since) if since else last - timedelta(days=DEFAULT_DAYS - 1)
    except ValueError as exc:
        raise UsageError(f"a date is written YYYY-MM-DD ({exc})") from exc
    if first > last:
        raise UsageError(f"the first day {first} is after the last day {last}")
    if (last - first).days >= LONGEST_PERIOD:
        raise UsageError(f"a period is at most {LONGEST_PERIOD} days")
    return first, last


@dataclass(frozen=True)
class Table:
    name: str  # the CSV file's name: gesprekken-per-dag …
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def per_day(counts: Counts, since: date, until: date) -> Table:
    calls = {day: n for (day, metric, _), n in counts.items() if metric == "calls"}
    days = [since + timedelta(days=i) for i in range((until - since).days + 1)]
    rows = tuple((day.isoformat(), calls.get(day, 0)) for day in days)
    return Table("gesprekken-per-dag", ("dag", "gesprekken"), rows)


def per_hour(counts: Counts, blocks: Sequence[Block]) -> Table:
    """Calls per hour of the week, and whether the helpdesk's weekly hours (``blocks``, public
    holidays left out) cover some of that hour."""
    found = by_key(counts, "hour")
    rows = tuple(
        (
            DAY_NAMES[weekday - 1],
            hour,
            found.get(f"{weekday}-{hour:02d}", 0),
            "ja" if _open_during(blocks, weekday - 1, hour) else "nee",
        )
        for weekday in range(1, 8)
        for hour in range(24)
    )
    return Table("gesprekken-per-uur", ("dag", "uur", "gesprekken", "helpdesk open"), rows)


def _open_during(blocks: Sequence[Block], weekday: int, hour: int) -> bool:
    start = time(hour)
    end = time(hour + 1) if hour < 23 else time.max
    return any(b.covers(weekday) and b.start < end and b.end > start for b in blocks)


def per_language(counts: Counts) -> Table:
    """Calls per language they went on in (chosen at the welcome, or the called number's),
    Dutch first: a call that chose none is Dutch. The others most calls first."""
    found = by_key(counts, "language")
    codes = dict.fromkeys([SOURCE, *found])
    rows = tuple((code, dutch_name(code), found.get(code, 0)) for code in codes)
    return Table("gesprekken-per-taal", ("taal", "naam", "gesprekken"), rows)


def funnel(counts: Counts, tree: Tree) -> Table:
    """How many callers reached each node, and how many stopped there."""
    reached, left = by_key(counts, "reached"), by_key(counts, "left_at")
    hung_up, gave_up = by_key(counts, "hung_up"), by_key(counts, "gave_up")
    rows = tuple(
        (
            node.id,
            "vraag" if isinstance(node, Question) else "advies",
            _title(node),
            reached.get(node.id, 0),
            left.get(node.id, 0),
            hung_up.get(node.id, 0),
            gave_up.get(node.id, 0),
        )
        for node in tree.nodes.values()
    )
    columns = (
        "knoop",
        "soort",
        "tekst",
        "bereikt",
        "gestopt zonder advies",
        "opgehangen",
        "3 keer geen goed antwoord",
    )
    return Table("trechter", columns, rows)


@dataclass(frozen=True)
class Funnel:
    """The funnel as the tree map draws it: callers per node and per ja/nee arrow."""

    reached: dict[str, int]
    left: dict[str, int]  # stopped there without an offering (hung up, gave up, transferred)
    took: dict[tuple[str, str], int]  # (question, next node): callers who went that way


def funnel_counts(counts: Counts) -> Funnel:
    took: dict[tuple[str, str], int] = {}
    for key, n in by_key(counts, "took").items():
        question, _, node = key.partition(">")
        took[(question, node)] = n
    return Funnel(by_key(counts, "reached"), by_key(counts, "left_at"), took)


def offering_outcomes(counts: Counts, tree: Tree) -> Table:
    """Per offering: how the calls that heard it (last) ended."""
    found = by_key(counts, "offering_outcome")
    rows = []
    for node in tree.nodes.values():
        if isinstance(node, Offering):
            per = [found.get(f"{node.id}|{outcome}", 0) for outcome in OUTCOME_NAMES]
            rows.append((node.id, node.title, sum(per), *per))
    return Table(
        "uitkomst-per-advies",
        ("advies", "titel", "gesprekken", *OUTCOME_NAMES.values()),
        tuple(rows),
    )


def transfers(counts: Counts, tree: Tree) -> Table:
    """Per service: transfers tried, and how each ended."""
    found = by_key(counts, "dialed")
    rows = []
    for service in tree.services.values():
        per = [found.get(f"{service.id}|{outcome}", 0) for outcome in DIAL_NAMES]
        rows.append((service.id, service.name, sum(per), *per))
    return Table(
        "doorverbinden", ("dienst", "naam", "geprobeerd", *DIAL_NAMES.values()), tuple(rows)
    )


def questions(counts: Counts, tree: Tree) -> Table:
    """Per question: of the callers who reached it, the share that needed help, a repeat …"""
    reached = by_key(counts, "reached")
    per_reply = {reply: by_key(counts, reply) for reply in REPLY_NAMES}
    rows = []
    for node in tree.nodes.values():
        if isinstance(node, Question):
            n = reached.get(node.id, 0)
            shares = [_share(per_reply[reply].get(node.id, 0), n) for reply in REPLY_NAMES]
            rows.append((node.id, node.text, n, *shares))
    columns = ("vraag", "tekst", "bereikt", *(f"{name} %" for name in REPLY_NAMES.values()))
    return Table("vragen", columns, tuple(rows))


def summary(counts: Counts) -> dict[str, int]:
    calls = total(counts, "calls")
    return {
        "calls": calls,
        "heard_offering": total(counts, "offering_outcome"),  # one per call that heard one
        "connected": by_key(counts, "outcome").get("connected", 0),
        "callbacks": total(counts, "callback_requested"),
        "sms": total(counts, "sms_sent"),
    }


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _title(node: Question | Offering) -> str:
    return node.text if isinstance(node, Question) else node.title
