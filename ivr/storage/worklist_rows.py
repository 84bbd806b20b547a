"""Rows of the worklist: a request as a ``WorkItem`` with its audit trail; a number's open
requests as an action finds them, their changes written, and new events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from ivr.core.callback_status import CLOSED, AskedAt, CallbackStatus
from ivr.core.worklist import Action, Change, Event, WorkItem
from ivr.core.worklist_actions import Row
from ivr.storage.database import utc
from ivr.storage.tables import callback_events, callbacks


def number_rows(conn: Connection, request_id: int) -> tuple[Row | None, list[Row]]:
    """The request (None: no such request) and the open requests from its number, by id
    (none when it is closed: a closed request is acted on alone). Read one after the other: a
    request that changed in between is not among the rows as it was read (``Worklist`` reads
    again)."""
    found = conn.execute(
        select(callbacks).where(
            callbacks.c.id == request_id, callbacks.c.status != CallbackStatus.TYPED
        )
    ).first()
    if found is None:
        return None, []
    target = _row(found._mapping)
    if target.status is not CallbackStatus.OPEN:
        return target, []
    query = (
        select(callbacks)
        .where(callbacks.c.phone == found.phone, callbacks.c.status == CallbackStatus.OPEN)
        .order_by(callbacks.c.id)
    )
    return target, [_row(row._mapping) for row in conn.execute(query)]


def _row(mapping: Any) -> Row:
    return Row(
        mapping["id"],
        CallbackStatus(mapping["status"]),
        mapping["claimed_by"],
        mapping["attempts"],
        mapping["closed_by"],
    )


def apply(conn: Connection, before: Row, change: Change, staff: str, now: datetime) -> bool:
    """Write a request's change, only if it is still as read (False: it changed meanwhile)."""
    c = callbacks.c
    values: dict[str, Any] = {}
    if change.claimed_by != before.claimed_by:
        values.update(claimed_by=change.claimed_by)
        values.update(claimed_at=utc(now) if change.claimed_by else None)
    if change.attempts != before.attempts:
        values.update(attempts=change.attempts)
        if change.attempts > before.attempts:
            values.update(last_attempt_at=utc(now))
    if change.status is not before.status:
        closes = change.status in CLOSED
        values.update(status=change.status, done_at=utc(now) if closes else None)
        values.update(closed_by=staff if closes else None)
    if not values:
        return True  # a note: nothing but the event
    claim = (
        c.claimed_by.is_(None) if before.claimed_by is None else c.claimed_by == before.claimed_by
    )
    as_read = (c.status == before.status, claim, c.attempts == before.attempts)
    changed = conn.execute(update(callbacks).where(c.id == before.id, *as_read).values(**values))
    return changed.rowcount == 1


def record(
    conn: Connection,
    request_id: int,
    staff: str,
    now: datetime,
    action: Action,
    note: str | None = None,
) -> None:
    conn.execute(
        insert(callback_events).values(
            request_id=request_id, at=utc(now), staff=staff, action=action.value, note=note
        )
    )


def events_of(conn: Connection, ids: Iterable[int]) -> dict[int, tuple[Event, ...]]:
    wanted = list(ids)
    if not wanted:
        return {}
    found: dict[int, list[Event]] = {}
    query = (
        select(callback_events)
        .where(callback_events.c.request_id.in_(wanted))
        .order_by(callback_events.c.at, callback_events.c.id)
    )
    for row in conn.execute(query):
        event = Event(utc(row.at), row.staff, Action(row.action), row.note)
        found.setdefault(row.request_id, []).append(event)
    return {key: tuple(value) for key, value in found.items()}


def optional(moment: datetime | None) -> datetime | None:
    return None if moment is None else utc(moment)


def item_from(row: Any, events: tuple[Event, ...]) -> WorkItem:
    return WorkItem(
        id=row["id"],
        requested_at=utc(row["requested_at"]),
        phone=row["phone"],
        service=row["service"],
        reached=row["reached"],
        answers=row["answers"],
        status=CallbackStatus(row["status"]),
        claimed_by=row["claimed_by"],
        claimed_at=optional(row["claimed_at"]),
        attempts=row["attempts"],
        last_attempt_at=optional(row["last_attempt_at"]),
        closed_by=row["closed_by"],
        closed_at=optional(row["done_at"]),
        events=events,
        number_typed=row["number_typed"],
        asked_at=AskedAt(row["asked_at"]) if row["asked_at"] else None,
        language=row["language"],
    )
