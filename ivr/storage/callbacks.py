"""Callback requests and sent text messages in a database (SQLAlchemy Core).

SQLite file by default (WAL), PostgreSQL when DATABASE_URL is set. A callback request is the only
place a raw phone number is kept, because the caller asked to be called on it. Statements run
with ``hide_parameters`` so an error message or log line never carries a phone number.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, create_engine, delete, event, func, insert, or_, select, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ivr.core.callback_flow import DONE, OPEN, TYPED, CallbackRequest
from ivr.core.errors import StorageError
from ivr.core.worklist import CLOSED
from ivr.storage.schema import (
    UPGRADE_COMMAND,
    SchemaChange,
    callback_events,
    callbacks,
    read_version,
    schema_problem,
    sms_sent,
    upgrade_schema,
)

log = logging.getLogger(__name__)
WAL_TRIES = 50
# Closed by staff (done, unreached), or a typed number never confirmed: purge may delete them.
FINISHED = (*CLOSED, TYPED)
# Seconds a statement waits for a free pooled connection (SQLAlchemy's default is 30).
POOL_TIMEOUT = 2


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: everything is stored in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _failed(what: str, exc: SQLAlchemyError) -> StorageError:
    cause = type(getattr(exc, "orig", None) or exc).__name__
    return StorageError(
        f"cannot {what} ({cause}); check DATABASE_URL / IVR_SQLITE_PATH and that the "
        "database is running and writable"
    )


class CallbackStore:
    """The tables must exist: ``upgrade`` (``ivr db upgrade``) creates them, nothing else does."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        options: dict[str, Any] = {"hide_parameters": True, "pool_pre_ping": True}
        self.sqlite_file: Path | None = None
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                self.sqlite_file = Path(parsed.database)
                options["pool_timeout"] = POOL_TIMEOUT
            options["connect_args"] = {"timeout": 10}
        else:
            # A webhook must answer within 15 s: never wait long for the database.
            # connect_timeout: whole seconds, 2 at least (libpq); the statement_timeout only
            # helps while the server runs (a frozen server is bounded by ivr.web.deadlines).
            options["pool_timeout"] = POOL_TIMEOUT
            options["connect_args"] = {"connect_timeout": 3, "options": "-c statement_timeout=5000"}
        self.engine: Engine = create_engine(parsed, **options)
        if parsed.get_backend_name() == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._schema_ready = False

    def upgrade(self) -> SchemaChange:
        """Create or upgrade the tables (and a SQLite file and its folder); safe to repeat."""
        if self.sqlite_file is not None:
            try:
                self.sqlite_file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"cannot create the folder {self.sqlite_file.parent} ({exc.strerror}); "
                    "set IVR_SQLITE_PATH or IVR_INSTANCE_PATH to a writable place"
                ) from exc
        try:
            change = upgrade_schema(self.engine)
        except SQLAlchemyError as exc:
            raise _failed("create or upgrade the tables", exc) from exc
        self._schema_ready = True
        return change

    def check_schema(self) -> None:
        """Raise StorageError, saying what to run, unless the tables are the code's version.

        Never creates anything: a SQLite file that is not there is reported, not made.
        """
        if self.sqlite_file is not None and not self.sqlite_file.is_file():
            raise StorageError(
                f"the SQLite database {self.sqlite_file} does not exist; check IVR_SQLITE_PATH "
                f"/ DATABASE_URL, or run '{UPGRADE_COMMAND}' to create it"
            )
        try:
            with self.engine.connect() as conn:
                found = read_version(conn)
        except SQLAlchemyError as exc:
            raise _failed("read the schema version", exc) from exc
        problem = schema_problem(found)
        if problem:
            raise StorageError(problem)
        self._schema_ready = True

    def _ready(self) -> None:
        """Checked until found ready, then never again: the hot path costs one attribute."""
        if not self._schema_ready:
            self.check_schema()

    def hold(self, request: CallbackRequest) -> None:
        """Keep a typed number until the caller confirms it (replaces an earlier typed one)."""
        self._ready()
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    delete(callbacks).where(
                        callbacks.c.call_sid == request.call_sid, callbacks.c.status == TYPED
                    )
                )
                conn.execute(insert(callbacks).values(**_row(request, TYPED)))
        except IntegrityError:
            log.info(
                "call %s already has a callback request; typed number ignored", request.call_sid
            )
        except SQLAlchemyError as exc:
            raise _failed("keep the typed number", exc) from exc

    def held(self, call_sid: str) -> CallbackRequest | None:
        """The typed number awaiting confirmation for a call, if any."""
        self._ready()
        try:
            with self.engine.connect() as conn:
                row = conn.execute(
                    select(callbacks).where(
                        callbacks.c.call_sid == call_sid, callbacks.c.status == TYPED
                    )
                ).first()
        except SQLAlchemyError as exc:
            raise _failed("read the typed number", exc) from exc
        return _request(row._mapping) if row else None

    def add(self, request: CallbackRequest) -> int:
        """Store an open request, committed on return. The same CallSid again: the same id."""
        self._ready()
        try:
            with self.engine.begin() as conn:
                result = conn.execute(insert(callbacks).values(**_row(request, OPEN)))
                return int(result.inserted_primary_key[0])
        except IntegrityError:
            pass  # a retried webhook, or a typed number of this call: one request per call
        except SQLAlchemyError as exc:
            raise _failed("store the callback request", exc) from exc
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    update(callbacks)
                    .where(callbacks.c.call_sid == request.call_sid, callbacks.c.status == TYPED)
                    .values(**_row(request, OPEN))
                )
                found = conn.execute(
                    select(callbacks.c.id).where(callbacks.c.call_sid == request.call_sid)
                ).scalar_one()
                return int(found)
        except SQLAlchemyError as exc:
            raise _failed("store the callback request", exc) from exc

    def open_requests(self) -> list[CallbackRequest]:
        """Open requests, oldest first."""
        self._ready()
        query = (
            select(callbacks)
            .where(callbacks.c.status == OPEN)
            .order_by(callbacks.c.requested_at, callbacks.c.id)
        )
        try:
            with self.engine.connect() as conn:
                return [_request(row._mapping) for row in conn.execute(query)]
        except SQLAlchemyError as exc:
            raise _failed("read the callback requests", exc) from exc

    def mark_done(self, request_id: int, now: datetime) -> bool:
        """Mark an open request done; False when there is no open request with that id."""
        self._ready()
        try:
            with self.engine.begin() as conn:
                result = conn.execute(
                    update(callbacks)
                    .where(callbacks.c.id == request_id, callbacks.c.status == OPEN)
                    .values(status=DONE, done_at=_utc(now))
                )
        except SQLAlchemyError as exc:
            raise _failed("mark the request done", exc) from exc
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
        self._ready()
        old = callbacks.c.requested_at < _utc(before)
        if not include_open:
            old = and_(old, callbacks.c.status.in_(FINISHED))
        if unconfirmed_before is not None:
            stale = callbacks.c.requested_at < _utc(unconfirmed_before)
            old = or_(old, and_(callbacks.c.status == TYPED, stale))
        try:
            with self.engine.begin() as conn:
                leaving = select(callbacks.c.id).where(old)
                conn.execute(
                    delete(callback_events).where(callback_events.c.request_id.in_(leaving))
                )
                gone = conn.execute(delete(callbacks).where(old)).rowcount
                conn.execute(delete(sms_sent).where(sms_sent.c.sent_at < _utc(before)))
        except SQLAlchemyError as exc:
            raise _failed("delete old requests", exc) from exc
        return int(gone)

    def unfinished_before(self, before: datetime) -> int:
        """How many requests older than ``before`` nobody has finished (kept by ``purge``)."""
        self._ready()
        query = select(func.count()).where(
            callbacks.c.requested_at < _utc(before), callbacks.c.status.not_in(FINISHED)
        )
        try:
            with self.engine.connect() as conn:
                return int(conn.execute(query).scalar_one())
        except SQLAlchemyError as exc:
            raise _failed("count the unfinished requests", exc) from exc

    def claim_sms(self, call_sid: str, now: datetime) -> bool:
        """Record that this call gets its one SMS; False when it already had one."""
        self._ready()
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(sms_sent).values(call_sid=call_sid, sent_at=_utc(now)))
        except IntegrityError:
            return False
        except SQLAlchemyError as exc:
            raise _failed("record the text message", exc) from exc
        return True

    def release_sms(self, call_sid: str) -> None:
        """Undo ``claim_sms`` after a send that failed: the caller may ask again."""
        self._ready()
        try:
            with self.engine.begin() as conn:
                conn.execute(delete(sms_sent).where(sms_sent.c.call_sid == call_sid))
        except SQLAlchemyError as exc:
            raise _failed("release the text message", exc) from exc


def _row(request: CallbackRequest, status: str) -> dict[str, Any]:
    return {
        "call_sid": request.call_sid,
        "requested_at": _utc(request.requested_at),
        "phone": request.phone,
        "reached": request.reached[:300],
        "answers": request.answers,
        "service": request.service,
        "status": status,
    }


def _request(row: Any) -> CallbackRequest:
    return CallbackRequest(
        call_sid=row["call_sid"],
        phone=row["phone"],
        reached=row["reached"],
        answers=row["answers"],
        service=row["service"],
        requested_at=_utc(row["requested_at"]),
        id=row["id"],
        status=row["status"],
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Switching a new file to WAL needs it to itself, and SQLite may answer "database is
    # locked" at once, without waiting out the busy timeout (several workers or upgrades
    # starting together). Tried again for up to WAL_TRIES x 0.1 s; WAL then stays on the file.
    for attempt in range(WAL_TRIES):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == WAL_TRIES - 1:
                raise
            time.sleep(0.1)
    # FULL: a commit is on disk before "genoteerd" is spoken; NORMAL in WAL mode "might roll
    # back following a power loss or system crash" (SQLite's documentation). README: the cost.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()
