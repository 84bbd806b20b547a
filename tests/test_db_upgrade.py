"""``ivr db upgrade``: creates, upgrades, refuses newer, and is safe to run several at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    inspect,
    select,
    update,
)

from ivr.cli import cli
from ivr.core.call_counts import report
from ivr.core.call_events import CallEvent, EventKind
from ivr.storage import schema, tables
from ivr.storage.call_figures import FiguresStore
from ivr.storage.callbacks import CallbackStore
from ivr.storage.database import Database
from ivr.storage.schema import SCHEMA_VERSION, SchemaChange
from ivr.storage.tables import metadata, schema_info
from tests.support.database import at_version

V = SCHEMA_VERSION


def versions(url: str) -> list[int]:
    database = Database(url)
    with database.engine.connect() as conn:
        found = list(conn.execute(select(schema_info.c.version)).scalars())
    database.dispose()
    return found


@pytest.fixture
def runner(db_url: str) -> CliRunner:
    return CliRunner(env={"DATABASE_URL": db_url, "IVR_DEV_MODE": "1", "TWILIO_AUTH_TOKEN": ""})


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        pytest.param(None, f"database schema: created at version {V}\n", id="fresh"),
        pytest.param(V, f"database schema: already at version {V}\n", id="current"),
        pytest.param(V - 1, f"database schema: upgraded from {V - 1} to {V}\n", id="older"),
    ],
)
def test_upgrade_says_what_it_did(
    runner: CliRunner, db_url: str, stored: int | None, said: str
) -> None:
    at_version(db_url, stored)
    result = runner.invoke(cli, ["db", "upgrade"])
    assert (result.exit_code, result.output) == (0, said)
    assert versions(db_url) == [V]


def test_upgrade_refuses_a_newer_database(runner: CliRunner, db_url: str) -> None:
    at_version(db_url, V + 1)
    result = runner.invoke(cli, ["db", "upgrade"])
    assert (result.exit_code, result.output) == (
        74,
        f"Error: the database has schema version {V + 1}, newer than this code ({V}); "
        "deploy the newer version of the line\n",
    )
    assert versions(db_url) == [V + 1]


def test_upgrade_runs_the_step_of_each_newer_version(
    runner: CliRunner, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at_version(db_url, V)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", V + 1)
    added = "ALTER TABLE sms_sent ADD COLUMN note VARCHAR(20)"
    monkeypatch.setattr(schema, "UPGRADES", {V + 1: lambda conn: conn.exec_driver_sql(added)})
    result = runner.invoke(cli, ["db", "upgrade"])
    assert (result.exit_code, result.output) == (
        0,
        f"database schema: upgraded from {V} to {V + 1}\n",
    )
    assert versions(db_url) == [V + 1]
    database = Database(db_url)
    with database.engine.connect() as conn:
        assert "note" in [c["name"] for c in inspect(conn).get_columns("sms_sent")]
    database.dispose()


def test_database_made_by_the_old_code_with_two_version_rows_is_repaired(db_url: str) -> None:
    old = Database(db_url)
    metadata.create_all(old.engine)  # the old code: tables at start, then the version row
    with old.engine.begin() as conn:  # two workers raced: each wrote the version
        conn.execute(insert(schema_info), [{"version": V}, {"version": V}])
    assert str(old.upgrade()) == f"already at version {V}"
    old.dispose()
    assert versions(db_url) == [V]


def upgrades_at_once(url: str, starts: int) -> list[str]:
    """What ``starts`` upgrades of the database at ``url``, started together, each said."""
    databases = [Database(url) for _ in range(starts)]
    together = threading.Barrier(starts)
    changes: list[SchemaChange] = []
    errors: list[BaseException] = []

    def start(database: Database) -> None:
        together.wait()
        try:
            changes.append(database.upgrade())
        except BaseException as exc:  # reported below, with every other start's outcome
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(database,)) for database in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for database in databases:
        database.dispose()
    assert errors == []
    return sorted(str(change) for change in changes)


def test_simultaneous_upgrades_all_succeed_with_one_version_row(db_url: str) -> None:
    starts = 6
    assert upgrades_at_once(db_url, starts) == [f"already at version {V}"] * (starts - 1) + [
        f"created at version {V}"
    ]
    assert versions(db_url) == [V]


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Flask]]:
    """``Flask.run`` recorded instead of serving."""
    ran: list[Flask] = []
    monkeypatch.setattr(Flask, "run", lambda app, **_: ran.append(app))
    yield ran
    for app in ran:
        app.extensions["ivr_database"].dispose()


def test_serve_upgrades_first_so_a_first_run_works(
    tmp_path: Path, served: list[Flask], caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "instance" / "ivr.sqlite3"
    env = {"IVR_DEV_MODE": "1", "IVR_SQLITE_PATH": str(path), "IVR_AUDIO_DIR": str(tmp_path)}
    result = CliRunner(env=env).invoke(cli, ["serve", "--port", "5999"])
    assert (result.exit_code, result.output) == (0, f"database schema: created at version {V}\n")
    assert len(served) == 1 and path.is_file()
    assert "not ready" not in caplog.text


# The tables as version 1 of the line made them (before the staff worklist).
_V1_DDL = (
    "CREATE TABLE ivr_schema (version INTEGER NOT NULL)",
    "INSERT INTO ivr_schema (version) VALUES (1)",
    "CREATE TABLE callback_requests (id INTEGER NOT NULL PRIMARY KEY{auto}, "
    "call_sid VARCHAR(64) NOT NULL UNIQUE, requested_at TIMESTAMP WITH TIME ZONE NOT NULL, "
    "phone VARCHAR(16) NOT NULL, reached VARCHAR(300) NOT NULL, answers TEXT NOT NULL, "
    "service VARCHAR(32) NOT NULL, status VARCHAR(8) NOT NULL, "
    "done_at TIMESTAMP WITH TIME ZONE)",
    "CREATE TABLE sms_sent (call_sid VARCHAR(64) NOT NULL PRIMARY KEY, "
    "sent_at TIMESTAMP WITH TIME ZONE NOT NULL)",
    "INSERT INTO callback_requests (call_sid, requested_at, phone, reached, answers, service, "
    "status) VALUES ('CA1', '2026-11-20 09:00:00+00:00', '+31612345678', 'Logeeropvang', "
    "'Is het thuis? Ja.', 'markant', 'open')",
    "INSERT INTO callback_requests (call_sid, requested_at, phone, reached, answers, service, "
    "status) VALUES ('CA2', '2026-11-20 10:00:00+00:00', '+31687654321', 'Logeeropvang', "
    "'-', 'markant', 'typed')",
    "INSERT INTO callback_requests (call_sid, requested_at, phone, reached, answers, service, "
    "status, done_at) VALUES ('CA3', '2026-11-19 10:00:00+00:00', '+31611112222', 'Respijt', "
    "'-', 'markant', 'done', '2026-11-19 12:00:00+00:00')",
)


def version_1(database: Database) -> None:
    """The tables and requests as version 1 of the line left them (raw CallSids)."""
    postgresql = database.engine.dialect.name == "postgresql"
    auto = " GENERATED BY DEFAULT AS IDENTITY" if postgresql else ""
    with database.engine.begin() as conn:
        for statement in _V1_DDL:
            conn.exec_driver_sql(statement.format(auto=auto))


def test_a_version_1_database_keeps_its_requests_and_gains_the_worklist(db_url: str) -> None:
    database = Database(db_url)
    version_1(database)
    assert str(database.upgrade()) == f"upgraded from 1 to {V}"
    (request,) = CallbackStore(database).open_requests()
    assert (request.call_key, request.phone, request.status) == ("CA1", "+31612345678", "open")
    with database.engine.begin() as conn:
        rows = {
            row.call_key: row._mapping
            for row in conn.execute(select(tables.callbacks).order_by(tables.callbacks.c.id))
        }
        # open and done: on the worklist already; typed: e-mailed once the caller confirms it
        assert [(r["attempts"], r["claimed_by"], r["notified_at"]) for r in rows.values()] == [
            (0, None, rows["CA1"]["requested_at"]),
            (0, None, None),
            (0, None, rows["CA3"]["requested_at"]),
        ]
        # "unreached" did not fit version 1's VARCHAR(8)
        conn.execute(update(tables.callbacks).values(status="unreached"))
    assert versions(db_url) == [V]
    database.dispose()


KEY = "5f0c9a7e3b1d4e2f8a6c0b9d7e5f3a1c"  # a call's pseudonym for callbacks, as schema 3 stored it
# Requests and SMS as the line at schema 3 stored them: its own under the call's pseudonym, and
# (from version 1) raw CallSids.
_V3_ROWS = (
    "INSERT INTO callback_requests (call_sid, requested_at, phone, reached, answers, service, "
    "status, done_at, claimed_by, attempts, closed_by, notified_at) VALUES ('"
    + KEY
    + "', '2026-11-21 09:00:00+00:00', '+31622223333', 'Respijt', '-', 'markant', "
    "'unreached', '2026-11-21 15:00:00+00:00', NULL, 3, 'anna', '2026-11-21 09:00:00+00:00')",
    "INSERT INTO callback_events (request_id, at, staff, action, note) SELECT id, "
    "'2026-11-21 15:00:00+00:00', 'anna', 'unreached', 'voicemail' FROM callback_requests "
    "WHERE status = 'unreached'",
    "INSERT INTO sms_sent (call_sid, sent_at) VALUES ('CA1', '2026-11-20 09:00:00+00:00')",
    "INSERT INTO sms_sent (call_sid, sent_at) VALUES ('" + KEY + "', '2026-11-21 09:00:00+00:00')",
)
# The call events' table as schema 3's code made it: "call_marks", its JSON in a column "mark".
_V3_EVENTS = Table(
    "call_marks",
    MetaData(),
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("call_key", String(32), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("mark", Text, nullable=False),
)
CALL = "0123456789abcdef0123456789abcdef"  # a call's pseudonym in its figures
_V3_MARKS = (
    {"call_key": CALL, "at": datetime(2026, 11, 21, 9, tzinfo=UTC), "mark": '{"kind": "start"}'},
    {
        "call_key": CALL,
        "at": datetime(2026, 11, 21, 9, 1, tzinfo=UTC),
        "mark": '{"kind": "end", "reply": "completed", "seconds": 60}',
    },
)


def version_3(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database as the line at schema 3 left it: version 1's, upgraded by the code of then
    (the columns named ``call_sid``, the call events in ``call_marks``), with a request, its
    event, SMS and a call's events of that version."""
    version_1(database)
    with monkeypatch.context() as then:
        then.setattr(schema, "SCHEMA_VERSION", 3)
        assert str(database.upgrade()) == "upgraded from 1 to 3"
    with database.engine.begin() as conn:
        tables.call_events.drop(conn)  # today's code makes it under its name of version 4
        _V3_EVENTS.create(conn)
        conn.execute(insert(_V3_EVENTS), list(_V3_MARKS))
        for statement in _V3_ROWS:
            conn.exec_driver_sql(statement)


def test_a_version_3_database_keeps_its_rows_under_call_key(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Database(db_url)
    version_3(database, monkeypatch)
    assert str(database.upgrade()) == f"upgraded from 3 to {V}"
    with database.engine.connect() as conn:
        found = inspect(conn)
        columns = {
            table: [column["name"] for column in found.get_columns(table)][:2]
            for table in ("callback_requests", "sms_sent")
        }
        unique = [
            (constraint["name"], constraint["column_names"])
            for constraint in found.get_unique_constraints("callback_requests")
        ]
        requests = conn.execute(
            select(tables.callbacks.c.call_key, tables.callbacks.c.status).order_by("id")
        ).all()
        events = conn.execute(select(tables.callback_events.c.note)).scalars().all()
        sms = conn.execute(select(tables.sms_sent.c.call_key).order_by("sent_at")).scalars()
        assert list(sms) == ["CA1", KEY]
    assert columns == {"callback_requests": ["id", "call_key"], "sms_sent": ["call_key", "sent_at"]}
    if database.engine.dialect.name == "postgresql":  # named as a table made at version 4 is
        assert unique == [("callback_requests_call_key_key", ["call_key"])]
    assert [tuple(row) for row in requests] == [
        ("CA1", "open"),
        ("CA2", "typed"),
        ("CA3", "done"),
        (KEY, "unreached"),
    ]
    assert events == ["voicemail"]
    store = CallbackStore(database)
    assert store.claim_sms(KEY, datetime(2026, 11, 22, tzinfo=UTC)) is False  # it had its SMS
    assert store.held("CA2") is not None
    first = store.open_requests()[0]
    assert store.add(replace(first, id=None, phone="+31699999999")) == first.id  # still unique
    database.dispose()


def test_a_version_3_database_keeps_its_call_events_in_call_events(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Database(db_url)
    version_3(database, monkeypatch)
    assert str(database.upgrade()) == f"upgraded from 3 to {V}"
    postgresql = database.engine.dialect.name == "postgresql"
    with database.engine.connect() as conn:
        found = inspect(conn)
        names = {"call_marks", "call_events"} & set(found.get_table_names())
        columns = [column["name"] for column in found.get_columns("call_events")]
        indexes = sorted(index["name"] or "" for index in found.get_indexes("call_events"))
        key = found.get_pk_constraint("call_events")["name"]
        sequences = found.get_sequence_names() if postgresql else []
    assert (names, columns) == ({"call_events"}, ["id", "call_key", "at", "event"])
    assert indexes == ["ix_call_events_at", "ix_call_events_call_key"]
    if postgresql:  # named as a table made at version 4 is
        assert key == "call_events_pkey"
        assert [name for name in sequences if name.startswith("call_")] == ["call_events_id_seq"]
    store = FiguresStore(database)
    store.write([(CALL, datetime(2026, 11, 21, 9, 2, tzinfo=UTC), CallEvent(EventKind.REPLY))])
    with database.engine.connect() as conn:
        ids = conn.execute(select(tables.call_events.c.id).order_by("id")).scalars().all()
    assert ids == [1, 2, 3]  # the stored ids kept, the next one after them
    day = datetime(2026, 11, 21).date()
    found_report = report(store.counts(day, day))
    assert (found_report["calls"], found_report["average_seconds"]) == (1, 60)
    database.dispose()


def test_simultaneous_upgrades_of_a_version_3_database_rename_once(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Database(db_url)
    version_3(database, monkeypatch)
    starts = 4
    assert upgrades_at_once(db_url, starts) == [f"already at version {V}"] * (starts - 1) + [
        f"upgraded from 3 to {V}"
    ]
    assert [request.call_key for request in CallbackStore(database).open_requests()] == ["CA1"]
    with database.engine.connect() as conn:
        events = conn.execute(select(func.count()).select_from(tables.call_events)).scalar()
    assert events == len(_V3_MARKS)
    database.dispose()
    assert versions(db_url) == [V]
