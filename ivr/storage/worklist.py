"""The worklist in the database: callback requests with their claims, attempts and audit trail.

Every action is one transaction: a conditional UPDATE (so two staff who act at once cannot both
win) and the event that records who did it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, true, update
from sqlalchemy.exc import SQLAlchemyError

from ivr.core.callback_status import CLOSED, CONFIRMED, CallbackStatus
from ivr.core.errors import StorageError
from ivr.core.worklist import (
    Action,
    Outcome,
    Result,
    WorkItem,
    after_attempt,
    clean_note,
)
from ivr.storage.database import Database, storage_error, utc
from ivr.storage.tables import callbacks
from ivr.storage.worklist_rows import events_of, item_from, record, row_of

ATTEMPT_RETRIES = 20  # more staff than this acting on one request in one instant: unheard of
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
    def claim(self, request_id: int, staff: str, now: datetime) -> Outcome:
        """Claim it ("ik bel"): the first to claim an unclaimed open request wins."""
        unclaimed = callbacks.c.claimed_by.is_(None)
        return self._act(
            request_id, staff, now, Action.CLAIM, unclaimed, claimed_by=staff, claimed_at=utc(now)
        )

    def take_over(self, request_id: int, staff: str, now: datetime) -> Outcome:
        """Claim a request somebody else claimed (they went home; it is recorded)."""
        return self._act(
            request_id, staff, now, Action.TAKE_OVER, true(), claimed_by=staff, claimed_at=utc(now)
        )

    def release(self, request_id: int, staff: str, now: datetime) -> Outcome:
        mine = callbacks.c.claimed_by == staff
        return self._act(
            request_id, staff, now, Action.RELEASE, mine, claimed_by=None, claimed_at=None
        )

    def done(self, request_id: int, staff: str, now: datetime) -> Outcome:
        """Called back and helped: closed."""
        return self._act(
            request_id,
            staff,
            now,
            Action.DONE,
            _free_or_mine(staff),
            status=CallbackStatus.DONE,
            done_at=utc(now),
            closed_by=staff,
        )

    def not_reached(self, request_id: int, staff: str, now: datetime) -> Outcome:
        """Called, nobody answered: one more attempt; the last one closes it as unreached.

        The claim is let go, so any colleague can try again later. Colleagues who record an
        attempt at the same moment each count (the update is retried on a changed count).
        """
        for _ in range(ATTEMPT_RETRIES):
            done = self._attempt(request_id, staff, now)
            if done is not None:
                return done
        raise StorageError("cannot record the attempt: the request kept changing; try again")

    def _attempt(self, request_id: int, staff: str, now: datetime) -> Outcome | None:
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                row = row_of(conn, request_id)
                if (
                    row is None
                    or row["status"] != CallbackStatus.OPEN
                    or row["claimed_by"] not in (None, staff)
                ):
                    return _refused(row, staff, Action.ATTEMPT)
                attempts, last = after_attempt(row["attempts"], self.max_attempts)
                action = Action.UNREACHED if last else Action.ATTEMPT
                values: dict[str, Any] = {
                    "attempts": attempts,
                    "last_attempt_at": utc(now),
                    "claimed_by": None,
                    "claimed_at": None,
                }
                if last:
                    values.update(
                        status=CallbackStatus.UNREACHED, done_at=utc(now), closed_by=staff
                    )
                guard = and_(
                    callbacks.c.attempts == row["attempts"],
                    IS_OPEN,
                    _free_or_mine(staff),
                )
                changed = conn.execute(
                    update(callbacks).where(callbacks.c.id == request_id, guard).values(**values)
                ).rowcount
                if changed != 1:
                    return None  # somebody acted in between: read it again
                record(conn, request_id, staff, now, action)
                return Outcome(Result.OK, action, attempts=attempts)
        except SQLAlchemyError as exc:
            raise storage_error("record the attempt", exc) from exc

    def reopen(self, request_id: int, staff: str, now: datetime) -> Outcome:
        """A request closed by mistake is open again, unclaimed, with one attempt left at most."""
        self.database.ready()
        row = callbacks.c
        try:
            with self.database.engine.begin() as conn:
                changed = conn.execute(
                    update(callbacks)
                    .where(row.id == request_id, row.status.in_(CLOSED))
                    .values(
                        status=CallbackStatus.OPEN,
                        done_at=None,
                        closed_by=None,
                        claimed_by=None,
                        claimed_at=None,
                        attempts=func.min(row.attempts, self.max_attempts - 1)
                        if conn.dialect.name == "sqlite"
                        else func.least(row.attempts, self.max_attempts - 1),
                    )
                ).rowcount
                if changed != 1:
                    found = row_of(conn, request_id)
                    result = Result.NOT_FOUND if found is None else Result.STILL_OPEN
                    return Outcome(result, Action.REOPEN)
                record(conn, request_id, staff, now, Action.REOPEN)
        except SQLAlchemyError as exc:
            raise storage_error("reopen the request", exc) from exc
        return Outcome(Result.OK, Action.REOPEN)

    def note(self, request_id: int, staff: str, now: datetime, text: str) -> Outcome:
        """A short note on any request, open or closed."""
        note = clean_note(text)
        if not note:
            return Outcome(Result.EMPTY_NOTE, Action.NOTE)
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                if row_of(conn, request_id) is None:
                    return Outcome(Result.NOT_FOUND, Action.NOTE)
                record(conn, request_id, staff, now, Action.NOTE, note)
        except SQLAlchemyError as exc:
            raise storage_error("keep the note", exc) from exc
        return Outcome(Result.OK, Action.NOTE)

    def _act(
        self,
        request_id: int,
        staff: str,
        now: datetime,
        action: Action,
        guard: Any,
        **values: Any,
    ) -> Outcome:
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                changed = conn.execute(
                    update(callbacks)
                    .where(
                        callbacks.c.id == request_id,
                        IS_OPEN,
                        guard,
                    )
                    .values(**values)
                ).rowcount
                if changed != 1:
                    return _refused(row_of(conn, request_id), staff, action)
                record(conn, request_id, staff, now, action)
        except SQLAlchemyError as exc:
            raise storage_error("record the action", exc) from exc
        return Outcome(Result.OK, action)


def _free_or_mine(staff: str) -> Any:
    return or_(callbacks.c.claimed_by.is_(None), callbacks.c.claimed_by == staff)


def _refused(row: Any, staff: str, action: Action) -> Outcome:
    """Why an action changed nothing, from the row as it is now."""
    if row is None:
        return Outcome(Result.NOT_FOUND, action)
    if row["status"] != CallbackStatus.OPEN:
        return Outcome(Result.CLOSED, action, by=row["closed_by"])
    if row["claimed_by"] == staff:
        return Outcome(Result.CLAIMED_BY_YOU, action, by=staff)
    if row["claimed_by"] is None:
        return Outcome(Result.NOT_CLAIMED, action)
    return Outcome(Result.CLAIMED_BY_OTHER, action, by=row["claimed_by"])
