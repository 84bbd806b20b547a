"""Workers and staff commands only check the schema: they never create a database or tables.

A line whose schema is missing, older or newer still answers calls; it logs which command to run,
and a write fails (the caller hears the apology) until ``ivr db upgrade`` has run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from ivr.cli import cli
from ivr.core.errors import StorageError
from ivr.storage import database as database_module
from ivr.storage.callbacks import CallbackStore
from ivr.storage.schema import SCHEMA_VERSION
from tests.support.calls import Caller
from tests.support.clock import CLOSED_TIME, Clock
from tests.support.database import at_version, upgrade
from tests.support.sms import SMS_ENV, FakeTwilioHttp
from tests.support.spoken import GO_ON, GOODBYE, MARKANT, SAVED, SMS_FAILED

V = SCHEMA_VERSION
NOT_STORED = [
    "Sorry, het is niet gelukt om uw verzoek op te slaan. Wij bellen u dus niet terug. "
    f"Bel de helpdesk van Markant: {MARKANT}. Ik herhaal: {MARKANT}.",
    GOODBYE,
]
NO_TABLES = (
    "the database has no tables yet; check DATABASE_URL / IVR_SQLITE_PATH, "
    "or run 'ivr db upgrade' to create them"
)
OLDER = f"the database has schema version {V - 1}, older than this code ({V}); run 'ivr db upgrade'"
NEWER = (
    f"the database has schema version {V + 1}, newer than this code ({V}); "
    "deploy the newer version of the line"
)
STATES = [
    pytest.param(None, NO_TABLES, id="no-tables"),
    pytest.param(V - 1, OLDER, id="older"),
    pytest.param(V + 1, NEWER, id="newer"),
]


def prepare(url: str, stored: int | None) -> None:
    """A database at schema version ``stored``; None: one that exists but has no tables."""
    if stored is None and url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).touch()  # an empty file is an empty database
    at_version(url, stored)


def missing_file_message(path: Path) -> str:
    return (
        f"the SQLite database {path} does not exist; check IVR_SQLITE_PATH / DATABASE_URL, "
        "or run 'ivr db upgrade' to create it"
    )


@pytest.mark.parametrize(("stored", "problem"), STATES)
def test_line_starts_and_answers_but_does_not_store_until_upgraded(
    make_app: Callable[..., Flask],
    db_url: str,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
    stored: int | None,
    problem: str,
) -> None:
    prepare(db_url, stored)
    clock.now = CLOSED_TIME
    app = make_app(DATABASE_URL=db_url)
    assert f"callback storage not ready at start: {problem}" in caplog.text
    phone = Caller(app.test_client())
    assert phone.post("/voice").status == 200
    assert phone.post("/voice/callback?p=&s=own", Digits="1").spoken() == NOT_STORED
    with pytest.raises(StorageError) as caught:
        app.extensions["ivr_store"].claim_sms("CA1", datetime.now(UTC))
    assert str(caught.value) == problem
    assert "612345678" not in caplog.text


def test_missing_sqlite_file_is_reported_not_created(
    make_app: Callable[..., Flask], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "nowhere" / "ivr.sqlite3"
    app = make_app(IVR_SQLITE_PATH=str(path))
    assert f"callback storage not ready at start: {missing_file_message(path)}" in caplog.text
    reply = Caller(app.test_client()).post("/voice/callback?p=&s=own", Digits="1")
    assert reply.spoken() == NOT_STORED
    assert not path.parent.exists()


def test_sms_is_not_sent_without_tables(
    make_app: Callable[..., Flask], tmp_path: Path, twilio_http: FakeTwilioHttp
) -> None:
    path = tmp_path / "nowhere" / "ivr.sqlite3"
    app = make_app(sms_http=twilio_http, IVR_SQLITE_PATH=str(path), **SMS_ENV)
    reply = Caller(app.test_client()).post("/voice/sms?p=nnjjjnn&s=offer", Digits="1")
    assert reply.spoken()[0] == SMS_FAILED
    assert twilio_http.sent == []


def test_the_check_repeats_until_ready_then_stops(
    make_app: Callable[..., Flask],
    db_url: str,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock.now = CLOSED_TIME
    app = make_app(DATABASE_URL=db_url)  # no tables yet
    phone = Caller(app.test_client())
    assert phone.post("/voice/callback?p=&s=own", Digits="1").spoken() == NOT_STORED
    upgrade(db_url)  # the release phase runs; the workers keep running
    assert phone.post("/voice/callback?p=&s=own", Digits="1").spoken() == [SAVED, *GO_ON]
    checks: list[object] = []
    monkeypatch.setattr(database_module, "read_version", checks.append)
    store: CallbackStore = app.extensions["ivr_store"]
    assert [r.phone for r in store.open_requests()] == ["+31612345678"]
    assert checks == []  # found ready once: never read again


STAFF_COMMANDS = [
    pytest.param(["callbacks"], id="list"),
    pytest.param(["callbacks", "--csv"], id="csv"),
    pytest.param(["callbacks", "done", "1"], id="done"),
    pytest.param(["purge"], id="purge"),
]


@pytest.mark.parametrize("args", STAFF_COMMANDS)
def test_staff_commands_refuse_a_missing_sqlite_file(tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "instance" / "ivr.sqlite3"
    env = {"IVR_SQLITE_PATH": str(path), "DATABASE_URL": "", "IVR_DEV_MODE": "1"}
    result = CliRunner(env=env).invoke(cli, args)
    assert (result.exit_code, result.output) == (74, f"Error: {missing_file_message(path)}\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", STAFF_COMMANDS)
@pytest.mark.parametrize(("stored", "problem"), STATES)
def test_staff_commands_refuse_a_database_without_the_current_schema(
    db_url: str, args: list[str], stored: int | None, problem: str
) -> None:
    prepare(db_url, stored)
    env = {"DATABASE_URL": db_url, "IVR_DEV_MODE": "1"}
    result = CliRunner(env=env).invoke(cli, args)
    assert (result.exit_code, result.output) == (74, f"Error: {problem}\n")
