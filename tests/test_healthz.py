"""The two health checks: ``/healthz`` (the process answers) and ``/healthz/storage`` (the
database answers), the latter within 3 s even when PostgreSQL hangs; no login, no details."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from hung_server import HungServer

from ivr.web import monitoring
from tests.support.calls import Caller
from tests.support.smtp import free_port

HEALTH_BUDGET = 3.0  # seconds: an uptime monitor's timeout


@pytest.fixture
def freezing() -> Iterator[tuple[int, Callable[[], HungServer]]]:
    """A port nobody listens on yet (a database that is down: refused at once), and what
    freezes it: a server there that accepts connections and never answers (a frozen
    PostgreSQL)."""
    port = free_port()
    made: list[HungServer] = []

    def freeze() -> HungServer:
        made.append(HungServer(port=port))
        return made[-1]

    yield port, freeze
    for server in made:
        server.close()


def probe(app: Flask, path: str) -> tuple[int, str, float]:
    start = time.monotonic()
    response = app.test_client().get(path)
    return response.status_code, response.get_data(as_text=True), time.monotonic() - start


def test_storage_that_answers_is_ok(make_app: Callable[..., Flask], upgraded_url: str) -> None:
    app = make_app(DATABASE_URL=upgraded_url)
    assert probe(app, "/healthz/storage")[:2] == (200, "ok\n")
    assert probe(app, "/healthz")[:2] == (200, "ok")


def test_a_hung_database_is_unavailable_within_the_budget_while_the_line_lives(
    make_app: Callable[..., Flask], freezing: tuple[int, Callable[[], HungServer]]
) -> None:
    """40 probes at once while the database hangs: each answers 503 within the budget, one of
    them asks the database (and waits), the others get the last answer at once; a caller is
    answered meanwhile. The line starts while the database is down (its start-up check is
    refused at once, where a hung server would hold it for libpq's connect_timeout), then the
    database freezes."""
    port, freeze = freezing
    app = make_app(DATABASE_URL=f"postgresql://ivr@127.0.0.1:{port}/ivr")
    freeze()
    caller = Caller(app.test_client())
    with ThreadPoolExecutor(max_workers=40) as pool:
        probes = [pool.submit(probe, app, "/healthz/storage") for _ in range(40)]
        time.sleep(0.2)  # the probes are waiting or answered: now a call comes in
        started = time.monotonic()
        welcome = caller.post("/voice")
        call_took = time.monotonic() - started
        answers = [found.result() for found in probes]
    assert {(status, text) for status, text, _ in answers} == {(503, "unavailable\n")}
    assert max(took for _, _, took in answers) < HEALTH_BUDGET
    assert sum(took >= monitoring.HEALTH_SECONDS - 0.1 for _, _, took in answers) == 1
    assert welcome.verbs() == ["Gather", "Gather", "Redirect"] and call_took < 1.0
    status, text, took = probe(app, "/healthz")  # liveness: the line still answers callers
    assert (status, text) == (200, "ok") and took < 0.5


def test_a_database_without_tables_is_unavailable(
    make_app: Callable[..., Flask], tmp_path: object
) -> None:
    app = make_app(IVR_SQLITE_PATH=f"{tmp_path}/never-upgraded.sqlite3")
    assert probe(app, "/healthz/storage")[:2] == (503, "unavailable\n")
