"""The line's one database: its settings, its engine (SQLite pragmas) and its schema version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ivr.config.settings import database_url
from ivr.core.errors import ConfigError, StorageError
from ivr.storage.database import Database, _sqlite_pragmas
from ivr.storage.schema import SCHEMA_VERSION
from ivr.storage.tables import schema_info


def test_schema_upgrade_repeats_safely(db_url: str) -> None:
    said = []
    for _ in range(2):
        again = Database(db_url)
        said.append(str(again.upgrade()))
        again.dispose()
    assert said == [f"created at version {SCHEMA_VERSION}", f"already at version {SCHEMA_VERSION}"]


def test_sqlite_file_is_created_with_wal_by_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "ivr.sqlite3"
    made = Database(f"sqlite:///{path}")
    assert not path.parent.exists()  # only the upgrade creates things
    made.upgrade()
    with made.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    made.dispose()
    assert path.exists()


@pytest.mark.parametrize(
    ("env", "url"),
    [
        pytest.param({}, "sqlite:////srv/instance/ivr.sqlite3", id="default-sqlite"),
        pytest.param({"IVR_SQLITE_PATH": "/data/x.db"}, "sqlite:////data/x.db", id="sqlite-path"),
        pytest.param(
            {"DATABASE_URL": "postgres://u:p@h:5432/d"},
            "postgresql+psycopg://u:p@h:5432/d",
            id="heroku-postgres",
        ),
        pytest.param(
            {"DATABASE_URL": "postgresql://u@h/d"}, "postgresql+psycopg://u@h/d", id="postgresql"
        ),
    ],
)
def test_database_url(env: dict[str, str], url: str) -> None:
    assert database_url(env, Path("/srv/instance")) == url


@pytest.mark.parametrize("bad", ["mysql://u@h/d", "just-a-name"])
def test_bad_database_url_names_the_key(bad: str) -> None:
    with pytest.raises(ConfigError, match=r"^DATABASE_URL: "):
        database_url({"DATABASE_URL": bad}, Path("/srv"))


@pytest.mark.parametrize(
    ("stored_version", "error"),
    [
        pytest.param(SCHEMA_VERSION - 1, None, id="older-is-upgraded"),
        pytest.param(SCHEMA_VERSION, None, id="current"),
        pytest.param(SCHEMA_VERSION + 1, "newer than this code", id="newer-refused"),
    ],
)
def test_schema_version(upgraded_url: str, stored_version: int, error: str | None) -> None:
    again = Database(upgraded_url)
    with again.engine.begin() as conn:
        conn.execute(update(schema_info).values(version=stored_version))
    try:
        if error:
            with pytest.raises(StorageError, match=error):
                again.upgrade()
        else:
            again.upgrade()
            with again.engine.connect() as conn:
                assert conn.execute(select(schema_info.c.version)).scalars().all() == [
                    SCHEMA_VERSION
                ]
    finally:
        again.dispose()


class _LockedTwice:
    """A DB-API connection whose switch to WAL is refused twice as "database is locked"."""

    def __init__(self) -> None:
        self.ran: list[str] = []
        self.refusals = 2

    def cursor(self) -> _LockedTwice:
        return self

    def execute(self, sql: str) -> None:
        if sql == "PRAGMA journal_mode=WAL" and self.refusals:
            self.refusals -= 1
            raise sqlite3.OperationalError("database is locked")
        self.ran.append(sql)

    def close(self) -> None:
        pass


def test_the_switch_to_wal_waits_for_a_locked_new_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ivr.storage.database.time.sleep", lambda _: None)
    connection = _LockedTwice()
    _sqlite_pragmas(connection, None)
    assert connection.ran == ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL"]
