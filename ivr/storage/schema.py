"""The tables' version, and the one command that creates and upgrades them.

Bump SCHEMA_VERSION when a table (``ivr.storage.tables``) changes, and add to UPGRADES
(``ivr.storage.upgrade_steps``) the step that brings a database from the previous version to
it (new tables need no step: ``create_all`` makes them). ``upgrade_schema`` (``ivr db upgrade``,
once per deploy) creates and upgrades under a lock, so simultaneous runs wait for each other;
``schema_problem`` is all a worker does at start: it reads the version and creates nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, inspect, select
from sqlalchemy.engine import Connection, Engine

from ivr.core.errors import StorageError
from ivr.storage.tables import metadata, schema_info
from ivr.storage.upgrade_steps import UPGRADES

SCHEMA_VERSION = 8
UPGRADE_COMMAND = "ivr db upgrade"
# pg_advisory_xact_lock key for upgrades: any fixed number no other code uses ("ivrs").
UPGRADE_LOCK_KEY = 0x69767273


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
