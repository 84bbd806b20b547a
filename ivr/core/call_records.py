"""A call's marks folded into one record, records counted per day, and the report. Pure.

Everything Markant sees is a sum of ``Tally`` counts: ``(day, metric, key) -> count``. Raw marks
are folded when the figures are asked for; after the retention period ``ivr purge`` folds them
once more and keeps only the daily counts, so figures over any period add up the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from ivr.core.call_marks import Kind, Mark
from ivr.core.hours import AMSTERDAM

Tally = Counter[tuple[date, str, str]]
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
UNKNOWN_NODE = "(onbekend)"  # a call seen only by its status callback (no webhook recorded)


@dataclass
class CallRecord:
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

    def add(self, mark: Mark) -> None:
        if mark.kind is Kind.END:
            self.status, self.seconds = mark.reply, mark.seconds
            return
        if mark.asked and mark.reply in TROUBLE:
            self.trouble[(mark.asked, mark.reply)] += 1
        if mark.asked and mark.reply in ANSWERS and mark.node != mark.asked:
            self.took.add((mark.asked, mark.node))
        if mark.mode:
            self.modes.add(mark.mode)
        if mark.dialed:
            self._dialed(mark.service, mark.dialed)
        if mark.transfer:
            self.transfers.append((mark.transfer, ""))
        self.callback = self.callback or mark.callback
        self.sms = self.sms or mark.sms
        if mark.gave_up:
            self.gave_up = mark.asked or mark.node
        self._reach(mark.node)
        if mark.offering and mark.node not in self.offerings:
            self.offerings.append(mark.node)
        self.path, self.last_node = mark.path, mark.node or self.last_node
        self.ended_by_line = mark.ended

    def _dialed(self, service: str, outcome: str) -> None:
        for i, (target, found) in enumerate(self.transfers):
            if target == service and not found:
                self.transfers[i] = (target, outcome)
                return
        self.transfers.append((service, outcome))  # its attempt was not seen: count it too


def fold(marks: Iterable[tuple[str, datetime, Mark]]) -> list[CallRecord]:
    """One record per call key, from its marks in the order they were made."""
    records: dict[str, CallRecord] = {}
    for key, at, mark in sorted(marks, key=lambda found: found[1]):
        record = records.get(key)
        if record is None:
            record = records[key] = CallRecord(key, at)
        record.add(mark)
    return list(records.values())


def tally(records: Sequence[CallRecord]) -> Tally:
    """The daily counts of calls (Amsterdam days and hours)."""
    counts: Tally = Counter()
    for record in records:
        local = record.started.astimezone(AMSTERDAM)
        day = local.date()

        def count(metric: str, key: str = "", n: int = 1, day: date = day) -> None:
            counts[(day, metric, key)] += n

        count("calls")
        count("hour", f"{local.isoweekday()}-{local.hour:02d}")
        count("outcome", record.outcome)
        count("mode", "+".join(sorted(record.modes)) or "none")
        for node in record.reached:
            count("reached", node)
        for node in record.offerings:
            count("offering", node)
        last = record.last_node or UNKNOWN_NODE
        if record.offerings:
            count("offering_outcome", f"{record.offerings[-1]}|{record.outcome}")
        else:
            count("left_at", last)
        for (node, reply), times in record.trouble.items():
            count(reply, node)  # calls that did it at least once there
            count(f"{reply}_times", node, times)
        for question, node in record.took:
            count("took", f"{question}>{node}")
        for service, outcome in record.transfers:
            count("transfer", service)
            count("dialed", f"{service}|{outcome or 'unknown'}")
        if record.callback:
            count("callback_requested")
        if record.sms:
            count("sms_sent")
        if record.gave_up:
            count("gave_up", record.gave_up)
        if record.outcome == "hung_up":
            count("hung_up", last)
        count("status", record.status or "unreported")
        if record.seconds is not None:
            count("timed")
            count("seconds", n=record.seconds)
    return counts


def in_period(counts: Tally, since: date, until: date) -> Tally:
    return Counter({k: n for k, n in counts.items() if since <= k[0] <= until})


def by_key(counts: Tally, metric: str) -> dict[str, int]:
    """One metric's counts over all days, by key, largest first."""
    found: Counter[str] = Counter()
    for (_, name, key), n in counts.items():
        if name == metric:
            found[key] += n
    return dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))


def total(counts: Tally, metric: str) -> int:
    return sum(by_key(counts, metric).values())


def report(counts: Tally) -> dict[str, object]:
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
        "ended": by_key(counts, "status"),  # Twilio's last CallStatus ("unreported": none came)
        "average_seconds": round(total(counts, "seconds") / timed) if timed else None,
    }
