"""The line's one database: the engine every store shares, and the check of its schema.

A SQLite file by default (WAL), PostgreSQL when DATABASE_URL is set. Statements run with
``hide_parameters`` so an error message or log line never carries a phone number. The stores
(callbacks, worklist, notices, accounts, call figures) each take this ``Database``; the tables
are made and upgraded only by ``upgrade`` (``ivr db upgrade``), never by a store.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from ivr.core.errors import StorageError
from ivr.storage.schema import (
    UPGRADE_COMMAND,
    SchemaChange,
    read_version,
    schema_problem,
    upgrade_schema,
)

WAL_TRIES = 50
# Seconds a statement waits for a free pooled connection (SQLAlchemy's default is 30).
POOL_TIMEOUT = 2


def utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: everything is stored in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def storage_error(what: str, exc: SQLAlchemyError) -> StorageError:
    """The error a store raises when a statement fails: what it could not do, and the cause's
    kind only (never its message, which may quote a parameter)."""
    cause = type(getattr(exc, "orig", None) or exc).__name__
    return StorageError(
        f"cannot {what} ({cause}); check DATABASE_URL / IVR_SQLITE_PATH and that the "
        "database is running and writable"
    )


class Database:
    """The engine for ``url``, and whether its tables are at this code's schema version."""

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
            # A server that vanishes from the network (a failover, a dropped route) sends no
            # reset: keepalives and tcp_user_timeout (ms, for data sent but never acknowledged)
            # close such a connection within about 10 s, instead of the kernel's 15 minutes
            # during which the threads waiting on it stay taken.
            options["pool_timeout"] = POOL_TIMEOUT
            options["connect_args"] = {
                "connect_timeout": 3,
                "options": "-c statement_timeout=5000",
                "keepalives": 1,
                "keepalives_idle": 5,
                "keepalives_interval": 2,
                "keepalives_count": 3,
                "tcp_user_timeout": 10_000,
            }
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
            raise storage_error("create or upgrade the tables", exc) from exc
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
            raise storage_error("read the schema version", exc) from exc
        problem = schema_problem(found)
        if problem:
            raise StorageError(problem)
        self._schema_ready = True

    @property
    def checked(self) -> bool:
        """True once the tables were found at this code's version (asks the database nothing)."""
        return self._schema_ready

    def ready(self) -> None:
        """Before a store's statement: the schema is checked until found ready, then never
        again (the hot path costs one attribute)."""
        if not self._schema_ready:
            self.check_schema()

    def dispose(self) -> None:
        """Close the pooled connections (a command's end; a test's database going away)."""
        self.engine.dispose()


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
