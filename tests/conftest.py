"""Shared fixtures: an app built from the shipped tree, a controllable clock, a signed caller.

What test modules import (constants, helpers, fakes) lives in tests/support/.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from twilio.http import HttpClient

from ivr.config.settings import database_url
from ivr.core.tree_model import Tree
from ivr.core.tree_validator import check_tree
from ivr.outbound import alert_mail
from ivr.storage import accounts
from ivr.storage.callbacks import CallbackStore
from ivr.storage.database import Database
from ivr.storage.tables import metadata
from ivr.web.app import create_app
from tests.support.browser import chromium, serving
from tests.support.calls import Caller
from tests.support.checkout import CHECKOUT, SHIPPED_TREE, checkout_files
from tests.support.clock import CLOSED_TIME, Clock
from tests.support.content_editor import Editor, add_editor
from tests.support.database import own_database, upgrade
from tests.support.signing import BASE, SECRET, TOKEN
from tests.support.sms import FakeTwilioHttp
from tests.support.smtp import Inbox, free_port
from tests.support.staff import COLLEAGUE, STAFF, TEST_PASSWORD_HASH, Staff, add_account


def pytest_configure(config: pytest.Config) -> None:
    """Temporary folders (tmp_path: the SQLite files, the audio folders) in memory where the
    machine has it (Debian's /dev/shm): the stores sync every commit to disk, and on 2 cores
    that made the suite 12 s slower (128 s against 117 s, 2026-12-06). ``--basetemp`` or
    PYTEST_DEBUG_TEMPROOT (pytest's own setting) choose another place."""
    memory = Path("/dev/shm")
    if not config.option.basetemp and memory.is_dir() and os.access(memory, os.W_OK):
        os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", str(memory))


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: one worker more than this machine's cores. Part of the suite waits (on real
    servers, timeouts, a browser), and a spare worker fills that time: on 2 cores 3 workers run
    it in 96 s, 2 in 106 s and 4 in 101 s (2026-12-06)."""
    return len(os.sched_getaffinity(0)) + 1


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Passwords hashed at 1/32 of the line's scrypt cost (about 3 ms instead of 0.1 s): the
    login tests log in hundreds of times. The line's own cost is checked in
    tests/test_accounts_store.py; commands run as a separate process use it."""
    monkeypatch.setattr(accounts, "PASSWORD_HASH", TEST_PASSWORD_HASH)


@pytest.fixture(autouse=True, scope="session")
def checkout_stays_clean(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Fail the run when a test wrote into the checkout. The instance folder (the default
    SQLite file) points at a temporary folder for code that reads ``os.environ``."""
    before = checkout_files()
    saved = os.environ.get("IVR_INSTANCE_PATH")
    os.environ["IVR_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))
    yield
    if saved is None:
        del os.environ["IVR_INSTANCE_PATH"]
    else:
        os.environ["IVR_INSTANCE_PATH"] = saved
    after = checkout_files()
    if before is None or after is None:
        return
    written = sorted(name for name, mtime in after.items() if before.get(name) != mtime)
    if written:
        pytest.fail(f"tests wrote into the checkout {CHECKOUT}: {', '.join(written)}")


@pytest.fixture(scope="session")
def shipped_tree() -> Tree:
    """The tree in tree/markant.yaml (sources checked for presence only)."""
    tree, problems = check_tree(SHIPPED_TREE.read_text(encoding="utf-8"), str(SHIPPED_TREE))
    assert tree is not None, problems
    return tree


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    # An empty audio folder: tests hear <Say> whatever audio/ the repository holds.
    return {
        "TWILIO_AUTH_TOKEN": TOKEN,
        "SECRET_KEY": SECRET,
        "PUBLIC_BASE_URL": BASE,
        "IVR_AUDIO_DIR": str(tmp_path / "audio"),
        "IVR_SQLITE_PATH": str(tmp_path / "ivr.sqlite3"),
    }


@pytest.fixture
def make_app(env: dict[str, str], clock: Clock) -> Iterator[Callable[..., Flask]]:
    """Builds the line; its default SQLite database (in tmp_path) is upgraded first."""
    upgrade(f"sqlite:///{env['IVR_SQLITE_PATH']}")
    made: list[Flask] = []

    def make(
        sms_http: HttpClient | None = None, simulated: bool = False, **overrides: str
    ) -> Flask:
        app = create_app({**env, **overrides}, clock=clock, sms_http=sms_http, simulated=simulated)
        app.config["TESTING"] = True
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["ivr_event_queue"].close()  # written while its database is still there
        app.extensions["ivr_database"].dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database of this pytest process's own (each xdist worker has one), on the
    server of TEST_DATABASE_URL, as a postgresql:// URL; skips without TEST_DATABASE_URL."""
    raw = os.environ.get("TEST_DATABASE_URL")
    if not raw:
        pytest.skip("PostgreSQL: set TEST_DATABASE_URL=postgresql://... (.ci/run sets it)")
    with own_database(raw) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, and PostgreSQL on TEST_DATABASE_URL's server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'callbacks.sqlite3'}"
        return
    url = database_url({"DATABASE_URL": request.getfixturevalue("postgres_url")}, tmp_path)
    cleaner = Database(url)
    metadata.drop_all(cleaner.engine)
    yield url
    metadata.drop_all(cleaner.engine)
    cleaner.dispose()


@pytest.fixture
def upgraded_url(db_url: str) -> str:
    """``db_url`` with the tables created, as after ``ivr db upgrade``."""
    return upgrade(db_url)


@pytest.fixture
def database(upgraded_url: str) -> Iterator[Database]:
    """The line's database at ``upgraded_url``, as the stores share it."""
    found = Database(upgraded_url)
    yield found
    found.dispose()


@pytest.fixture
def store(database: Database) -> CallbackStore:
    return CallbackStore(database)


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def caller(client: FlaskClient) -> Caller:
    return Caller(client)


@pytest.fixture
def twilio_http() -> FakeTwilioHttp:
    return FakeTwilioHttp()


@pytest.fixture
def alert_outbox(monkeypatch: pytest.MonkeyPatch) -> list[EmailMessage]:
    """The operator's alert e-mails of the lines made from now on, kept instead of sent."""
    kept: list[EmailMessage] = []
    monkeypatch.setattr(alert_mail, "send_smtp", lambda _mail, message: kept.append(message))
    return kept


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on 127.0.0.1 (aiosmtpd): its inbox and its port."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


# -- the staff console ---------------------------------------------------------------------
@pytest.fixture
def console(make_app: Callable[..., Flask], clock: Clock) -> Flask:
    """The line with two staff accounts and the helpdesk closed (callbacks are offered)."""
    clock.now = CLOSED_TIME
    made = make_app()
    add_account(made, STAFF)
    add_account(made, COLLEAGUE)
    return made


@pytest.fixture
def staff(console: Flask) -> Staff:
    member = Staff(console.test_client())
    assert member.log_in().status_code == 302
    return member


# The browser tests' fixtures (tests/support/browser.py: Debian's Chromium, driven by Playwright).
@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def console_url(console: Flask) -> Iterator[str]:
    """The staff console on a real HTTP server."""
    with serving(console) as url:
        yield url


@pytest.fixture
def phone_app(make_app: Callable[..., Flask]) -> Flask:
    """The line with its web phone and tree map, in development mode."""
    return make_app(IVR_DEV_MODE="1")


@pytest.fixture
def phone_url(phone_app: Flask) -> Iterator[str]:
    with serving(phone_app) as url:
        yield url


# -- the editor's pages (issue 25) ---------------------------------------------------------
@pytest.fixture
def content_console(console: Flask) -> Flask:
    """The console with an editor (eva) beside the two helpdesk workers; the line published
    the repository's content as version 1 at its start."""
    add_editor(console)
    return console


@pytest.fixture
def eva(content_console: Flask) -> Editor:
    member = Editor(content_console.test_client())
    member.log_in_as_editor()
    return member
