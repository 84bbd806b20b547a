"""The audit trail of the worklist's CSV (issue 22, item 8): every download is recorded before
it is served (who, when, how many requests, the period they covered), and ``ivr staff
downloads`` shows them, newest first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from flask import Flask

from ivr.cli import cli
from ivr.core.errors import StorageError
from ivr.storage.database import Database
from ivr.storage.downloads import Download, DownloadLog
from tests.support.calls import ask_callback
from tests.support.clock import CLOSED_TIME, Clock
from tests.support.staff import COLLEAGUE, Staff

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture
def console_log(env: dict[str, str]) -> Iterator[DownloadLog]:
    """The download log of the ``console`` fixture's database."""
    database = Database(f"sqlite:///{env['IVR_SQLITE_PATH']}")
    yield DownloadLog(database)
    database.dispose()


def test_each_download_is_recorded_with_who_when_how_many_and_the_period(
    console: Flask, staff: Staff, clock: Clock, console_log: DownloadLog
) -> None:
    assert staff.client.get("/staff/callbacks.csv").status_code == 200
    ask_callback(console)
    first = clock.now
    clock.now = first + timedelta(minutes=5)
    ask_callback(console, call_sid="CA00000000000000000000000000000002", number="+31687654321")
    clock.now = first + timedelta(minutes=20)
    colleague = Staff(console.test_client())
    assert colleague.log_in(COLLEAGUE).status_code == 302
    assert colleague.client.get("/staff/callbacks.csv").status_code == 200
    assert console_log.recent() == [
        Download(first + timedelta(minutes=20), "ben", 2, first, first + timedelta(minutes=5)),
        Download(CLOSED_TIME, "anna", 0, None, None),
    ]


def test_a_download_that_cannot_be_recorded_is_not_served(
    console: Flask, staff: Staff, monkeypatch: pytest.MonkeyPatch, console_log: DownloadLog
) -> None:
    ask_callback(console)

    def refuse(self: DownloadLog, download: Download) -> None:
        raise StorageError("cannot record the CSV download")

    monkeypatch.setattr(DownloadLog, "record", refuse)
    response = staff.client.get("/staff/callbacks.csv")
    assert response.status_code == 503
    assert "+31612345678" not in response.get_data(as_text=True)


def test_the_log_keeps_every_download_newest_first(database: Database) -> None:
    log = DownloadLog(database)
    made = [
        Download(T0 + timedelta(hours=n), name, n, T0 - timedelta(days=n), T0)
        for n, name in enumerate(["anna", "ben", "anna"])
    ]
    for download in made:
        log.record(download)
    assert log.recent() == made[::-1]
    assert log.recent(limit=1) == [made[2]]


def test_ivr_staff_downloads_lists_them(upgraded_url: str) -> None:
    runner = CliRunner(env={"DATABASE_URL": upgraded_url})
    said = runner.invoke(cli, ["staff", "downloads"])
    assert (said.exit_code, said.output) == (0, "Nog geen CSV gedownload.\n")
    database = Database(upgraded_url)
    try:
        log = DownloadLog(database)
        log.record(Download(T0, "anna", 0, None, None))
        log.record(Download(T0 + timedelta(days=1), "ben", 12, T0 - timedelta(days=30), T0))
    finally:
        database.dispose()
    said = runner.invoke(cli, ["staff", "downloads"])
    assert (said.exit_code, said.output) == (
        0,
        "2026-11-21 10:30  ben  12 verzoeken (aangevraagd: 2026-10-21 t/m 2026-11-20)\n"
        "2026-11-20 10:30  anna  0 verzoeken (aangevraagd: geen)\n",
    )
    said = runner.invoke(cli, ["staff", "downloads", "--last", "1"])
    assert said.output.splitlines() == [
        "2026-11-21 10:30  ben  12 verzoeken (aangevraagd: 2026-10-21 t/m 2026-11-20)"
    ]
