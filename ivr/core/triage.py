"""Triage on the helpdesk's worklist: one item per phone number, the urgent first. Pure.

A request is urgent when the caller asked for the callback after an urgent advice (the tree's
offerings with ``urgent: true``: the crisis advice), as kept with the request (``asked_at``);
a request stored before schema 7 is matched by its ``reached`` against today's advice titles.
The open requests from one number are one ``Waiting`` item (a claim or a close acts on them all:
``ivr.core.worklist_actions``). Urgent items come first, then the rest; within each, the one
that has waited longest first (an urgent one: since its first urgent request): whoever asked
first has waited longest for a call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ivr.core.callback_status import AskedAt
from ivr.core.tree_model import Offering, Tree
from ivr.core.worklist import Action, WorkItem


@dataclass(frozen=True)
class Reasons:
    """Why callers asked: as kept with each request, or (requests stored before schema 7) by
    the tree's advice titles (any other ``reached`` is a question) and urgent advice titles."""

    advice: frozenset[str]
    urgent: frozenset[str]

    @classmethod
    def of(cls, tree: Tree) -> Reasons:
        offerings = [node for node in tree.nodes.values() if isinstance(node, Offering)]
        return cls(
            frozenset(node.title for node in offerings),
            frozenset(node.title for node in offerings if node.urgent),
        )

    def urgent_item(self, item: WorkItem) -> bool:
        if item.asked_at is not None:
            return item.asked_at is AskedAt.URGENT_ADVICE
        return item.reached in self.urgent

    def after_advice(self, item: WorkItem) -> bool:
        if item.asked_at is not None:
            return item.asked_at is not AskedAt.QUESTION
        return item.reached in self.advice


@dataclass(frozen=True)
class Step:
    """One event of a number's history, on the requests it was recorded for."""

    at: datetime
    staff: str
    action: Action
    note: str | None
    ids: tuple[int, ...]


@dataclass(frozen=True)
class Waiting:
    """A number's open requests (oldest first) as one item of the worklist."""

    phone: str = field(repr=False)  # E.164; personal data: shown to logged-in staff only
    requests: tuple[WorkItem, ...]
    urgent: bool

    @property
    def id(self) -> int:
        """The oldest request's id: the item's actions are sent with it."""
        return self.requests[0].id

    @property
    def since(self) -> datetime:
        return self.requests[0].requested_at

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(item.id for item in self.requests)

    @property
    def claimed_by(self) -> str | None:
        """Who calls (the first claim found; ``claimed_by_other`` says whether a colleague)."""
        return next((item.claimed_by for item in self.requests if item.claimed_by), None)

    @property
    def claimed_at(self) -> datetime | None:
        return min(
            (item.claimed_at for item in self.requests if item.claimed_at is not None),
            default=None,
        )

    def claimed_by_other(self, staff: str) -> str | None:
        return next(
            (i.claimed_by for i in self.requests if i.claimed_by not in (None, staff)), None
        )

    def closing(self, max_attempts: int) -> tuple[int, ...]:
        """The requests that one more attempt that reaches nobody closes."""
        return tuple(item.id for item in self.requests if item.attempts + 1 >= max_attempts)

    @property
    def history(self) -> tuple[Step, ...]:
        """Every request's events in time order; one event recorded on several requests at
        once (an action on the number) once, with their ids."""
        found: dict[tuple[datetime, str, Action, str | None], list[int]] = {}
        for item in self.requests:
            for event in item.events:
                found.setdefault((event.at, event.staff, event.action, event.note), []).append(
                    item.id
                )
        return tuple(Step(*key, ids=tuple(ids)) for key, ids in sorted(found.items(), key=_when))


def _when(entry: tuple[tuple[datetime, str, Action, str | None], list[int]]) -> datetime:
    return entry[0][0]


def triage(
    items: Iterable[WorkItem],
    reasons: Reasons,
    now: datetime,
    longer_than: timedelta | None = None,
) -> list[Waiting]:
    """Open requests as the worklist shows them: one item per number, urgent ones first, then
    the longest waiting; ``longer_than``: only numbers that have waited longer than that."""
    by_number: dict[str, list[WorkItem]] = {}
    for item in sorted(items, key=lambda item: (item.requested_at, item.id)):
        by_number.setdefault(item.phone, []).append(item)
    found = [
        Waiting(phone, tuple(asked), any(reasons.urgent_item(item) for item in asked))
        for phone, asked in by_number.items()
    ]
    if longer_than is not None:
        found = [waiting for waiting in found if now - waiting.since > longer_than]

    def order(waiting: Waiting) -> tuple[bool, datetime, int]:
        """Urgent first, each by how long it has waited (urgent: since its first urgent one)."""
        first = next((i for i in waiting.requests if reasons.urgent_item(i)), waiting.requests[0])
        return not waiting.urgent, first.requested_at, waiting.id

    return sorted(found, key=order)
