"""The call figures' storage: call events stored, figures read back, and old events folded into
daily counts.

Events arrive in batches (``ivr.web.event_queue``). Figures for a period fold the raw events of
the calls that started in it (``ivr.core.call_counts``) and add the daily counts that
``fold_before`` left after the retention period: the same sums either way.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from ivr.core.call_counts import Counts, daily_counts, fold, in_period
from ivr.core.call_events import CallEvent, KeyedEvent
from ivr.core.callback_status import CONFIRMED, CallbackStatus
from ivr.core.hours import AMSTERDAM
from ivr.storage.database import Database, storage_error, utc
from ivr.storage.schema import exclusive
from ivr.storage.tables import call_days, call_events, callbacks

# Twilio ends a call after 4 hours: a call's events lie within this of its first.
LONGEST_CALL = timedelta(hours=4)
FOLD_LOCK_KEY = 0x69766663  # pg_advisory_xact_lock key for folding ("ivfc")
FOLD_BATCH = 500  # calls folded per transaction


def day_start(day: date) -> datetime:
    """Midnight in Amsterdam at the start of ``day``, in UTC."""
    return datetime.combine(day, time(0), AMSTERDAM).astimezone(UTC)


@dataclass(frozen=True)
class CallbackFigures:
    requested: int  # stored requests in the period (the caller confirmed a number)
    done: int  # of those: called back and helped
    unreached: int  # of those: closed after the last attempt reached nobody
    median_minutes: int | None  # from request to done, for the done ones


@lru_cache(maxsize=4096)
def _stored(event: CallEvent) -> str:
    """A call event as stored. Most webhooks give one of a few hundred events: each is encoded
    once."""
    return json.dumps(event.to_json())


class FiguresStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def write(self, events: Sequence[KeyedEvent]) -> None:
        """Store a batch of call events in one transaction (raises StorageError)."""
        if not events:
            return
        self.database.ready()
        rows = [
            {"call_key": key, "at": utc(at), "event": _stored(event)} for key, at, event in events
        ]
        try:
            with self.database.engine.begin() as conn:
                conn.execute(insert(call_events), rows)
        except SQLAlchemyError as exc:
            raise storage_error("store call events", exc) from exc

    def counts(self, since: date, until: date) -> Counts:
        """The daily counts of the calls that started from ``since`` to ``until`` (inclusive),
        read afresh at every call: nothing is kept between views, so every worker shows the
        calls any worker stored (a period of 90 days with 3,000 calls folds in about 0.25 s).
        """
        self.database.ready()
        start, end = day_start(since), day_start(until + timedelta(days=1))
        started = (
            select(call_events.c.call_key)
            .where(call_events.c.at >= start - LONGEST_CALL, call_events.c.at < end)
            .group_by(call_events.c.call_key)
            .having(func.min(call_events.c.at) >= start)
        )
        try:
            with self.database.engine.connect() as conn:
                raw = self._events(conn, started, end + LONGEST_CALL)
                kept = conn.execute(
                    select(call_days).where(call_days.c.day >= since, call_days.c.day <= until)
                ).all()
        except SQLAlchemyError as exc:
            raise storage_error("read the call figures", exc) from exc
        counts = in_period(daily_counts(fold(raw)), since, until)
        for row in kept:
            counts[(row.day, row.metric, row.key)] += row.count
        return counts

    def fold_before(self, day: date) -> int:
        """Fold the calls that started before ``day`` into daily counts and delete their events.

        A few hundred calls per transaction, each under a lock (two purges at once cannot count
        a call twice) and short, so callers' own writes never wait long. Returns the number of
        calls folded.
        """
        self.database.ready()
        cutoff = day_start(day)
        old = (
            select(call_events.c.call_key)
            .group_by(call_events.c.call_key)
            .having(func.min(call_events.c.at) < cutoff)
        )
        try:
            with self.database.engine.connect() as conn:
                keys = list(conn.execute(old).scalars())
            return sum(
                self._fold(keys[i : i + FOLD_BATCH]) for i in range(0, len(keys), FOLD_BATCH)
            )
        except SQLAlchemyError as exc:
            raise storage_error("fold old call events", exc) from exc

    def _fold(self, keys: Sequence[str]) -> int:
        with exclusive(self.database.engine, FOLD_LOCK_KEY, unbounded=True) as conn:
            wanted = call_events.c.call_key.in_(keys)
            query = select(call_events.c.call_key, call_events.c.at, call_events.c.event)
            order = (call_events.c.at, call_events.c.id)
            rows = conn.execute(query.where(wanted).order_by(*order)).all()
            journeys = fold(_keyed(row) for row in rows)  # none left: folded by another purge
            counts = daily_counts(journeys)
            if counts:
                rows_out = [
                    {"day": d, "metric": metric, "key": key, "count": n}
                    for (d, metric, key), n in counts.items()
                ]
                conn.execute(_add_counts(conn), rows_out)
            conn.execute(delete(call_events).where(wanted))
        return len(journeys)

    def callbacks(self, since: date, until: date) -> CallbackFigures:
        """Callback requests made in the period, and how fast the done ones were done."""
        self.database.ready()
        start, end = day_start(since), day_start(until + timedelta(days=1))
        query = select(callbacks.c.status, callbacks.c.requested_at, callbacks.c.done_at).where(
            callbacks.c.requested_at >= start,
            callbacks.c.requested_at < end,
            callbacks.c.status.in_(CONFIRMED),
        )
        try:
            with self.database.engine.connect() as conn:
                rows = conn.execute(query).all()
        except SQLAlchemyError as exc:
            raise storage_error("read the callback figures", exc) from exc
        minutes = [
            (utc(row.done_at) - utc(row.requested_at)).total_seconds() / 60
            for row in rows
            if row.status == CallbackStatus.DONE and row.done_at is not None
        ]
        return CallbackFigures(
            requested=len(rows),
            done=len(minutes),
            unreached=sum(1 for row in rows if row.status == CallbackStatus.UNREACHED),
            median_minutes=round(statistics.median(minutes)) if minutes else None,
        )

    @staticmethod
    def _events(conn: Connection, keys: object, before: datetime) -> list[KeyedEvent]:
        query = (
            select(call_events.c.call_key, call_events.c.at, call_events.c.event)
            .where(call_events.c.call_key.in_(keys), call_events.c.at < before)
            .order_by(call_events.c.at, call_events.c.id)
        )
        return [_keyed(row) for row in conn.execute(query)]


def _keyed(row: Any) -> KeyedEvent:
    return row.call_key, utc(row.at), CallEvent.from_json(json.loads(row.event))


def _add_counts(conn: Connection) -> object:
    """INSERT … ON CONFLICT: add to a day's count that is already there."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(call_days)
    return statement.on_conflict_do_update(
        index_elements=[call_days.c.day, call_days.c.metric, call_days.c.key],
        set_={"count": call_days.c.count + statement.excluded["count"]},
    )
