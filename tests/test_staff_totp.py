"""Logging in to the staff console with a code from an authenticator app (TOTP): setting the
app up (optional, or required by STAFF_REQUIRE_TOTP), the code after the password, a code used
once, wrong codes counted as failed logins, the halfway login that opens nothing else."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import timedelta

import pyotp
import pytest
from click.testing import CliRunner
from flask import Flask
from werkzeug.test import TestResponse

from ivr.cli import cli
from ivr.config.settings import Settings
from ivr.config.staff import staff_settings
from ivr.core.errors import ConfigError
from ivr.core.login_throttle import Scope
from ivr.storage import totp
from ivr.storage.accounts import Accounts
from ivr.storage.totp import AppState, Totp, setup_link
from ivr.web.staff.totp_views import qr_code
from tests.support.clock import Clock
from tests.support.staff import STAFF, Staff

CODE_PAGE = "/staff/login/code"
SETUP_PAGE = "/staff/login/app-code"
WRONG = (
    "Die code klopt niet of is al gebruikt. Typ de code die de app nu laat zien. "
    "Elke 30 seconden komt er een nieuwe."
)


def apps(app: Flask) -> Totp:
    return Totp(Accounts(app.extensions["ivr_database"]))


def text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def shown_secret(page: str) -> str:
    found = re.search(r'<p class="secret"[^>]*>(.*?)</p>', page, re.S)
    assert found, "no secret on the page"
    return "".join(re.findall(r"<span>([A-Z2-7]{1,4})</span>", found.group(1)))


def code(secret: str, clock: Clock) -> str:
    return pyotp.TOTP(secret).at(clock.now)


def wrong(secret: str, clock: Clock) -> str:
    near = {pyotp.TOTP(secret).at(clock.now, counter_offset=n) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222") if c not in near)


def send_code(member: Staff, typed: str, page: str = CODE_PAGE) -> TestResponse:
    token = member.csrf(page)
    return member.client.post(page, data={"csrf_token": token, "code": typed})


def set_up_app(member: Staff, clock: Clock) -> str:
    """Set the app up on its page while logged in; its secret."""
    page = member.page("/staff/app-code")
    secret = shown_secret(page)
    done = send_code(member, code(secret, clock), "/staff/app-code")
    assert (done.status_code, done.headers["Location"]) == (302, "/staff/callbacks")
    return secret


def test_set_up_the_app_then_log_in_with_its_code(
    console: Flask, staff: Staff, clock: Clock
) -> None:
    assert 'href="/staff/app-code">Inloggen met een code van uw telefoon</a>' in staff.page()
    page = staff.page("/staff/app-code")
    assert "<title>Inloggen met een code van uw telefoon — Mantelzorglijn</title>" in page
    secret = shown_secret(page)
    assert len(secret) == 32 and apps(console).state("anna") is AppState.SETTING_UP
    assert str(qr_code(setup_link("anna", secret))) in page  # the QR code holds the secret
    assert "<img" not in page and "<script" not in page
    assert shown_secret(staff.page("/staff/app-code")) == secret  # the same until confirmed

    refused = send_code(staff, wrong(secret, clock), "/staff/app-code")
    assert refused.status_code == 400 and WRONG in text(refused.get_data(as_text=True))
    done = send_code(staff, code(secret, clock), "/staff/app-code")
    assert done.headers["Location"] == "/staff/callbacks"
    assert (
        "Gelukt. Voortaan vraagt de werklijst na uw wachtwoord ook de code van uw telefoon."
        in text(staff.page())
    )
    after = staff.page("/staff/app-code")
    assert secret not in after and 'class="secret"' not in after  # shown once
    assert "Dit staat aan." in text(after)

    clock.now += timedelta(seconds=30)  # the next code
    member = Staff(console.test_client())
    halfway = member.log_in(next_page="/staff/callbacks/history")
    assert (halfway.status_code, halfway.headers["Location"]) == (302, CODE_PAGE)
    assert "Code van uw telefoon" in member.page(CODE_PAGE)
    done = send_code(member, code(secret, clock))
    assert (done.status_code, done.headers["Location"]) == (302, "/staff/callbacks/history")
    assert "Ingelogd als <strong>anna</strong>" in member.page()


def test_a_code_works_once(console: Flask, staff: Staff, clock: Clock) -> None:
    secret = set_up_app(staff, clock)
    clock.now += timedelta(seconds=30)
    first, second = Staff(console.test_client()), Staff(console.test_client())
    first.log_in()
    second.log_in()
    assert send_code(first, code(secret, clock)).status_code == 302
    again = send_code(second, code(secret, clock))
    assert again.status_code == 401 and WRONG in text(again.get_data(as_text=True))
    clock.now += timedelta(seconds=30)
    assert send_code(second, code(secret, clock)).headers["Location"] == "/staff/callbacks"


def test_wrong_codes_are_failed_logins_and_pause(
    console: Flask, staff: Staff, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    secret = set_up_app(staff, clock)
    member = Staff(console.test_client())
    member.log_in()
    for _ in range(Scope.PAIR.limit):
        failed = send_code(member, wrong(secret, clock))
        assert failed.status_code == 401
    assert "staff login failed: wrong code (account 'anna')" in caplog.text
    paused = send_code(member, code(secret, clock))
    assert paused.status_code == 429
    assert "Te veel mislukte pogingen. Wacht 5 minuten en probeer het dan opnieuw." in text(
        paused.get_data(as_text=True)
    )
    assert member.client.get("/staff/callbacks").status_code == 302  # not logged in


def test_too_many_wrong_codes_in_a_row_stop_the_app_and_tell_the_operator(
    console: Flask,
    staff: Staff,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(totp, "FAILURE_LIMIT", 2)
    secret = set_up_app(staff, clock)
    member = Staff(console.test_client())
    member.log_in()
    assert send_code(member, wrong(secret, clock)).status_code == 401
    stopped = send_code(member, wrong(secret, clock))
    said = (
        "De code is te vaak fout ingetypt. Daarom werkt inloggen met de app nu niet. "
        "Vraag de beheerder de app te wissen. Daarna stelt u hem opnieuw in."
    )
    assert stopped.status_code == 403 and said in text(stopped.get_data(as_text=True))
    clock.now += timedelta(seconds=30)
    right = send_code(member, code(secret, clock))
    assert right.status_code == 403 and said in text(right.get_data(as_text=True))
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == [
        "staff login: account 'anna' typed too many wrong app codes in a row; its app takes "
        "no code until 'ivr staff totp-reset anna'"
    ] * 2


@pytest.mark.parametrize(
    "url", ["/staff/callbacks", "/staff/callbacks.csv", "/staff/app-code", "/staff/stats"]
)
def test_the_halfway_login_opens_nothing_else(
    console: Flask, staff: Staff, clock: Clock, url: str
) -> None:
    set_up_app(staff, clock)
    member = Staff(console.test_client())
    assert member.log_in().headers["Location"] == CODE_PAGE
    refused = member.client.get(url)
    assert (refused.status_code, refused.headers["Location"]) == (
        302,
        f"/staff/login?next={url}",
    )


def test_the_halfway_login_ends_after_five_minutes(
    console: Flask, staff: Staff, clock: Clock
) -> None:
    secret = set_up_app(staff, clock)
    member = Staff(console.test_client())
    member.log_in()
    token = member.csrf(CODE_PAGE)
    clock.now += timedelta(minutes=5, seconds=1)
    late = member.client.post(CODE_PAGE, data={"csrf_token": token, "code": code(secret, clock)})
    assert (late.status_code, late.headers["Location"]) == (302, "/staff/login")
    assert "Dat duurde te lang. Log opnieuw in." in text(member.page("/staff/login"))
    assert member.client.get(CODE_PAGE).headers["Location"] == "/staff/login"  # gone


def test_required_the_app_is_set_up_right_after_the_password(
    make_app: Callable[..., Flask], clock: Clock
) -> None:
    required = make_app(STAFF_REQUIRE_TOTP="1")
    Accounts(required.extensions["ivr_database"]).set_password(*STAFF, now=clock.now)
    member = Staff(required.test_client())
    assert member.log_in().headers["Location"] == SETUP_PAGE
    assert member.client.get("/staff/callbacks").status_code == 302  # nothing else first
    assert member.log_in().headers["Location"] == SETUP_PAGE
    page = member.page(SETUP_PAGE)
    assert "Voor de werklijst is daarnaast een code van uw telefoon nodig." in text(page)
    secret = shown_secret(page)
    done = send_code(member, code(secret, clock), SETUP_PAGE)
    assert done.headers["Location"] == "/staff/callbacks"
    assert "Ingelogd als <strong>anna</strong>" in member.page()

    clock.now += timedelta(seconds=30)
    again = Staff(required.test_client())
    assert again.log_in().headers["Location"] == CODE_PAGE
    assert send_code(again, code(secret, clock)).headers["Location"] == "/staff/callbacks"


def test_a_secret_seen_by_someone_who_knew_the_password_opens_nothing(
    make_app: Callable[..., Flask], clock: Clock
) -> None:
    required = make_app(STAFF_REQUIRE_TOTP="1")
    Accounts(required.extensions["ivr_database"]).set_password(*STAFF, now=clock.now)
    intruder = Staff(required.test_client())
    assert intruder.log_in().headers["Location"] == SETUP_PAGE
    seen = shown_secret(intruder.page(SETUP_PAGE))  # and left without confirming it

    clock.now += timedelta(minutes=10)
    worker = Staff(required.test_client())
    worker.log_in()
    secret = shown_secret(worker.page(SETUP_PAGE))
    assert secret != seen
    assert shown_secret(worker.page(SETUP_PAGE)) == secret  # the same in the worker's browser
    assert send_code(worker, code(secret, clock), SETUP_PAGE).headers["Location"] == (
        "/staff/callbacks"
    )

    clock.now += timedelta(seconds=30)
    assert intruder.log_in().headers["Location"] == CODE_PAGE
    refused = send_code(intruder, code(seen, clock))
    assert refused.status_code == 401 and WRONG in text(refused.get_data(as_text=True))


@pytest.mark.parametrize(
    ("value", "required"), [("", False), ("0", False), ("1", True)], ids=["unset", "0", "1"]
)
def test_staff_require_totp_setting(env: dict[str, str], value: str, required: bool) -> None:
    settings = Settings.from_env({**env, "STAFF_REQUIRE_TOTP": value})
    assert staff_settings(settings).require_totp is required


def test_staff_require_totp_refuses_other_values(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match="STAFF_REQUIRE_TOTP"):
        staff_settings(Settings.from_env({**env, "STAFF_REQUIRE_TOTP": "ja"}))


def test_the_cli_removes_a_lost_phone_s_app(
    console: Flask, staff: Staff, clock: Clock, env: dict[str, str]
) -> None:
    set_up_app(staff, clock)
    runner = CliRunner(env={"DATABASE_URL": f"sqlite:///{env['IVR_SQLITE_PATH']}"})
    listed = runner.invoke(cli, ["staff", "list"]).output.splitlines()
    assert listed == [
        "anna  helpdeskmedewerker  (wachtwoord gezet 2026-11-23 10:00, met app-code)",
        "ben  helpdeskmedewerker  (wachtwoord gezet 2026-11-23 10:00)",
    ]
    reset = runner.invoke(cli, ["staff", "totp-reset", "Anna"])
    assert (reset.exit_code, reset.output) == (
        0,
        "Account anna logt weer in zonder code van de telefoon. Na het inloggen kan de app "
        "opnieuw worden ingesteld.\n",
    )
    assert apps(console).state("anna") is AppState.NONE
    assert "met app-code" not in runner.invoke(cli, ["staff", "list"]).output
    assert Staff(console.test_client()).log_in().headers["Location"] == "/staff/callbacks"
    again = runner.invoke(cli, ["staff", "totp-reset", "anna"])
    assert (again.exit_code, again.output) == (
        64,
        "Error: account anna has no authenticator app ('ivr staff list' shows the accounts)\n",
    )
