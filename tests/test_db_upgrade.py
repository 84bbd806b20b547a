"""``ivr db upgrade``: creates, upgrades, refuses newer, and is safe to run several at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import insert, inspect

from ivr.cli import cli
from ivr.storage import schema
from ivr.storage.database import Database
from ivr.storage.schema import SCHEMA_VERSION
from ivr.storage.tables import metadata, schema_info
from tests.support.database import at_version, upgrades_at_once, versions

V = SCHEMA_VERSION


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
