"""The tables' version, and the one command that creates and upgrades them.

Bump SCHEMA_VERSION when a table (``ivr.storage.tables``) changes, and add to UPGRADES the step
that brings a database from the previous version to it (new tables need no step: ``create_all``
makes them). ``upgrade_schema`` (``ivr db upgrade``, once per deploy) creates and upgrades under
a lock, so simultaneous runs wait for each other; ``schema_problem`` is all a worker does at
start: it reads the version and creates nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, inspect, select
from sqlalchemy.engine import Connection, Engine

from ivr.core.errors import StorageError
from ivr.storage.tables import (
    call_events,
    callbacks,
    metadata,
    schema_info,
    sms_sent,
    staff_accounts,
)

SCHEMA_VERSION = 8
UPGRADE_COMMAND = "ivr db upgrade"
# pg_advisory_xact_lock key for upgrades: any fixed number no other code uses ("ivrs").
UPGRADE_LOCK_KEY = 0x69767273


def _to_version_2(conn: Connection) -> None:
    """The staff worklist: claims, attempts, who closed a request, the e-mail notice."""
    if conn.dialect.name == "postgresql":  # SQLite does not enforce a VARCHAR's length
        conn.exec_driver_sql("ALTER TABLE callback_requests ALTER COLUMN status TYPE VARCHAR(16)")
    present = {column["name"] for column in inspect(conn).get_columns(callbacks.name)}
    for column in (
        "claimed_by VARCHAR(64)",
        "claimed_at TIMESTAMP WITH TIME ZONE",
        "attempts INTEGER NOT NULL DEFAULT 0",
        "last_attempt_at TIMESTAMP WITH TIME ZONE",
        "closed_by VARCHAR(64)",
        "notified_at TIMESTAMP WITH TIME ZONE",
        "notice_taken_at TIMESTAMP WITH TIME ZONE",
    ):
        if column.split()[0] not in present:
            conn.exec_driver_sql(f"ALTER TABLE callback_requests ADD COLUMN {column}")
    # Requests made before the console existed were never e-mailed: they are on the worklist.
    conn.exec_driver_sql(
        "UPDATE callback_requests SET notified_at = requested_at WHERE status <> 'typed'"
    )


def _to_version_3(conn: Connection) -> None:
    """The call figures' tables are new: ``create_all`` has made them."""


def _to_version_4(conn: Connection) -> None:
    """Names for what the tables hold: ``call_sid`` renamed ``call_key`` (the column holds the
    call's pseudonym, not its CallSid), and ``call_marks`` renamed ``call_events``.

    Unlike the steps before it, the old code cannot use the upgraded tables: a worker of
    schema 3 still running after the release step fails to store a callback request (the caller
    hears the apology with the helpdesk number), and the call events it queues are not written,
    until the new workers replace it.
    """
    for table in (callbacks, sms_sent):
        if "call_sid" in {column["name"] for column in inspect(conn).get_columns(table.name)}:
            conn.exec_driver_sql(f"ALTER TABLE {table.name} RENAME COLUMN call_sid TO call_key")
    if conn.dialect.name == "postgresql":  # its unique constraint, named as a new table names it
        unique = {found["name"] for found in inspect(conn).get_unique_constraints(callbacks.name)}
        if "callback_requests_call_sid_key" in unique:
            conn.exec_driver_sql(
                "ALTER TABLE callback_requests RENAME CONSTRAINT callback_requests_call_sid_key "
                "TO callback_requests_call_key_key"
            )
    if inspect(conn).has_table("call_marks"):
        _call_marks_to_call_events(conn)


def _call_marks_to_call_events(conn: Connection) -> None:
    """``call_marks`` becomes ``call_events`` (its column ``mark``: ``event``), rows and ids kept.

    ``create_all`` ran just before, under the same lock, and made an empty ``call_events`` (no
    code of schema 4 writes to a database at 3): it makes way. The indexes, and on PostgreSQL
    the primary key and the id sequence, are then named as a table made at version 4 names them.
    """
    if inspect(conn).has_table("call_events"):
        if conn.execute(select(func.count()).select_from(call_events)).scalar_one():
            raise StorageError("call_events already holds rows beside call_marks: nothing renamed")
        call_events.drop(conn)
    conn.exec_driver_sql("ALTER TABLE call_marks RENAME TO call_events")
    conn.exec_driver_sql("ALTER TABLE call_events RENAME COLUMN mark TO event")
    for column in ("call_key", "at"):
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS ix_call_marks_{column}")
    for index in call_events.indexes:
        index.create(conn, checkfirst=True)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER INDEX IF EXISTS call_marks_pkey RENAME TO call_events_pkey")
        conn.exec_driver_sql(
            "ALTER SEQUENCE IF EXISTS call_marks_id_seq RENAME TO call_events_id_seq"
        )


def _to_version_5(conn: Connection) -> None:
    """The operator's alerts (``alerts_sent``) are new: ``create_all`` has made the table.
    A worker of schema 4 still running after the release step works on as before."""


def _to_version_6(conn: Connection) -> None:
    """The audit trail of CSV downloads (``csv_downloads``) is new: ``create_all`` has made the
    table. A worker of schema 5 still running after the release step serves the CSV unrecorded
    until the new workers replace it."""


def _to_version_7(conn: Connection) -> None:
    """Server-side staff sessions (``staff_sessions``, made by ``create_all``), the accounts'
    password rule and authenticator app, and whether a callback's number was typed.

    A worker of schema 6 still running after the release step keeps its own cookie sessions and
    stores callback requests without ``number_typed`` (NULL: not known) until it is replaced."""
    for table, columns in (
        (
            staff_accounts,
            (
                "password_strong BOOLEAN",
                "totp_secret VARCHAR(64)",
                "totp_last_step INTEGER",
                "totp_failures INTEGER NOT NULL DEFAULT 0",
            ),
        ),
        (callbacks, ("number_typed BOOLEAN", "asked_at VARCHAR(16)")),
    ):
        present = {column["name"] for column in inspect(conn).get_columns(table.name)}
        for column in columns:
            if column.split()[0] not in present:
                conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {column}")


def _to_version_8(conn: Connection) -> None:
    """The language the caller chose, with each callback request ("nl" for the rows before);
    each staff account's role (the accounts before are helpdesk workers); the content's
    versions (``content_versions``, made by ``create_all``).

    A worker of schema 7 still running after the release step stores its requests as Dutch
    (the column's default) and answers from the repository's content until it is replaced."""
    for table, columns in (
        (callbacks, ("language VARCHAR(8) NOT NULL DEFAULT 'nl'",)),
        (staff_accounts, ("role VARCHAR(16) NOT NULL DEFAULT 'helpdesk'",)),
    ):
        present = {column["name"] for column in inspect(conn).get_columns(table.name)}
        for column in columns:
            if column.split()[0] not in present:
                conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {column}")


UPGRADES: dict[int, Callable[[Connection], None]] = {
    2: _to_version_2,
    3: _to_version_3,
    4: _to_version_4,
    5: _to_version_5,
    6: _to_version_6,
    7: _to_version_7,
    8: _to_version_8,
}


@dataclass(frozen=True)
class SchemaChange:
    """What an upgrade did: ``before`` is None when it created the tables."""

    before: int | None
    after: int

    def __str__(self) -> str:
        if self.before is None:
            return f"created at version {self.after}"
        if self.before == self.after:
            return f"already at version {self.after}"
        return f"upgraded from {self.before} to {self.after}"


def read_version(conn: Connection) -> int | None:
    """The stored schema version; None when there are no tables (or no version) yet."""
    if not inspect(conn).has_table(schema_info.name):
        return None
    found = conn.execute(select(func.max(schema_info.c.version))).scalar()
    return None if found is None else int(found)


def schema_problem(found: int | None) -> str | None:
    """Why the code cannot use a database at schema version ``found``; None when it can."""
    if found is None:
        return (
            "the database has no tables yet; check DATABASE_URL / IVR_SQLITE_PATH, "
            f"or run '{UPGRADE_COMMAND}' to create them"
        )
    if found < SCHEMA_VERSION:
        return (
            f"the database has schema version {found}, older than this code "
            f"({SCHEMA_VERSION}); run '{UPGRADE_COMMAND}'"
        )
    if found > SCHEMA_VERSION:
        return (
            f"the database has schema version {found}, newer than this code "
            f"({SCHEMA_VERSION}); deploy the newer version of the line"
        )
    return None


def upgrade_schema(engine: Engine) -> SchemaChange:
    """Create missing tables and bring an older schema up to date; safe to run concurrently.

    Raises StorageError for a database written by a newer version of the line; SQLAlchemy's
    errors pass through to the caller.
    """
    with exclusive(engine, UPGRADE_LOCK_KEY, unbounded=True) as conn:
        return _upgrade(conn)


@contextmanager
def exclusive(engine: Engine, lock_key: int, unbounded: bool = False) -> Iterator[Connection]:
    """One transaction that no other holder of ``lock_key`` runs at the same time.

    PostgreSQL: a transaction-level advisory lock (its DDL is transactional); ``unbounded``
    lifts the statement timeout (an upgrade may take long). SQLite: BEGIN IMMEDIATE, which
    takes the file's write lock first.
    """
    if engine.dialect.name == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.exec_driver_sql("ROLLBACK")
                raise
            conn.exec_driver_sql("COMMIT")
            return
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            if unbounded:
                conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({int(lock_key)})")
        yield conn


def _upgrade(conn: Connection) -> SchemaChange:
    found = read_version(conn)
    if found is not None and found > SCHEMA_VERSION:
        raise StorageError(str(schema_problem(found)))
    metadata.create_all(conn)
    rows = len(conn.execute(select(schema_info.c.version)).all())
    if found is not None and found < SCHEMA_VERSION:
        for version in range(found + 1, SCHEMA_VERSION + 1):
            UPGRADES[version](conn)
    if found != SCHEMA_VERSION or rows != 1:  # also repairs the two rows of an old race
        conn.execute(delete(schema_info))
        conn.execute(insert(schema_info).values(version=SCHEMA_VERSION))
    return SchemaChange(found, SCHEMA_VERSION)
