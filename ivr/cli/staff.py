"""Staff accounts for the web console: ``ivr staff add | remove | list``, removing an account's
authenticator app: ``ivr staff totp-reset``, and who downloaded the worklist's CSV:
``ivr staff downloads``.

The password is read from standard input when it is not a terminal (one line, for scripts and
``heroku run``), and asked twice, hidden, when it is. It is stored only as a hash.
"""

from __future__ import annotations

from datetime import UTC, datetime

import click

from ivr.cli.db import checked_database
from ivr.core.errors import UsageError
from ivr.core.hours import AMSTERDAM
from ivr.storage.accounts import Accounts, Role
from ivr.storage.credentials import MIN_PASSWORD, check_password, check_username
from ivr.storage.downloads import RECENT, DownloadLog
from ivr.storage.totp import Totp


@click.group("staff")
def staff() -> None:
    """Accounts of the helpdesk staff who work the callback worklist (/staff)."""


def _password(name: str) -> str:
    stdin = click.get_text_stream("stdin")
    if not stdin.isatty():
        line = stdin.readline().rstrip("\r\n")
        if not line:
            raise UsageError("no password on standard input: give it as one line")
        return check_password(line, name)
    return check_password(
        click.prompt(
            f"Wachtwoord (minstens {MIN_PASSWORD} tekens)",
            hide_input=True,
            confirmation_prompt="Nog een keer, ter controle",
        ),
        name,
    )


@staff.command("add")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    help="editor: also edits the line's content (/staff/content). Without it a new account "
    "is a helpdesk worker.",
)
def add(username: str, role: str | None) -> None:
    """Create an account, or give an existing one a new password (it logs out everywhere).

    With --role, an existing account gets that role and keeps its password; without it, an
    existing account keeps its role."""
    name = check_username(username)
    given = None if role is None else Role(role)
    with checked_database() as (_, database):
        accounts = Accounts(database)
        if given is not None and accounts.set_role(name, given):
            click.echo(f"Account {name} is nu {ROLE_NAMES[given]}.")
            return
        password = _password(name)
        created = accounts.set_password(name, password, datetime.now(UTC), given)
    said = "aangemaakt" if created else "heeft een nieuw wachtwoord"
    click.echo(f"Account {name} {said}" + (f" ({ROLE_NAMES[given]})." if given else "."))


ROLE_NAMES = {Role.HELPDESK: "helpdeskmedewerker", Role.EDITOR: "redacteur"}


@staff.command("remove")
@click.argument("username")
def remove(username: str) -> None:
    """Remove an account; it is logged out at its next click."""
    name = check_username(username)
    with checked_database() as (_, database):
        removed = Accounts(database).remove(name)
    if not removed:
        raise UsageError(f"there is no account {name}; 'ivr staff list' shows the accounts")
    click.echo(f"Account {name} verwijderd.")


@staff.command("totp-reset")
@click.argument("username")
def totp_reset(username: str) -> None:
    """Remove an account's authenticator app (a lost or new phone): it logs in with its password
    alone, or, with STAFF_REQUIRE_TOTP=1, sets up a new app right after it."""
    name = check_username(username)
    with checked_database() as (_, database):
        removed = Totp(Accounts(database)).remove(name)
    if not removed:
        raise UsageError(
            f"account {name} has no authenticator app ('ivr staff list' shows the accounts)"
        )
    click.echo(
        f"Account {name} logt weer in zonder code van de telefoon. Na het inloggen kan de app "
        "opnieuw worden ingesteld."
    )


@staff.command("list")
def listing() -> None:
    """The accounts, with when each password was set, who logs in with an authenticator app's
    code, and which must get a new password."""
    with checked_database() as (_, database):
        found = Accounts(database).names()
    if not found:
        click.echo("Nog geen accounts. Maak er een met 'ivr staff add NAAM'.")
        return
    for account in found:
        click.echo(
            f"{account.username}  {ROLE_NAMES[account.role]}  (wachtwoord gezet "
            f"{account.changed_at.astimezone(AMSTERDAM):%Y-%m-%d %H:%M}"
            + (", met app-code)" if account.has_app else ")")
            + PASSWORD_STATE[account.password_strong]
        )
    if any(account.password_strong is not True for account in found):
        click.echo(
            f"Een nieuw wachtwoord: 'ivr staff add NAAM' (minstens {MIN_PASSWORD} tekens, "
            "niet makkelijk te raden)."
        )


PASSWORD_STATE = {
    True: "",
    False: "  MOET EEN NIEUW WACHTWOORD: het is te kort of te makkelijk te raden",
    None: "  MOET MOGELIJK EEN NIEUW WACHTWOORD: gezet vóór de huidige regel "
    "(de volgende login controleert het)",
}


@staff.command("downloads")
@click.option("--last", "limit", type=click.IntRange(1, 10_000), default=RECENT, show_default=True)
def downloads(limit: int) -> None:
    """Who downloaded the worklist's CSV (every request kept, with phone numbers), newest first:
    when, how many requests, and the period they covered."""
    with checked_database() as (_, database):
        found = DownloadLog(database).recent(limit)
    if not found:
        click.echo("Nog geen CSV gedownload.")
        return
    for d in found:
        period = (
            f"{_day(d.first_requested_at)} t/m {_day(d.last_requested_at)}"
            if d.first_requested_at and d.last_requested_at
            else "geen"
        )
        click.echo(
            f"{d.at.astimezone(AMSTERDAM):%Y-%m-%d %H:%M}  {d.staff}  "
            f"{d.requests} verzoeken (aangevraagd: {period})"
        )


def _day(moment: datetime) -> str:
    return f"{moment.astimezone(AMSTERDAM):%Y-%m-%d}"
