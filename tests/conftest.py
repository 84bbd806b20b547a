"""Shared fixtures: an app built from the shipped tree, a controllable clock, a signed caller."""

from __future__ import annotations

import os
import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from twilio.http import HttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.request_validator import RequestValidator
from werkzeug.test import TestResponse

from ivr.cli.db import upgrade_database
from ivr.config.settings import database_url
from ivr.core.call_marks import BOOK, call_key
from ivr.core.hours import AMSTERDAM
from ivr.core.tree_model import Tree
from ivr.core.tree_validator import check_tree
from ivr.storage.accounts import Accounts
from ivr.storage.callbacks import CallbackStore
from ivr.storage.schema import metadata
from ivr.web.app import create_app
from tests.browser import chromium, serving

# The source checkout these tests belong to (tests never write into it).
CHECKOUT = Path(__file__).resolve().parents[1]
TOKEN = "test-auth-token"
# Signs the staff console's login cookies (required outside development mode).
SECRET = "test-secret-key-for-the-staff-console-0123456789"
BASE = "http://localhost"
CALL_SID = "CA00000000000000000000000000000001"
# CALL_SID as callback requests store it and their logs say it: its keyed hash under SECRET
CALL_KEY = call_key(SECRET.encode(), CALL_SID, BOOK)
# A Monday morning: both services are open.
OPEN_TIME = datetime(2026, 11, 23, 10, 0, tzinfo=AMSTERDAM)
# A Sunday evening: both services are closed.
CLOSED_TIME = datetime(2026, 11, 22, 22, 0, tzinfo=AMSTERDAM)


# What the run itself may leave in the checkout: the venv, tool caches, pip's egg-info.
_LEFT_ALONE = (".venv", ".pytest_cache", ".ruff_cache", "__pycache__", ".egg-info")


def checkout_files(checkout: Path = CHECKOUT) -> dict[str, int] | None:
    """Changed, untracked and ignored files of the checkout with their mtimes (git's view,
    ignored folders walked); None when the checkout is not a git work tree."""
    try:
        out = subprocess.run(
            ["git", "-C", str(checkout), "status", "--porcelain", "-z", "--ignored", "-uall"],
            capture_output=True,
            check=True,
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return None
    found: dict[str, int] = {}
    for line in filter(None, out.split("\0")):
        name = line[3:]
        if any(part.endswith(_LEFT_ALONE) for part in Path(name).parts):
            continue
        path = checkout / name
        files = [path] if not path.is_dir() else [p for p in path.rglob("*") if p.is_file()]
        for file in files:
            found[str(file.relative_to(checkout))] = file.stat().st_mtime_ns
    return found


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


@dataclass
class Clock:
    now: datetime = OPEN_TIME

    def __call__(self) -> datetime:
        return self.now


SHIPPED_TREE = CHECKOUT / "tree" / "markant.yaml"
SHIPPED_PROMPTS = CHECKOUT / "prompts" / "nl.yaml"


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
        "IVR_AUDIO_DIR": str(tmp_path / "audio"),
        "IVR_SQLITE_PATH": str(tmp_path / "ivr.sqlite3"),
    }


def upgrade(url: str) -> str:
    """What ``ivr db upgrade`` does once per deploy: the tables, before the line starts."""
    upgrade_database(url)
    return url


@pytest.fixture
def make_app(env: dict[str, str], clock: Clock) -> Iterator[Callable[..., Flask]]:
    """Builds the line; its default SQLite database (in tmp_path) is upgraded first."""
    upgrade(f"sqlite:///{env['IVR_SQLITE_PATH']}")
    made: list[Flask] = []

    def make(sms_http: HttpClient | None = None, **overrides: str) -> Flask:
        app = create_app({**env, **overrides}, clock=clock, sms_http=sms_http)
        app.config["TESTING"] = True
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["ivr_recorder"].close()  # written while its database is still there
        app.extensions["ivr_store"].engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, and PostgreSQL from TEST_DATABASE_URL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'callbacks.sqlite3'}"
        return
    raw = os.environ.get("TEST_DATABASE_URL")
    if not raw:
        pytest.skip("PostgreSQL: set TEST_DATABASE_URL=postgresql://... (.ci/run sets it)")
    url = database_url({"DATABASE_URL": raw}, tmp_path)
    cleaner = CallbackStore(url)
    metadata.drop_all(cleaner.engine)
    yield url
    metadata.drop_all(cleaner.engine)
    cleaner.engine.dispose()


@pytest.fixture
def upgraded_url(db_url: str) -> str:
    """``db_url`` with the tables created, as after ``ivr db upgrade``."""
    return upgrade(db_url)


@pytest.fixture
def store(upgraded_url: str) -> Iterator[CallbackStore]:
    found = CallbackStore(upgraded_url)
    yield found
    found.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@dataclass
class Reply:
    status: int
    content_type: str
    xml: str
    root: ET.Element

    def verbs(self) -> list[str]:
        return [el.tag for el in self.root]

    def spoken(self) -> list[str]:
        """Every text the caller hears, in order (inside Gather too)."""
        return ["".join(el.itertext()) for el in self.root.iter() if el.tag in ("Say", "Play")]

    def gather(self) -> ET.Element:
        found = self.root.find("Gather")
        assert found is not None, self.xml
        return found

    def next_url(self) -> str:
        """Where the caller's answer goes: the Gather's action."""
        return self.gather().attrib["action"]


@dataclass
class Caller:
    """Posts webhooks the way Twilio does: form parameters, signed with the auth token."""

    client: FlaskClient
    token: str = TOKEN
    base: str = BASE  # the URL Twilio calls (PUBLIC_BASE_URL when the line has one)
    params: dict[str, str] = field(
        default_factory=lambda: {
            "CallSid": CALL_SID,
            "AccountSid": "AC00000000000000000000000000000001",
            "From": "+31612345678",
            "To": "+31208000000",
            "CallStatus": "in-progress",
            "ApiVersion": "2010-04-01",
            "Direction": "inbound",
        }
    )

    def post(self, url: str, headers: dict[str, str] | None = None, **extra: Any) -> Reply:
        data = {**self.params, **{k: str(v) for k, v in extra.items()}}
        signature = RequestValidator(self.token).compute_signature(self.base + url, data)
        response = self.client.post(
            url,
            data=data,
            base_url=self.base,
            headers={"X-Twilio-Signature": signature, **(headers or {})},
        )
        body = response.get_data(as_text=True)
        root = ET.fromstring(body) if response.status_code == 200 else ET.Element("none")
        return Reply(response.status_code, response.content_type, body, root)


@pytest.fixture
def caller(client: FlaskClient) -> Caller:
    return Caller(client)


@dataclass
class FakeTwilioHttp(HttpClient):
    """The HTTP layer of Twilio's REST client: records requests, answers ``status``/``body``.

    ``status`` 0 raises a connection error, as when api.twilio.com cannot be reached.
    """

    status: int = 201
    body: str = '{"sid": "SM00000000000000000000000000000001", "status": "queued"}'
    sent: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(logger=None, is_async=False)  # type: ignore[arg-type]

    def request(self, method: str, uri: str, **kwargs: Any) -> TwilioResponse:  # type: ignore[override]
        self.sent.append({"method": method, "uri": uri, **kwargs})
        if self.status == 0:
            raise requests.exceptions.ConnectionError("api.twilio.com unreachable")
        return TwilioResponse(self.status, self.body)


SMS_ENV = {"TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "SMS_FROM": "+3197010000000"}


@pytest.fixture
def twilio_http() -> FakeTwilioHttp:
    return FakeTwilioHttp()


# -- the staff console ---------------------------------------------------------------------
STAFF = ("anna", "anna-haar-wachtwoord")
COLLEAGUE = ("ben", "ben-zijn-wachtwoord")
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Staff:
    """A staff member's browser: logs in and posts forms with the page's CSRF token."""

    client: FlaskClient

    def csrf(self, page: str = "/staff/login") -> str:
        found = _CSRF.search(self.client.get(page).get_data(as_text=True))
        assert found, f"no CSRF token on {page}"
        return found.group(1)

    def log_in(self, user: tuple[str, str] = STAFF, address: str = "192.0.2.10") -> TestResponse:
        token = self.csrf()
        return self.client.post(
            "/staff/login",
            data={"username": user[0], "password": user[1], "csrf_token": token},
            environ_base={"REMOTE_ADDR": address},
        )

    def act(self, request_id: int, action: str, **form: str) -> TestResponse:
        token = self.csrf("/staff/callbacks")
        return self.client.post(
            f"/staff/callbacks/{request_id}/{action}",
            data={"csrf_token": token, **form},
            follow_redirects=True,
        )

    def page(self, path: str = "/staff/callbacks") -> str:
        response = self.client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.get_data(as_text=True)


def add_account(app: Flask, user: tuple[str, str]) -> None:
    Accounts(app.extensions["ivr_store"]).set_password(*user, now=OPEN_TIME)


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


def ask_callback(
    app: Flask, call_sid: str = CALL_SID, number: str = "+31612345678", base: str = BASE
) -> None:
    """A caller accepts a callback on their own number: signed webhooks, as Twilio sends them."""
    phone = Caller(app.test_client(), base=base)
    phone.params = {**phone.params, "CallSid": call_sid, "From": number}
    said = phone.post("/voice/callback?p=nj&s=own", Digits="1").spoken()
    assert said[0].startswith("Genoteerd."), said


# The browser tests' fixtures (tests/browser.py: Debian's Chromium, driven by Playwright).
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
