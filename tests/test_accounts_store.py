"""Staff accounts and the login throttle in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from ivr.config import secret_strength
from ivr.core.login_throttle import PAUSE, Scope
from ivr.storage import accounts, credentials
from ivr.storage.accounts import Accounts
from ivr.storage.database import Database
from ivr.storage.tables import staff_accounts
from tests.support.clock import OPEN_TIME
from tests.support.staff import LINE_PASSWORD_HASH
from tests.support.threads import at_once

PASSWORD = "anna-haar-wachtwoord"


def test_simultaneous_failures_are_all_counted(database: Database) -> None:
    Accounts(database).set_password("anna", PASSWORD, OPEN_TIME)
    url = database.engine.url.render_as_string(hide_password=False)
    tries = 12
    guessers = [Accounts(Database(url), b"k") for _ in range(tries)]
    waits = at_once(
        [
            lambda own=own, n=n: own.log_in("anna", f"guess-{n}", "192.0.2.1", OPEN_TIME).wait
            for n, own in enumerate(guessers)
        ]
    )
    for own in guessers:
        own.database.dispose()
    pause = int(PAUSE.total_seconds())
    assert sorted(waits) == [0] * Scope.PAIR.limit + [pause] * (tries - Scope.PAIR.limit)


def test_logins_that_work_never_add_up_to_a_pause(database: Database) -> None:
    accounts = Accounts(database, b"k")
    accounts.set_password("anna", PASSWORD, OPEN_TIME)
    for n in range(Scope.ADDRESS.limit + 5):
        assert accounts.log_in("anna", PASSWORD, "192.0.2.1", OPEN_TIME + timedelta(seconds=n)).ok


def test_the_pause_ends_and_the_count_starts_again(database: Database) -> None:
    accounts = Accounts(database, b"k")
    accounts.set_password("anna", PASSWORD, OPEN_TIME)
    for _ in range(Scope.PAIR.limit):
        assert not accounts.log_in("anna", "wrong-password", "192.0.2.1", OPEN_TIME).ok
    assert accounts.log_in("anna", PASSWORD, "192.0.2.1", OPEN_TIME).wait == 300
    later = OPEN_TIME + PAUSE + timedelta(seconds=1)
    assert accounts.log_in("anna", "wrong-again", "192.0.2.1", later).wait == 0
    assert accounts.log_in("anna", PASSWORD, "192.0.2.1", later).ok


def test_a_new_password_lifts_the_pause(database: Database) -> None:
    accounts = Accounts(database, b"k")
    accounts.set_password("anna", PASSWORD, OPEN_TIME)
    for _ in range(Scope.PAIR.limit):
        accounts.log_in("anna", "wrong-password", "192.0.2.1", OPEN_TIME)
    accounts.set_password("anna", "een-nieuw-wachtwoord", OPEN_TIME)
    assert accounts.log_in("anna", "een-nieuw-wachtwoord", "192.0.2.1", OPEN_TIME).ok


def test_purge_forgets_old_counts_and_unused_addresses(database: Database) -> None:
    accounts = Accounts(database, b"k")
    accounts.set_password("anna", PASSWORD, OPEN_TIME)
    accounts.log_in("anna", PASSWORD, "192.0.2.1", OPEN_TIME)  # a known address
    accounts.log_in("anna", "wrong-password", "192.0.2.2", OPEN_TIME)
    # counts: the account, both addresses, the account from the second one
    assert accounts.forget_old(OPEN_TIME + timedelta(minutes=10)) == 0
    assert accounts.forget_old(OPEN_TIME + timedelta(hours=1)) == 4
    assert accounts.forget_old(OPEN_TIME + timedelta(days=31)) == 1


def test_the_line_hashes_passwords_at_werkzeugs_default_cost(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tests hash at a lower cost (conftest.py); the line itself at werkzeug's default."""
    assert LINE_PASSWORD_HASH == generate_password_hash("x").split("$")[0] == "scrypt:32768:8:1"
    monkeypatch.setattr(accounts, "PASSWORD_HASH", LINE_PASSWORD_HASH)
    Accounts(database).set_password("anna", PASSWORD, OPEN_TIME)
    with database.engine.connect() as conn:
        stored = conn.execute(select(staff_accounts.c.password_hash)).scalar_one()
    assert stored.startswith(f"{LINE_PASSWORD_HASH}$")
    assert Accounts(database, b"k").log_in("anna", PASSWORD, "192.0.2.1", OPEN_TIME).ok


def test_a_password_is_estimated_only_when_set_or_not_yet_known_strong(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """zxcvbn sees a password when it is set, and at a login only while the account's password
    is not known to meet the rule; nothing keeps it afterwards (no cache)."""
    seen: list[str] = []
    estimate = secret_strength.zxcvbn

    def counted(password: str, user_inputs: list[str]) -> dict[str, float]:
        seen.append(password)
        found: dict[str, float] = estimate(password, user_inputs=user_inputs)
        return found

    monkeypatch.setattr(secret_strength, "zxcvbn", counted)
    logins = Accounts(database, b"k")
    logins.set_password("anna", "anna-haar-wachtwoord", OPEN_TIME)
    logins.set_password("ben", "ben-zijn-wachtwoord", OPEN_TIME)
    with database.engine.begin() as conn:  # ben's as stored before the rule (schema 6)
        conn.execute(
            staff_accounts.update()
            .values(password_strong=None)
            .where(staff_accounts.c.username == "ben")
        )
    for _ in range(2):
        assert logins.log_in("anna", "anna-haar-wachtwoord", "192.0.2.1", OPEN_TIME).ok
        assert logins.log_in("ben", "ben-zijn-wachtwoord", "192.0.2.1", OPEN_TIME).ok
    assert seen == ["anna-haar-wachtwoord", "ben-zijn-wachtwoord", "ben-zijn-wachtwoord"]
    assert credentials.password_problem("anna-haar-wachtwoord", "anna") is None
    assert seen[-1] == "anna-haar-wachtwoord"  # estimated again: not cached


@pytest.mark.parametrize(
    ("role", "after_password", "after_role"),
    [
        pytest.param(None, accounts.Role.HELPDESK, accounts.Role.EDITOR, id="new-is-helpdesk"),
        pytest.param(accounts.Role.EDITOR, accounts.Role.EDITOR, accounts.Role.EDITOR, id="editor"),
    ],
)
def test_a_role_is_given_or_kept(
    database: Database,
    role: accounts.Role | None,
    after_password: accounts.Role,
    after_role: accounts.Role,
) -> None:
    store = Accounts(database)
    assert store.set_password("anna", PASSWORD, OPEN_TIME, role) is True
    assert store.role_of("anna") is after_password
    store.set_password("anna", PASSWORD + "-2", OPEN_TIME)  # no role: kept
    assert store.role_of("anna") is after_password
    assert store.set_role("anna", accounts.Role.EDITOR) is True
    assert [(a.username, a.role) for a in store.names()] == [("anna", after_role)]
    assert (store.is_editor("anna"), store.is_editor("bert"), store.role_of("bert")) == (
        True, False, None
    )  # fmt: skip
    assert store.set_role("bert", accounts.Role.EDITOR) is False
