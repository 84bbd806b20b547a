"""The call figures as counts: a call's events folded into one journey, journeys counted per
day, and the report. Pure.

Everything Markant sees is a sum of ``Counts``: ``(day, metric, key) -> count``. Raw call events
are folded when the figures are asked for; after the retention period ``ivr purge`` folds them
once more and keeps only the daily counts, so figures over any period add up the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from ivr.core.call_events import CallEvent, EventKind, KeyedEvent
from ivr.core.hours import AMSTERDAM
from ivr.core.language import SOURCE

Counts = Counter[tuple[date, str, str]]  # daily counts: (day, metric, key) -> count
# Replies counted per node: the ones that show a question confuses callers.
TROUBLE = ("help", "repeat", "back", "silence", "unknown")
ANSWERS = ("yes", "no")
# The outcome of a call, most telling first (a call has one).
# hung_up: Twilio's status callback said the call ended while the caller was still in the tree;
# unreported: it has not (yet) said so (a call going on, or no status callback configured).
OUTCOMES = (
    "connected",
    "callback",
    "transfer_failed",
    "gave_up",
    "goodbye",
    "hung_up",
    "unreported",
)
UNKNOWN_NODE = "(onbekend)"  # a call seen only by its status callback (no other event)


@dataclass
class CallJourney:
    """One call, its events folded: where the caller went, what they did, how it ended."""

    key: str
    started: datetime
    path: str = ""
    reached: list[str] = field(default_factory=list)  # nodes heard, in order, each once
    offerings: list[str] = field(default_factory=list)
    trouble: Counter[tuple[str, str]] = field(default_factory=Counter)  # (node, reply): times
    took: set[tuple[str, str]] = field(default_factory=set)  # (question, next node): ja/nee
    modes: set[str] = field(default_factory=set)
    transfers: list[tuple[str, str]] = field(default_factory=list)  # (service, outcome or "")
    callback: bool = False
    sms: bool = False
    gave_up: str = ""  # the node where the third miss came
    ended_by_line: bool = False
    last_node: str = ""
    status: str = ""  # Twilio's CallStatus from the status callback ("" before it came)
    language: str = SOURCE  # the code of the language the call went on in (chosen or bound)
    seconds: int | None = None

    @property
    def outcome(self) -> str:
        if any(outcome == "connected" for _, outcome in self.transfers):
            return "connected"
        if self.callback:
            return "callback"
        if self.transfers:
            return "transfer_failed"
        if self.gave_up:
            return "gave_up"
        if self.ended_by_line:
            return "goodbye"
        return "hung_up" if self.status else "unreported"

    def _reach(self, node: str) -> None:
        if node and node not in self.reached:
            self.reached.append(node)

    def add(self, event: CallEvent) -> None:
        if event.language:
            self.language = event.language
        if event.kind is EventKind.END:
            self.status, self.seconds = event.reply, event.seconds
            return
        if event.asked and event.reply in TROUBLE:
            self.trouble[(event.asked, event.reply)] += 1
        if event.asked and event.reply in ANSWERS and event.node != event.asked:
            self.took.add((event.asked, event.node))
        if event.mode:
            self.modes.add(event.mode)
        if event.dialed:
            self._dialed(event.service, event.dialed)
        if event.transfer:
            self.transfers.append((event.transfer, ""))
        self.callback = self.callback or event.callback
        self.sms = self.sms or event.sms
        if event.gave_up:
            self.gave_up = event.asked or event.node
        self._reach(event.node)
        if event.offering and event.node not in self.offerings:
            self.offerings.append(event.node)
        self.path, self.last_node = event.path, event.node or self.last_node
        self.ended_by_line = event.ended

    def _dialed(self, service: str, outcome: str) -> None:
        for i, (target, found) in enumerate(self.transfers):
            if target == service and not found:
                self.transfers[i] = (target, outcome)
                return
        self.transfers.append((service, outcome))  # its attempt was not seen: count it too


def fold(events: Iterable[KeyedEvent]) -> list[CallJourney]:
    """One journey per call key, from its events in the order they happened."""
    journeys: dict[str, CallJourney] = {}
    for key, at, event in sorted(events, key=lambda found: found[1]):
        journey = journeys.get(key)
        if journey is None:
            journey = journeys[key] = CallJourney(key, at)
        journey.add(event)
    return list(journeys.values())


def daily_counts(journeys: Sequence[CallJourney]) -> Counts:
    """The daily counts of calls (Amsterdam days and hours)."""
    counts: Counts = Counter()
    for journey in journeys:
        local = journey.started.astimezone(AMSTERDAM)
        day = local.date()

        def count(metric: str, key: str = "", n: int = 1, day: date = day) -> None:
            counts[(day, metric, key)] += n

        count("calls")
        count("hour", f"{local.isoweekday()}-{local.hour:02d}")
        count("outcome", journey.outcome)
        count("mode", "+".join(sorted(journey.modes)) or "none")
        count("language", journey.language)
        for node in journey.reached:
            count("reached", node)
        for node in journey.offerings:
            count("offering", node)
        last = journey.last_node or UNKNOWN_NODE
        if journey.offerings:
            count("offering_outcome", f"{journey.offerings[-1]}|{journey.outcome}")
        else:
            count("left_at", last)
        for (node, reply), times in journey.trouble.items():
            count(reply, node)  # calls that did it at least once there
            count(f"{reply}_times", node, times)
        for question, node in journey.took:
            count("took", f"{question}>{node}")
        for service, outcome in journey.transfers:
            count("transfer", service)
            count("dialed", f"{service}|{outcome or 'unknown'}")
        if journey.callback:
            count("callback_requested")
        if journey.sms:
            count("sms_sent")
        if journey.gave_up:
            count("gave_up", journey.gave_up)
        if journey.outcome == "hung_up":
            count("hung_up", last)
        count("status", journey.status or "unreported")
        if journey.seconds is not None:
            count("timed")
            count("seconds", n=journey.seconds)
    return counts


def in_period(counts: Counts, since: date, until: date) -> Counts:
    return Counter({k: n for k, n in counts.items() if since <= k[0] <= until})


def by_key(counts: Counts, metric: str) -> dict[str, int]:
    """One metric's counts over all days, by key, largest first."""
    found: Counter[str] = Counter()
    for (_, name, key), n in counts.items():
        if name == metric:
            found[key] += n
    return dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))


def total(counts: Counts, metric: str) -> int:
    return sum(by_key(counts, metric).values())


def report(counts: Counts) -> dict[str, object]:
    """What ``ivr stats --json`` prints (node ids are the tree's)."""
    connected = sum(n for key, n in by_key(counts, "dialed").items() if key.endswith("|connected"))
    timed = total(counts, "timed")
    return {
        "calls": total(counts, "calls"),
        "offerings": by_key(counts, "offering"),
        "left_at": by_key(counts, "left_at"),
        "transfers": {"attempted": total(counts, "transfer"), "connected": connected},
        "callbacks": {"requested": total(counts, "callback_requested")},
        "sms": {"sent": total(counts, "sms_sent")},
        "outcomes": by_key(counts, "outcome"),
        "gave_up_at": by_key(counts, "gave_up"),
        "hung_up_at": by_key(counts, "hung_up"),
        "dialed": by_key(counts, "dialed"),
        "reached": by_key(counts, "reached"),
        "replies": {reply: by_key(counts, reply) for reply in TROUBLE},  # calls, per node
        "replies_times": {reply: by_key(counts, f"{reply}_times") for reply in TROUBLE},
        "modes": by_key(counts, "mode"),
        "languages": by_key(counts, "language"),  # calls per language code (nl: Dutch)
        "ended": by_key(counts, "status"),  # Twilio's last CallStatus ("unreported": none came)
        "average_seconds": round(total(counts, "seconds") / timed) if timed else None,
    }
