"""Staff accounts and failed-login counts, in the line's database.

Passwords are kept only as werkzeug's scrypt hashes. Failed logins are counted per account and
per address; an address is kept only as a keyed hash (an IP address is personal data).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, delete, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.security import check_password_hash, generate_password_hash

from ivr.config.secret_strength import guesses_log10
from ivr.core.errors import UsageError
from ivr.core.login_throttle import PAUSE, WINDOW, Count, Scope, over_limit, pause_left
from ivr.storage.database import Database, storage_error, utc
from ivr.storage.tables import login_failures, staff_accounts, staff_sessions

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
MIN_PASSWORD = 12  # characters
# zxcvbn's estimate of the guesses that find a password, as a power of ten: its top score ("very
# unguessable"). Refuses every one of the commonest passwords, words with digits ("Welkom2026!!!",
# 10^8.3) and keyboard runs; accepts a phrase of a few words ("zomer-fiets-lamp-42", 10^16).
MIN_PASSWORD_GUESSES_LOG10 = 10.0
# An address this account logged in from lately is not paused for failures from elsewhere.
KNOWN_FOR = timedelta(days=30)
# Checked against when the account does not exist, so both cases take the same time.
_NO_ACCOUNT = generate_password_hash("no such account: the same work as a real one")


def check_username(raw: str) -> str:
    name = raw.strip().lower()
    if not USERNAME.fullmatch(name):
        raise UsageError(
            f"{raw!r} is not a user name: use 1 to 64 letters, digits, '.', '_' or '-'"
        )
    return name


def password_problem(password: str, username: str) -> str | None:
    """Why ``password`` is too weak for ``username``'s account; None when it is strong enough."""
    if len(password) < MIN_PASSWORD:
        return f"the password is too short: use at least {MIN_PASSWORD} characters"
    if guesses_log10(password, (username,)) < MIN_PASSWORD_GUESSES_LOG10:
        return (
            "the password is too easy to guess: it is a common password, or it is made of a "
            "common word, a name, digits or a keyboard run. Use a few unrelated words, "
            "e.g. 'zomer-fiets-lamp-42'"
        )
    return None


def check_password(password: str, username: str) -> str:
    problem = password_problem(password, username)
    if problem:
        raise UsageError(problem)
    return password


@dataclass(frozen=True)
class Account:
    username: str
    changed_at: datetime  # when its password was set
    # meets today's rule (MIN_PASSWORD, MIN_PASSWORD_GUESSES_LOG10); None: set before the rule
    # and not used to log in since
    password_strong: bool | None


@dataclass(frozen=True)
class Login:
    """The answer to a login: a user name (``ok``), or a pause in seconds, or neither."""

    username: str | None = None
    strong: bool = True  # the password meets today's rule (ok logins only)
    wait: int = 0
    known_name: bool = False  # for the log only (a password typed as a name is never logged)

    @property
    def ok(self) -> bool:
        return self.username is not None


class Accounts:
    def __init__(self, database: Database, secret: bytes = b"") -> None:
        """``secret``: keys the hash of an address (the web app's SECRET_KEY)."""
        self.database = database
        self._secret = secret

    def set_password(self, username: str, password: str, now: datetime) -> bool:
        """Create the account or give it a new password; True when it was created."""
        name = check_username(username)
        hashed = generate_password_hash(check_password(password, name))
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                changed = conn.execute(
                    update(staff_accounts)
                    .where(staff_accounts.c.username == name)
                    .values(password_hash=hashed, changed_at=utc(now), password_strong=True)
                ).rowcount
                if changed == 0:
                    conn.execute(
                        insert(staff_accounts).values(
                            username=name,
                            password_hash=hashed,
                            changed_at=utc(now),
                            password_strong=True,
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
        query = select(row.username, row.changed_at, row.password_strong).order_by(row.username)
        try:
            with self.database.engine.connect() as conn:
                return [
                    Account(found.username, utc(found.changed_at), found.password_strong)
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
        where = self._address_key(address)
        keys = {
            Scope.PAIR: f"{Scope.PAIR.prefix}:{name}:{where}",
            Scope.ACCOUNT: f"{Scope.ACCOUNT.prefix}:{name}",
            Scope.ADDRESS: f"{Scope.ADDRESS.prefix}:{where}",
        }
        known = f"known:{name}:{where}"  # this account logged in from here before
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                counts = _counts(conn, [*keys.values(), known])
                # An account that logged in from this address lately answers only to its own
                # failures from here: a flood of made-up names from the same office address
                # (where an attacker may sit too) slows only new logins from it. From an
                # address it does not know, the account's and the address's limits apply too.
                scopes = [Scope.PAIR]
                if known not in counts or now - counts[known].last_at > KNOWN_FOR:
                    scopes += [Scope.ADDRESS, Scope.ACCOUNT]
                wait = max(pause_left(scope, counts.get(keys[scope]), now) for scope in scopes)
                if wait:
                    return Login(wait=wait)
                counted = {scope: _count_failure(conn, keys[scope], scope, now) for scope in Scope}
                if any(over_limit(scope, counted[scope]) for scope in scopes):
                    return Login(wait=int(PAUSE.total_seconds()))
                hashed = conn.execute(
                    select(staff_accounts.c.password_hash).where(staff_accounts.c.username == name)
                ).scalar()
            if not (check_password_hash(hashed or _NO_ACCOUNT, password) and hashed):
                return Login(known_name=hashed is not None)
            # A password set before today's rule is checked now, the one time it is known.
            strong = password_problem(password, name) is None
            with self.database.engine.begin() as conn:
                conn.execute(
                    update(staff_accounts)
                    .where(staff_accounts.c.username == name)
                    .values(password_strong=strong)
                )
                # Counted as a try before the check: a login that worked is no failure. The
                # account's and the address's earlier failures stay (they slow guessers).
                conn.execute(delete(login_failures).where(login_failures.c.key == keys[Scope.PAIR]))
                conn.execute(
                    update(login_failures)
                    .where(
                        login_failures.c.key.in_((keys[Scope.ACCOUNT], keys[Scope.ADDRESS])),
                        login_failures.c.failures > 0,
                    )
                    .values(failures=login_failures.c.failures - 1)
                )
                _remember(conn, known, now)
        except SQLAlchemyError as exc:
            raise storage_error("check the login", exc) from exc
        return Login(username=name, strong=strong)

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

    def _address_key(self, address: str) -> str:
        return hmac.new(self._secret, address.encode("utf-8"), hashlib.sha256).hexdigest()[:24]


def _counts(conn: Connection, keys: list[str]) -> dict[str, Count]:
    query = select(login_failures).where(login_failures.c.key.in_(keys))
    return {row.key: Count(row.failures, utc(row.last_at)) for row in conn.execute(query)}


def _upsert(conn: Connection) -> Any:
    """The INSERT ... ON CONFLICT of this database (PostgreSQL and SQLite have the same)."""
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


def _count_failure(conn: Connection, key: str, scope: Scope, now: datetime) -> int:
    """One more try for ``key``, counted atomically; a count long past starts again at 1."""
    row = login_failures.c
    stale = or_(
        row.last_at < utc(now - WINDOW),
        and_(row.failures >= scope.limit, row.last_at < utc(now - PAUSE)),
    )
    insert = _upsert(conn)(login_failures).values(key=key, failures=1, last_at=utc(now))
    statement = insert.on_conflict_do_update(
        index_elements=[row.key],
        set_={"failures": case((stale, 1), else_=row.failures + 1), "last_at": utc(now)},
    ).returning(row.failures)
    return int(conn.execute(statement).scalar_one())


def _remember(conn: Connection, key: str, now: datetime) -> None:
    insert = _upsert(conn)(login_failures).values(key=key, failures=0, last_at=utc(now))
    conn.execute(
        insert.on_conflict_do_update(
            index_elements=[login_failures.c.key], set_={"last_at": utc(now)}
        )
    )
