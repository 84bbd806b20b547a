"""Callback requests and sent text messages (SQLAlchemy Core, in the line's ``Database``).

A callback request is the only place a raw phone number is kept, because the caller asked to be
called on it. A call is known here by its pseudonym for callbacks (``call_key``), never by its
CallSid.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ivr.core.callback_request import CallbackRequest
from ivr.core.callback_status import FINISHED, AskedAt, CallbackStatus
from ivr.storage.database import Database, storage_error, utc
from ivr.storage.tables import callback_events, callbacks, sms_sent

log = logging.getLogger(__name__)


class CallbackStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def hold(self, request: CallbackRequest) -> None:
        """Keep a typed number until the caller confirms it (replaces an earlier typed one)."""
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                conn.execute(delete(callbacks).where(*_typed(request.call_key)))
                conn.execute(insert(callbacks).values(**_row(request, CallbackStatus.TYPED)))
        except IntegrityError:
            log.info(
                "call %s already has a callback request; typed number ignored", request.call_key
            )
        except SQLAlchemyError as exc:
            raise storage_error("keep the typed number", exc) from exc

    def held(self, call_key: str) -> CallbackRequest | None:
        """The typed number awaiting confirmation for a call, if any."""
        self.database.ready()
        try:
            with self.database.engine.connect() as conn:
                row = conn.execute(select(callbacks).where(*_typed(call_key))).first()
        except SQLAlchemyError as exc:
            raise storage_error("read the typed number", exc) from exc
        return _request(row._mapping) if row else None

    def add(self, request: CallbackRequest) -> int:
        """Store an open request, committed on return. The same call again: the same id."""
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                result = conn.execute(
                    insert(callbacks).values(**_row(request, CallbackStatus.OPEN))
                )
                return int(result.inserted_primary_key[0])
        except IntegrityError:
            pass  # a retried webhook, or a typed number of this call: one request per call
        except SQLAlchemyError as exc:
            raise storage_error("store the callback request", exc) from exc
        try:
            with self.database.engine.begin() as conn:
                conn.execute(
                    update(callbacks)
                    .where(*_typed(request.call_key))
                    .values(**_row(request, CallbackStatus.OPEN))
                )
                found = conn.execute(
                    select(callbacks.c.id).where(callbacks.c.call_key == request.call_key)
                ).scalar_one()
                return int(found)
        except SQLAlchemyError as exc:
            raise storage_error("store the callback request", exc) from exc

    def open_requests(self) -> list[CallbackRequest]:
        """Open requests, oldest first."""
        self.database.ready()
        query = (
            select(callbacks)
            .where(callbacks.c.status == CallbackStatus.OPEN)
            .order_by(callbacks.c.requested_at, callbacks.c.id)
        )
        try:
            with self.database.engine.connect() as conn:
                return [_request(row._mapping) for row in conn.execute(query)]
        except SQLAlchemyError as exc:
            raise storage_error("read the callback requests", exc) from exc

    def mark_done(self, request_id: int, now: datetime) -> bool:
        """Mark an open request done; False when there is no open request with that id."""
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                result = conn.execute(
                    update(callbacks)
                    .where(callbacks.c.id == request_id, callbacks.c.status == CallbackStatus.OPEN)
                    .values(status=CallbackStatus.DONE, done_at=utc(now))
                )
        except SQLAlchemyError as exc:
            raise storage_error("mark the request done", exc) from exc
        return result.rowcount == 1

    def purge(
        self,
        before: datetime,
        unconfirmed_before: datetime | None = None,
        include_open: bool = False,
    ) -> int:
        """Delete finished requests and SMS records older than ``before``.

        ``unconfirmed_before``: typed numbers the caller never confirmed go sooner. Requests
        nobody has finished (open, claimed or not) are kept unless
        ``include_open``: a caller still waits for them (``unfinished_before`` counts them).
        """
        self.database.ready()
        old = callbacks.c.requested_at < utc(before)
        if not include_open:
            old = and_(old, callbacks.c.status.in_(FINISHED))
        if unconfirmed_before is not None:
            stale = callbacks.c.requested_at < utc(unconfirmed_before)
            old = or_(old, and_(callbacks.c.status == CallbackStatus.TYPED, stale))
        try:
            with self.database.engine.begin() as conn:
                leaving = select(callbacks.c.id).where(old)
                conn.execute(
                    delete(callback_events).where(callback_events.c.request_id.in_(leaving))
                )
                gone = conn.execute(delete(callbacks).where(old)).rowcount
                conn.execute(delete(sms_sent).where(sms_sent.c.sent_at < utc(before)))
        except SQLAlchemyError as exc:
            raise storage_error("delete old requests", exc) from exc
        return int(gone)

    def unfinished_before(self, before: datetime) -> int:
        """How many requests older than ``before`` nobody has finished (kept by ``purge``)."""
        self.database.ready()
        query = select(func.count()).where(
            callbacks.c.requested_at < utc(before), callbacks.c.status.not_in(FINISHED)
        )
        try:
            with self.database.engine.connect() as conn:
                return int(conn.execute(query).scalar_one())
        except SQLAlchemyError as exc:
            raise storage_error("count the unfinished requests", exc) from exc

    def claim_sms(self, call_key: str, now: datetime) -> bool:
        """Record that this call gets its one SMS; False when it already had one."""
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                conn.execute(insert(sms_sent).values(call_key=call_key, sent_at=utc(now)))
        except IntegrityError:
            return False
        except SQLAlchemyError as exc:
            raise storage_error("record the text message", exc) from exc
        return True

    def release_sms(self, call_key: str) -> None:
        """Undo ``claim_sms`` after a send that failed: the caller may ask again."""
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                conn.execute(delete(sms_sent).where(sms_sent.c.call_key == call_key))
        except SQLAlchemyError as exc:
            raise storage_error("release the text message", exc) from exc


def _typed(call_key: str) -> tuple[Any, ...]:
    """The row of a call's typed number awaiting the caller's "ja"."""
    return callbacks.c.call_key == call_key, callbacks.c.status == CallbackStatus.TYPED


def _row(request: CallbackRequest, status: CallbackStatus) -> dict[str, Any]:
    return {
        "call_key": request.call_key,
        "requested_at": utc(request.requested_at),
        "phone": request.phone,
        "reached": request.reached[:300],
        "answers": request.answers,
        "service": request.service,
        "status": status,
        "number_typed": request.number_typed,
        "asked_at": request.asked_at,
        "language": request.language,
    }


def _request(row: Any) -> CallbackRequest:
    return CallbackRequest(
        call_key=row["call_key"],
        phone=row["phone"],
        reached=row["reached"],
        answers=row["answers"],
        service=row["service"],
        requested_at=utc(row["requested_at"]),
        id=row["id"],
        status=CallbackStatus(row["status"]),
        number_typed=row["number_typed"],
        asked_at=AskedAt(row["asked_at"]) if row["asked_at"] else None,
        language=row["language"],
    )
