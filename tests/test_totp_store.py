"""The staff's authenticator apps in the database (SQLite and PostgreSQL): set up, confirmed by
a first code, codes accepted once and counted as login tries, removed."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest

from ivr.core.login_throttle import PAUSE, Scope
from ivr.storage import totp
from ivr.storage.accounts import Accounts
from ivr.storage.database import Database
from ivr.storage.totp import AppState, CodeCheck, Totp, clean_code, setup_mark
from tests.support.clock import OPEN_TIME
from tests.support.staff import STAFF
from tests.support.threads import at_once

ADDRESS = "192.0.2.1"


@pytest.fixture
def apps(database: Database) -> Totp:
    accounts = Accounts(database, b"k")
    accounts.set_password(*STAFF, now=OPEN_TIME)
    return Totp(accounts)


def code(secret: str, steps_later: int = 0) -> str:
    return pyotp.TOTP(secret).at(OPEN_TIME, counter_offset=steps_later)


def wrong(secret: str) -> str:
    """A code that none of the steps around OPEN_TIME has."""
    near = {code(secret, steps) for steps in range(-3, 8)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in near)


def switched_on(apps: Totp) -> str:
    secret = apps.secret_to_set_up("anna")
    assert secret is not None
    assert apps.confirm("anna", code(secret), OPEN_TIME)
    return secret


def test_set_up_confirmed_by_a_first_code(apps: Totp) -> None:
    assert apps.state("anna") is AppState.NONE
    secret = apps.secret_to_set_up("anna")
    assert secret is not None and len(secret) == 32
    assert apps.state("anna") is AppState.SETTING_UP
    assert apps.secret_to_set_up("anna", setup_mark(secret)) == secret  # the same until confirmed
    assert not apps.confirm("anna", wrong(secret), OPEN_TIME)
    assert apps.state("anna") is AppState.SETTING_UP
    assert apps.confirm("anna", code(secret), OPEN_TIME)
    assert apps.state("anna") is AppState.ON
    assert apps.secret_to_set_up("anna") is None  # never shown again
    assert not apps.confirm("anna", code(secret, 1), OPEN_TIME)  # confirmed once
    assert apps.secret_to_set_up("nobody") is None


def test_a_secret_shown_elsewhere_is_replaced(apps: Totp) -> None:
    """Whoever saw the secret on another browser (someone who knew the password) cannot
    compute the codes of the app the worker then sets up."""
    seen_elsewhere = apps.secret_to_set_up("anna")
    assert seen_elsewhere is not None
    secret = apps.secret_to_set_up("anna")  # the worker's browser: shown nothing yet
    assert secret is not None and secret != seen_elsewhere
    assert apps.secret_to_set_up("anna", setup_mark(secret)) == secret
    assert not apps.confirm("anna", code(seen_elsewhere), OPEN_TIME)
    assert apps.confirm("anna", code(secret), OPEN_TIME)
    assert apps.secret_to_set_up("anna", setup_mark(seen_elsewhere)) is None


@pytest.mark.parametrize(
    ("steps_later", "accepted"),
    [(-2, False), (-1, True), (1, True), (2, False)],
    ids=["two-before", "one-before", "one-after", "two-after"],
)
def test_a_phone_clock_one_step_off_is_accepted(
    apps: Totp, steps_later: int, accepted: bool
) -> None:
    secret = switched_on(apps)  # step 0 used to confirm
    later = OPEN_TIME + timedelta(minutes=1)  # step 2: its neighbours are steps 1 and 3
    typed = code(secret, 2 + steps_later)
    assert apps.check("anna", typed, ADDRESS, later) == CodeCheck(ok=accepted)


def test_a_code_is_accepted_once_and_never_one_older_than_the_last(apps: Totp) -> None:
    secret = switched_on(apps)
    later = OPEN_TIME + timedelta(seconds=30)
    assert apps.check("anna", code(secret, 1), ADDRESS, later) == CodeCheck(ok=True)
    assert apps.check("anna", code(secret, 1), ADDRESS, later) == CodeCheck(ok=False)
    assert apps.check("anna", code(secret, 0), ADDRESS, later) == CodeCheck(ok=False)
    assert apps.check("anna", code(secret, 2), ADDRESS, later) == CodeCheck(ok=True)


def test_simultaneous_requests_with_one_code_let_one_in(apps: Totp) -> None:
    secret = switched_on(apps)
    url = apps.database.engine.url.render_as_string(hide_password=False)
    later = OPEN_TIME + timedelta(seconds=30)
    tries = 4  # under the pause: every try is checked
    apps_of = [Totp(Accounts(Database(url), b"k")) for _ in range(tries)]
    answers = at_once(
        [lambda own=own: own.check("anna", code(secret, 1), ADDRESS, later).ok for own in apps_of]
    )
    for own in apps_of:
        own.database.dispose()
    assert sorted(answers) == [False] * (tries - 1) + [True]


def test_wrong_codes_count_as_failed_logins(apps: Totp) -> None:
    """After the right password, five wrong codes from this address pause the account here,
    for codes and passwords alike."""
    secret = switched_on(apps)
    accounts = apps.accounts
    login = accounts.log_in(*STAFF, ADDRESS, OPEN_TIME)
    assert (login.ok, login.has_app) == (True, True)
    for _ in range(Scope.PAIR.limit):
        assert apps.check("anna", wrong(secret), ADDRESS, OPEN_TIME) == CodeCheck(ok=False)
    pause = int(PAUSE.total_seconds())
    assert apps.check("anna", code(secret, 1), ADDRESS, OPEN_TIME) == CodeCheck(wait=pause)
    assert accounts.log_in(*STAFF, ADDRESS, OPEN_TIME).wait == pause


def test_a_right_password_does_not_wipe_the_wrong_codes(apps: Totp) -> None:
    """Guessing a code after each right password gains nothing: the right password of an
    account with the app does not forget the failures before it (the right code does)."""
    secret = switched_on(apps)
    for _ in range(Scope.PAIR.limit):
        assert apps.accounts.log_in(*STAFF, ADDRESS, OPEN_TIME).ok
        assert not apps.check("anna", wrong(secret), ADDRESS, OPEN_TIME).ok
    assert apps.accounts.log_in(*STAFF, ADDRESS, OPEN_TIME).wait == int(PAUSE.total_seconds())


def test_a_right_code_forgets_the_failures(apps: Totp) -> None:
    secret = switched_on(apps)
    for step in range(1, 4):
        moment = OPEN_TIME + timedelta(seconds=30 * step)
        assert apps.accounts.log_in(*STAFF, ADDRESS, moment).ok
        for _ in range(3):
            assert not apps.check("anna", wrong(secret), ADDRESS, moment).ok
        assert apps.check("anna", code(secret, step), ADDRESS, moment).ok


def test_removed_the_worker_sets_up_a_new_app(apps: Totp) -> None:
    old = switched_on(apps)
    assert apps.remove("anna")
    assert apps.state("anna") is AppState.NONE
    assert not apps.remove("anna")
    assert not apps.accounts.log_in(*STAFF, ADDRESS, OPEN_TIME).has_app
    assert apps.secret_to_set_up("anna") not in (None, old)


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [("123456", "123456"), (" 123 456 ", "123456"), ("12345", None), ("١٢٣٤٥٦", None), ("", None)],
    ids=["plain", "spaces", "five-digits", "arabic-digits", "empty"],
)
def test_clean_code(typed: str, cleaned: str | None) -> None:
    assert clean_code(typed) == cleaned


def test_wrong_codes_in_a_row_stop_the_app_until_it_is_removed(
    apps: Totp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pauses end, so they alone would let someone with the password guess codes for
    weeks: after FAILURE_LIMIT wrong codes in a row (here 3), spread so that no pause comes,
    no code is accepted, not even the right one, until the app is removed."""
    monkeypatch.setattr(totp, "FAILURE_LIMIT", 3)
    secret = switched_on(apps)
    apart = timedelta(minutes=16)  # further apart than the throttle's window
    moments = [OPEN_TIME + apart * n for n in range(1, 6)]
    assert apps.check("anna", wrong(secret), ADDRESS, moments[0]) == CodeCheck()
    assert apps.check("anna", code(secret, 32), ADDRESS, moments[0]).ok  # a right one: from 0
    found = [apps.check("anna", wrong(secret), ADDRESS, moment) for moment in moments[1:4]]
    assert found == [CodeCheck(), CodeCheck(), CodeCheck(blocked=True)]
    right = pyotp.TOTP(secret).at(moments[4])
    assert apps.check("anna", right, ADDRESS, moments[4]) == CodeCheck(blocked=True)
    assert apps.remove("anna")
    again = switched_on(apps)
    later = moments[4] + apart
    assert apps.check("anna", pyotp.TOTP(again).at(later), ADDRESS, later).ok
