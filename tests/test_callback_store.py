"""The callback store on SQLite and PostgreSQL, and the database settings."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ivr.config.settings import database_url
from ivr.core.errors import ConfigError, StorageError
from ivr.storage.callbacks import OPEN, CallbackRequest, CallbackStore, _sqlite_pragmas
from ivr.storage.schema import SCHEMA_VERSION, schema_info

T0 = datetime(2026, 11, 22, 21, 0, tzinfo=UTC)


def request(
    call_sid: str = "CA1", phone: str = "+31612345678", at: datetime = T0
) -> CallbackRequest:
    return CallbackRequest(call_sid, phone, "Dagbesteding", "Vraag? Ja.", "sociaal_loket", at)


def test_add_then_list_oldest_first(store: CallbackStore) -> None:
    late = store.add(request("CA2", at=T0 + timedelta(hours=1)))
    early = store.add(request("CA1", at=T0))
    listed = store.open_requests()
    assert [r.id for r in listed] == [early, late]
    assert listed[0] == replace(request("CA1"), id=early, status=OPEN)


def test_same_call_sid_is_one_request(store: CallbackStore) -> None:
    first = store.add(request())
    again = store.add(request(phone="+31687654321"))
    assert first == again
    assert [r.phone for r in store.open_requests()] == ["+31612345678"]


def test_typed_number_waits_for_confirmation(store: CallbackStore) -> None:
    store.hold(request(phone="+31201111111"))
    store.hold(request(phone="+31202222222"))  # typed again: replaces the first
    assert store.open_requests() == []
    held = store.held("CA1")
    assert held is not None and held.phone == "+31202222222"
    store.add(held)
    assert [r.phone for r in store.open_requests()] == ["+31202222222"]
    assert store.held("CA1") is None


def test_mark_done(store: CallbackStore) -> None:
    request_id = store.add(request())
    assert store.mark_done(request_id, T0) is True
    assert store.mark_done(request_id, T0) is False  # already done
    assert store.mark_done(request_id + 100, T0) is False
    assert store.open_requests() == []


@pytest.mark.parametrize(
    ("include_open", "gone", "left"),
    [
        pytest.param(False, 1, ["CA2", "CA3"], id="open-requests-kept"),
        pytest.param(True, 2, ["CA3"], id="include-open"),
    ],
)
def test_purge_deletes_handled_requests_older_than_the_cutoff(
    store: CallbackStore, include_open: bool, gone: int, left: list[str]
) -> None:
    old = store.add(request("CA1", at=T0 - timedelta(days=31)))
    store.mark_done(old, T0)
    store.add(request("CA2", at=T0 - timedelta(days=40)))
    store.add(request("CA3", at=T0 - timedelta(days=1)))
    assert store.claim_sms("CA1", T0 - timedelta(days=31))
    cutoff = T0 - timedelta(days=30)
    assert store.unfinished_before(cutoff) == 1
    assert store.purge(cutoff, include_open=include_open) == gone
    assert [r.call_sid for r in store.open_requests()] == left
    assert store.unfinished_before(cutoff) == len(left) - 1
    assert store.claim_sms("CA1", T0)  # its SMS record went too


def test_a_released_sms_claim_can_be_claimed_again(store: CallbackStore) -> None:
    assert store.claim_sms("CA1", T0) is True
    store.release_sms("CA1")
    assert store.claim_sms("CA1", T0) is True
    assert store.claim_sms("CA1", T0) is False


def test_one_sms_per_call(store: CallbackStore) -> None:
    assert store.claim_sms("CA1", T0) is True
    assert store.claim_sms("CA1", T0) is False
    assert store.claim_sms("CA2", T0) is True


def test_schema_upgrade_repeats_safely(db_url: str) -> None:
    said = []
    for _ in range(2):
        again = CallbackStore(db_url)
        said.append(str(again.upgrade()))
        again.engine.dispose()
    assert said == [f"created at version {SCHEMA_VERSION}", f"already at version {SCHEMA_VERSION}"]


def test_unreachable_database_raises_storage_error_without_the_number() -> None:
    down = CallbackStore("postgresql+psycopg://nobody@127.0.0.1:9/nowhere")
    with pytest.raises(StorageError, match="check DATABASE_URL") as caught:
        down.add(request())
    assert "612345678" not in str(caught.value)
    down.engine.dispose()


def test_sqlite_file_is_created_with_wal_by_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "ivr.sqlite3"
    made = CallbackStore(f"sqlite:///{path}")
    assert not path.parent.exists()  # only the upgrade creates things
    made.upgrade()
    with made.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    made.engine.dispose()
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


def test_purge_drops_unconfirmed_typed_numbers_sooner(store: CallbackStore) -> None:
    store.hold(request("CA1", at=T0 - timedelta(days=2)))  # caller hung up before "ja"
    store.hold(request("CA2", at=T0 - timedelta(hours=1)))  # still on the line
    store.add(request("CA3", at=T0 - timedelta(days=2)))
    assert store.purge(T0 - timedelta(days=30), unconfirmed_before=T0 - timedelta(days=1)) == 1
    assert store.held("CA1") is None
    assert store.held("CA2") is not None
    assert [r.call_sid for r in store.open_requests()] == ["CA3"]


@pytest.mark.parametrize(
    ("stored_version", "error"),
    [
        pytest.param(SCHEMA_VERSION - 1, None, id="older-is-upgraded"),
        pytest.param(SCHEMA_VERSION, None, id="current"),
        pytest.param(SCHEMA_VERSION + 1, "newer than this code", id="newer-refused"),
    ],
)
def test_schema_version(store: CallbackStore, stored_version: int, error: str | None) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(schema_info).values(version=stored_version))
    again = CallbackStore(str(store.engine.url.render_as_string(hide_password=False)))
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
        again.engine.dispose()


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
    monkeypatch.setattr("ivr.storage.callbacks.time.sleep", lambda _: None)
    connection = _LockedTwice()
    _sqlite_pragmas(connection, None)
    assert connection.ran == ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL"]
