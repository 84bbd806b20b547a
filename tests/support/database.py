"""The test databases: a PostgreSQL database of this run's own, and upgrading one as a deploy does
(alone, or several upgrades at once).

Every pytest process (each xdist worker, or the one process without xdist) works in a database
of its own on the server of ``TEST_DATABASE_URL``, created at its start and dropped at its end,
so workers and runs side by side on one server never see each other's tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, select, text, update
from sqlalchemy.engine import make_url

from ivr.cli.db import upgrade_database
from ivr.config.settings import database_url
from ivr.storage.database import Database
from ivr.storage.tables import schema_info
from tests.support.threads import at_once


def upgrade(url: str) -> str:
    """What ``ivr db upgrade`` does once per deploy: the tables, before the line starts."""
    upgrade_database(url)
    return url


def at_version(url: str, version: int | None) -> None:
    """A database at schema ``version`` (None: fresh and empty), as an older deploy left it."""
    if version is None:
        return
    database = Database(url)
    database.upgrade()
    with database.engine.begin() as conn:
        conn.execute(update(schema_info).values(version=version))
    database.dispose()


def own_name(base: str) -> str:
    """The database name of this pytest process: the base name, the xdist worker, the pid."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"{base}_{worker}_{os.getpid()}"


@contextmanager
def own_database(raw: str) -> Iterator[str]:
    """A new, empty database next to ``raw``'s (a postgresql:// URL), as a URL of the same form;
    dropped afterwards, with any connection a test left open."""
    given = make_url(raw)
    name = own_name(given.database or "ivr_test")
    server = create_engine(database_url({"DATABASE_URL": raw}), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield given.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def versions(url: str) -> list[int]:
    """The version rows of the database at ``url`` (one, once upgraded)."""
    database = Database(url)
    with database.engine.connect() as conn:
        found = list(conn.execute(select(schema_info.c.version)).scalars())
    database.dispose()
    return found


def upgrades_at_once(url: str, starts: int) -> list[str]:
    """What ``starts`` upgrades of the database at ``url``, started together, each said."""
    databases = [Database(url) for _ in range(starts)]
    try:
        changes = at_once([database.upgrade for database in databases])
    finally:
        for database in databases:
            database.dispose()
    return sorted(str(change) for change in changes)
