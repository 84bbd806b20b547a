"""The two health checks: ``/healthz`` (the process answers) and ``/healthz/storage`` (the
database answers), the latter within 3 s even when PostgreSQL hangs; no login, no details."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from hung_server import HungServer

from ivr.web import monitoring

HEALTH_BUDGET = 3.0  # seconds: an uptime monitor's timeout


@pytest.fixture
def hung() -> Iterator[HungServer]:
    """A database server that accepts connections and never answers (a frozen PostgreSQL)."""
    server = HungServer()
    yield server
    server.close()


def probe(app: Flask, path: str) -> tuple[int, str, float]:
    start = time.monotonic()
    response = app.test_client().get(path)
    return response.status_code, response.get_data(as_text=True), time.monotonic() - start


def test_storage_that_answers_is_ok(make_app: Callable[..., Flask], upgraded_url: str) -> None:
    app = make_app(DATABASE_URL=upgraded_url)
    assert probe(app, "/healthz/storage")[:2] == (200, "ok\n")
    assert probe(app, "/healthz")[:2] == (200, "ok")


def test_the_probe_s_deadline_is_within_an_uptime_monitor_s_timeout() -> None:
    assert monitoring.HEALTH_SECONDS + 0.5 <= HEALTH_BUDGET


def test_a_hung_database_is_unavailable_within_the_budget_while_the_line_lives(
    make_app: Callable[..., Flask], hung: HungServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The probe's deadline, shortened for the test: what is proved is that it holds.
    monkeypatch.setattr(monitoring, "HEALTH_SECONDS", 0.5)
    app = make_app(DATABASE_URL=f"postgresql://ivr@127.0.0.1:{hung.port}/ivr")
    # More probes than the check has threads: the later ones find them all waiting.
    for _ in range(monitoring.HEALTH_THREADS + 1):
        status, text, took = probe(app, "/healthz/storage")
        assert (status, text) == (503, "unavailable\n")
        assert took < 0.5 + 0.5
    status, text, took = probe(app, "/healthz")  # liveness: the line still answers callers
    assert (status, text) == (200, "ok") and took < 0.5


def test_a_database_without_tables_is_unavailable(
    make_app: Callable[..., Flask], tmp_path: object
) -> None:
    app = make_app(IVR_SQLITE_PATH=f"{tmp_path}/never-upgraded.sqlite3")
    assert probe(app, "/healthz/storage")[:2] == (503, "unavailable\n")
