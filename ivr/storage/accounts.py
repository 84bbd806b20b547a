"""Staff accounts and failed-login counts, in the line's database.

Passwords are kept only as werkzeug's scrypt hashes; what a name and a password must be is
``ivr.storage.credentials``'s. Every login try is counted per account and per address before
its password is checked (``ivr.storage.login_tries``); an account with an authenticator app
ends its login with a code (``ivr.storage.totp``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.security import check_password_hash, generate_password_hash

from ivr.core.login_throttle import WINDOW, Scope
from ivr.storage.credentials import USERNAME, check_password, check_username, password_problem
from ivr.storage.database import Database, storage_error, utc
from ivr.storage.login_tries import KNOWN_FOR, LoginTries
from ivr.storage.tables import login_failures, staff_accounts, staff_sessions

# werkzeug's scrypt at its own default cost: about 0.1 s of one core for each hash and check.
PASSWORD_HASH = "scrypt:32768:8:1"


@cache
def _no_account(method: str) -> str:
    """Checked against when the account does not exist, so both cases take the same time."""
    return generate_password_hash("no such account: the same work as a real one", method)


class Role(enum.StrEnum):
    """What an account may do: every account works the callback list; an editor also edits
    the line's content (/staff/content). A new account is a helpdesk worker."""

    HELPDESK = "helpdesk"
    EDITOR = "editor"


@dataclass(frozen=True)
class Account:
    username: str
    changed_at: datetime  # when its password was set
    # meets today's rule (ivr.storage.credentials); None: set before the rule
    # and not used to log in since
    password_strong: bool | None
    has_app: bool = False  # logs in with a code of an authenticator app (ivr.storage.totp)
    role: Role = Role.HELPDESK


@dataclass(frozen=True)
class Login:
    """The answer to a login: a user name (``ok``), or a pause in seconds, or neither."""

    username: str | None = None
    strong: bool = True  # the password meets today's rule (ok logins only)
    wait: int = 0
    known_name: bool = False  # for the log only (a password typed as a name is never logged)
    has_app: bool = False  # an authenticator app is set up: its code ends the login

    @property
    def ok(self) -> bool:
        return self.username is not None


class Accounts:
    def __init__(self, database: Database, secret: bytes = b"") -> None:
        """``secret``: keys the hash of an address (derived from SECRET_KEY for that alone)."""
        self.database = database
        self.tries = LoginTries(secret)

    def set_password(
        self, username: str, password: str, now: datetime, role: Role | None = None
    ) -> bool:
        """Create the account or give it a new password; True when it was created. A new
        account has ``role`` (else it is a helpdesk worker); an existing one gets ``role``
        when it is given, else keeps its own."""
        name = check_username(username)
        roles = {} if role is None else {"role": role.value}
        hashed = generate_password_hash(check_password(password, name), PASSWORD_HASH)
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                changed = conn.execute(
                    update(staff_accounts)
                    .where(staff_accounts.c.username == name)
                    .values(
                        password_hash=hashed, changed_at=utc(now), password_strong=True, **roles
                    )
                ).rowcount
                if changed == 0:
                    conn.execute(
                        insert(staff_accounts).values(
                            username=name,
                            password_hash=hashed,
                            changed_at=utc(now),
                            password_strong=True,
                            role=(role or Role.HELPDESK).value,
                        )
                    )
                # every session of the account ends: a copied cookie opens nothing any more
                conn.execute(delete(staff_sessions).where(staff_sessions.c.username == name))
                conn.execute(
                    delete(login_failures).where(
                        or_(
                            login_failures.c.key == f"{Scope.ACCOUNT.prefix}:{name}",
                            login_failures.c.key.startswith(
                                f"{Scope.PAIR.prefix}:{name}:", autoescape=True
                            ),
                        )
                    )
                )
        except SQLAlchemyError as exc:
            raise storage_error("save the account", exc) from exc
        return changed == 0

    def set_role(self, username: str, role: Role) -> bool:
        """Give an existing account ``role`` (its password and sessions stay); False when
        there is no such account."""
        name = check_username(username)
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                query = (
                    update(staff_accounts)
                    .where(staff_accounts.c.username == name)
                    .values(role=role.value)
                )
                return conn.execute(query).rowcount == 1
        except SQLAlchemyError as exc:
            raise storage_error("change the account's role", exc) from exc

    def role_of(self, username: str) -> Role | None:
        """The account's role; None when there is no such account."""
        self.database.ready()
        query = select(staff_accounts.c.role).where(staff_accounts.c.username == username)
        try:
            with self.database.engine.connect() as conn:
                found = conn.execute(query).scalar()
        except SQLAlchemyError as exc:
            raise storage_error("read the account's role", exc) from exc
        return None if found is None else Role(found)

    def is_editor(self, username: str) -> bool:
        """True for an editor (the content pages); a helpdesk worker or no account: False."""
        return self.role_of(username) is Role.EDITOR

    def remove(self, username: str) -> bool:
        name = check_username(username)
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                conn.execute(delete(staff_sessions).where(staff_sessions.c.username == name))
                query = delete(staff_accounts).where(staff_accounts.c.username == name)
                return conn.execute(query).rowcount == 1
        except SQLAlchemyError as exc:
            raise storage_error("remove the account", exc) from exc

    def names(self) -> list[Account]:
        """Every account, by name."""
        self.database.ready()
        row = staff_accounts.c
        query = select(
            row.username, row.changed_at, row.password_strong, row.totp_last_step, row.role
        ).order_by(row.username)
        try:
            with self.database.engine.connect() as conn:
                return [
                    Account(
                        found.username,
                        utc(found.changed_at),
                        found.password_strong,
                        found.totp_last_step is not None,  # confirmed by a first code
                        Role(found.role),
                    )
                    for found in conn.execute(query)
                ]
        except SQLAlchemyError as exc:
            raise storage_error("read the accounts", exc) from exc

    def log_in(self, username: str, password: str, address: str, now: datetime) -> Login:
        """Check a password, unless the account or the address must pause first.

        The try is counted before the password is checked (one transaction), and forgotten for
        this address when the password is right: simultaneous tries cannot pass the limit.
        """
        name = username.strip().lower()
        if not USERNAME.fullmatch(name):
            return Login()  # never an account's name (nor storable: PostgreSQL refuses NUL)
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                wait = self.tries.count(conn, name, address, now)
                if wait:
                    return Login(wait=wait)
                row = staff_accounts.c
                found = conn.execute(
                    select(row.password_hash, row.totp_last_step, row.password_strong).where(
                        row.username == name
                    )
                ).first()
                hashed = None if found is None else found.password_hash
            if not (check_password_hash(hashed or _no_account(PASSWORD_HASH), password) and hashed):
                return Login(known_name=hashed is not None)
            has_app = found is not None and found.totp_last_step is not None
            # A password set before today's rule is checked now, the one time it is known (one
            # set since was checked when it was set).
            strong = found.password_strong is True or password_problem(password, name) is None
            with self.database.engine.begin() as conn:
                conn.execute(
                    update(staff_accounts)
                    .where(staff_accounts.c.username == name)
                    .values(password_strong=strong)
                )
                # Counted as a try before the check: a right password is no failure. With the
                # authenticator app the login ends with its code (ivr.storage.totp).
                self.tries.forget(conn, name, address, now, logged_in=not has_app)
        except SQLAlchemyError as exc:
            raise storage_error("check the login", exc) from exc
        return Login(username=name, strong=strong, has_app=has_app)

    def forget_old(self, now: datetime) -> int:
        """Delete failure counts past their window and addresses not used for ``KNOWN_FOR``."""
        row = login_failures.c
        old = or_(
            and_(~row.key.startswith("known:"), row.last_at < utc(now - WINDOW)),
            row.last_at < utc(now - KNOWN_FOR),
        )
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                return int(conn.execute(delete(login_failures).where(old)).rowcount)
        except SQLAlchemyError as exc:
            raise storage_error("delete old login counts", exc) from exc
