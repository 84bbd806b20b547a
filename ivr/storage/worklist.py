"""The worklist in the database: callback requests with their claims, attempts and audit trail.

Every action is one transaction on all open requests from the clicked request's number: for
each, a conditional UPDATE (on the request as it was read, so two staff who act at once cannot
both win) and the event that records who did it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ivr.core.callback_status import CLOSED, CONFIRMED, CallbackStatus
from ivr.core.errors import StorageError
from ivr.core.worklist import Action, Outcome, Result, WorkItem, clean_note
from ivr.core.worklist_actions import OPEN, plan
from ivr.storage.database import Database, storage_error
from ivr.storage.tables import callbacks
from ivr.storage.worklist_rows import apply, events_of, item_from, number_rows, record

ACTION_RETRIES = 20  # more staff than this acting on one number in one instant: unheard of
HISTORY_LIMIT = 200  # closed requests shown, newest first (older ones: the CSV export)
# A request's id is an Integer column: 32 bits in PostgreSQL (a larger id is no request).
LARGEST_ID = 2**31 - 1
IS_OPEN = callbacks.c.status == CallbackStatus.OPEN


class Worklist:
    def __init__(self, database: Database, max_attempts: int) -> None:
        self.database = database
        self.max_attempts = max_attempts

    # -- reading -------------------------------------------------------------------------
    def open_items(self) -> list[WorkItem]:
        """Open requests, oldest first."""
        query = select(callbacks).where(IS_OPEN).order_by(callbacks.c.requested_at, callbacks.c.id)
        return self._items(query)

    def history(self, limit: int = HISTORY_LIMIT) -> list[WorkItem]:
        """Done and unreached requests, the most recently closed first."""
        query = (
            select(callbacks)
            .where(callbacks.c.status.in_(CLOSED))
            .order_by(callbacks.c.done_at.desc(), callbacks.c.id.desc())
            .limit(limit)
        )
        return self._items(query)

    def everything(self) -> list[WorkItem]:
        """Open and closed requests (not typed numbers awaiting a "ja"), oldest first."""
        query = (
            select(callbacks)
            .where(callbacks.c.status.in_(CONFIRMED))
            .order_by(callbacks.c.requested_at, callbacks.c.id)
        )
        return self._items(query)

    def open_count(self) -> int:
        self.database.ready()
        query = select(func.count()).select_from(callbacks).where(IS_OPEN)
        try:
            with self.database.engine.connect() as conn:
                return int(conn.execute(query).scalar_one())
        except SQLAlchemyError as exc:
            raise storage_error("count the open requests", exc) from exc

    def _items(self, query: Any) -> list[WorkItem]:
        self.database.ready()
        try:
            with self.database.engine.connect() as conn:
                rows = [row._mapping for row in conn.execute(query)]
                events = events_of(conn, [row["id"] for row in rows])
        except SQLAlchemyError as exc:
            raise storage_error("read the worklist", exc) from exc
        return [item_from(row, events.get(row["id"], ())) for row in rows]

    # -- acting --------------------------------------------------------------------------
    # Each acts on every open request from the clicked request's number (``worklist_actions``).
    def claim(self, request_id: int, staff: str, now: datetime) -> Outcome:
        """Claim it ("ik bel"): the first to claim an unclaimed open request wins."""
        return self._apply(request_id, staff, now, Action.CLAIM)

    def take_over(self, request_id: int, staff: str, now: datetime) -> Outcome:
        """Claim a request somebody else claimed (they went home; it is recorded)."""
        return self._apply(request_id, staff, now, Action.TAKE_OVER)

    def release(self, request_id: int, staff: str, now: datetime) -> Outcome:
        return self._apply(request_id, staff, now, Action.RELEASE)

    def done(
        self, request_id: int, staff: str, now: datetime, seen: frozenset[int] | None = None
    ) -> Outcome:
        """Called back and helped: closed. ``seen``: the number's requests the worker's page
        showed; refused while it has another open one (``worklist_actions.plan``)."""
        return self._apply(request_id, staff, now, Action.DONE, seen=seen)

    def not_reached(
        self, request_id: int, staff: str, now: datetime, seen: frozenset[int] | None = None
    ) -> Outcome:
        """Called, nobody answered: one more attempt; the last one closes it as unreached.

        The claim is let go, so any colleague can try again later. Colleagues who record an
        attempt at the same moment each count (the update is retried on a changed count).
        ``seen``: as for ``done``.
        """
        return self._apply(request_id, staff, now, Action.ATTEMPT, seen=seen)

    def reopen(self, request_id: int, staff: str, now: datetime) -> Outcome:
        """A request closed by mistake is open again, unclaimed, with one attempt left at most."""
        return self._apply(request_id, staff, now, Action.REOPEN)

    def note(self, request_id: int, staff: str, now: datetime, text: str) -> Outcome:
        """A short note on any request, open or closed (open: on all from its number)."""
        note = clean_note(text)
        if not note:
            return Outcome(Result.EMPTY_NOTE, Action.NOTE)
        return self._apply(request_id, staff, now, Action.NOTE, note)

    def _apply(
        self,
        request_id: int,
        staff: str,
        now: datetime,
        action: Action,
        note: str | None = None,
        seen: frozenset[int] | None = None,
    ) -> Outcome:
        """The plan for the requests as they are now, applied in one transaction; when one
        of them changed in between (a colleague acted at the same moment), read them again."""
        self.database.ready()
        for _ in range(ACTION_RETRIES):
            try:
                with self.database.engine.begin() as conn:
                    target, rows = number_rows(conn, request_id)
                    if target is not None and target.status is OPEN and target not in rows:
                        raise _Changed  # it changed between the two reads
                    done = plan(action, target, rows, staff, self.max_attempts, seen)
                    found = {row.id: row for row in (*rows, *([target] if target else []))}
                    for change in done.changes:
                        if not apply(conn, found[change.id], change, staff, now):
                            raise _Changed
                        record(conn, change.id, staff, now, change.event, note)
                    return done
            except _Changed:
                continue
            except SQLAlchemyError as exc:
                raise storage_error("record the action", exc) from exc
        raise StorageError("cannot record the action: the request kept changing; try again")


class _Changed(Exception):
    """A request changed between reading and writing it: the transaction is rolled back."""
