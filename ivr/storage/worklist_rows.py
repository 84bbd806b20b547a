"""Rows of the worklist: a request as a ``WorkItem`` with its audit trail, and new events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from ivr.core.callback_status import CallbackStatus
from ivr.core.worklist import Action, Event, WorkItem
from ivr.storage.database import utc
from ivr.storage.tables import callback_events, callbacks


def row_of(conn: Connection, request_id: int) -> Any:
    found = conn.execute(
        select(callbacks).where(
            callbacks.c.id == request_id, callbacks.c.status != CallbackStatus.TYPED
        )
    ).first()
    return found._mapping if found else None


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
    )
