"""``ivr staff add | remove | list``: accounts from the command line, passwords only hashed."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from ivr.cli import cli
from ivr.storage.accounts import Accounts
from ivr.storage.database import Database
from ivr.storage.tables import staff_accounts
from tests.support.clock import OPEN_TIME


@pytest.fixture
def runner(upgraded_url: str) -> CliRunner:
    return CliRunner(env={"DATABASE_URL": upgraded_url})


def test_add_list_and_remove(runner: CliRunner, upgraded_url: str) -> None:
    assert runner.invoke(cli, ["staff", "list"]).output == (
        "Nog geen accounts. Maak er een met 'ivr staff add NAAM'.\n"
    )
    added = runner.invoke(cli, ["staff", "add", "Anna"], input="een-goed-wachtwoord\n")
    assert (added.exit_code, added.output) == (0, "Account anna aangemaakt.\n")
    again = runner.invoke(cli, ["staff", "add", "anna"], input="een-ander-wachtwoord\n")
    assert (again.exit_code, again.output) == (0, "Account anna heeft een nieuw wachtwoord.\n")
    listed = runner.invoke(cli, ["staff", "list"]).output
    assert listed.startswith("anna  helpdeskmedewerker  (wachtwoord gezet ")
    database = Database(upgraded_url)
    try:
        with database.engine.connect() as conn:
            hashed = conn.execute(select(staff_accounts.c.password_hash)).scalar_one()
        assert hashed.startswith("scrypt:") and "een-ander-wachtwoord" not in hashed
        accounts = Accounts(database, b"k")
        assert accounts.log_in("anna", "een-ander-wachtwoord", "192.0.2.1", OPEN_TIME).ok
        assert not accounts.log_in("anna", "een-goed-wachtwoord", "192.0.2.1", OPEN_TIME).ok
    finally:
        database.dispose()
    removed = runner.invoke(cli, ["staff", "remove", "anna"])
    assert (removed.exit_code, removed.output) == (0, "Account anna verwijderd.\n")
    gone = runner.invoke(cli, ["staff", "remove", "anna"])
    assert (gone.exit_code, gone.output) == (
        64,
        "Error: there is no account anna; 'ivr staff list' shows the accounts\n",
    )


@pytest.mark.parametrize(
    ("first", "then", "said", "role"),
    [
        pytest.param(
            ["bert", "--role", "editor"], ["bert"],
            "Account bert heeft een nieuw wachtwoord.\n", "redacteur", id="kept-without-role",
        ),
        pytest.param(
            ["bert"], ["bert", "--role", "editor"],
            "Account bert is nu redacteur.\n", "redacteur", id="made-an-editor",
        ),
        pytest.param(
            ["bert", "--role", "editor"], ["bert", "--role", "helpdesk"],
            "Account bert is nu helpdeskmedewerker.\n", "helpdeskmedewerker", id="no-more-editor",
        ),
    ],
)  # fmt: skip
def test_a_role_is_given_or_kept(
    runner: CliRunner, first: list[str], then: list[str], said: str, role: str
) -> None:
    created = runner.invoke(cli, ["staff", "add", *first], input="een-goed-wachtwoord\n")
    named = " (redacteur)" if "editor" in first else ""
    assert (created.exit_code, created.output) == (0, f"Account bert aangemaakt{named}.\n")
    changed = runner.invoke(cli, ["staff", "add", *then], input="een-ander-wachtwoord\n")
    assert (changed.exit_code, changed.output) == (0, said)
    assert runner.invoke(cli, ["staff", "list"]).output.startswith(f"bert  {role}  (wachtwoord")


@pytest.mark.parametrize(
    ("args", "given", "error"),
    [
        (["anna"], "kort\n", "the password is too short: use at least 12 characters"),
        (["anna"], "1234567890\n", "the password is too short: use at least 12 characters"),
        (["anna"], "iloveyou12345\n", "the password is too easy to guess"),
        (["anna"], "Welkom2026!!!\n", "the password is too easy to guess"),
        (["anna"], "anna12345678\n", "the password is too easy to guess"),
        (["anna"], "qwertyuiopasdf\n", "the password is too easy to guess"),
        (["anna"], "zomer-fiets-lamp-42\n", "the password is too easy to guess"),
        (["anna"], "", "no password on standard input: give it as one line"),
        (["an na"], "een-goed-wachtwoord\n", "'an na' is not a user name"),
    ],
    ids=[
        "short",
        "ten-digits",
        "common-password",
        "dutch-word-and-year",
        "user-name-and-digits",
        "keyboard-run",
        "the-published-example",
        "no-password",
        "bad-name",
    ],
)
def test_add_refuses_unusable_input(
    runner: CliRunner, args: list[str], given: str, error: str
) -> None:
    result = runner.invoke(cli, ["staff", "add", *args], input=given)
    assert result.exit_code == 64
    assert result.output.startswith(f"Error: {error}")


def test_on_a_terminal_the_password_is_asked_twice_and_hidden(
    upgraded_url: str, tmp_path: Path
) -> None:
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", "from ivr.cli import main; main()", "staff", "add", "anna"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "DATABASE_URL": upgraded_url},
        cwd=tmp_path,
    )
    os.close(follower)
    seen = b""

    def read_until(text: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 20
        while text not in seen and time.monotonic() < deadline:
            try:
                seen += os.read(leader, 1024)
            except OSError:
                break
        assert text in seen, seen

    read_until(b"Wachtwoord (minstens 12 tekens): ")
    os.write(leader, b"een-goed-wachtwoord\n")
    read_until(b"Nog een keer, ter controle: ")
    os.write(leader, b"een-goed-wachtwoord\n")
    read_until(b"Account anna aangemaakt.")
    assert process.wait(timeout=20) == 0
    os.close(leader)
    assert b"een-goed-wachtwoord" not in seen  # never echoed


def test_the_list_names_the_accounts_that_need_a_new_password(
    runner: CliRunner, upgraded_url: str
) -> None:
    """A password set before today's rule (at least 10 characters, nothing more) keeps working:
    it is checked at its next login, and the list says which accounts must change it."""
    database = Database(upgraded_url)
    try:
        for name, password in (("anna", "1234567890"), ("ben", "ben-zijn-wachtwoord")):
            with database.engine.begin() as conn:  # as the line before schema 7 stored them
                conn.execute(
                    insert(staff_accounts).values(
                        username=name,
                        password_hash=generate_password_hash(password),
                        changed_at=OPEN_TIME,
                    )
                )
        added = runner.invoke(cli, ["staff", "add", "carla"], input="regen-tafel-boom-73\n")
        assert added.exit_code == 0, added.output
        before = runner.invoke(cli, ["staff", "list"]).output.splitlines()
        accounts = Accounts(database, b"k")
        logins = [
            accounts.log_in(name, password, "192.0.2.1", OPEN_TIME)
            for name, password in (("anna", "1234567890"), ("ben", "ben-zijn-wachtwoord"))
        ]
    finally:
        database.dispose()
    assert [(login.ok, login.strong) for login in logins] == [(True, False), (True, True)]
    after = runner.invoke(cli, ["staff", "list"]).output.splitlines()
    assert [line.split(")", 1)[1] for line in before[:3]] == [
        "  MOET MOGELIJK EEN NIEUW WACHTWOORD: gezet vóór de huidige regel "
        "(de volgende login controleert het)",
    ] * 2 + [""]
    assert [line.split(")", 1)[1] for line in after[:3]] == [
        "  MOET EEN NIEUW WACHTWOORD: het is te kort of te makkelijk te raden",
        "",
        "",
    ]
    assert after[3:] == [
        "Een nieuw wachtwoord: 'ivr staff add NAAM' (minstens 12 tekens, niet makkelijk te raden)."
    ]
