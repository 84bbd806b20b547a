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

from ivr.core.errors import UsageError
from ivr.core.login_throttle import PAUSE, WINDOW, Count, Scope, over_limit, pause_left
from ivr.storage.database import Database, storage_error, utc
from ivr.storage.tables import login_failures, staff_accounts, staff_sessions

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
MIN_PASSWORD = 10
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


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password is too short: use at least {MIN_PASSWORD} characters")
    return password


@dataclass(frozen=True)
class Login:
    """The answer to a login: a user name (``ok``), or a pause in seconds, or neither."""

    username: str | None = None
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
        hashed = generate_password_hash(check_password(password))
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                changed = conn.execute(
                    update(staff_accounts)
                    .where(staff_accounts.c.username == name)
                    .values(password_hash=hashed, changed_at=utc(now))
                ).rowcount
                if changed == 0:
                    conn.execute(
                        insert(staff_accounts).values(
                            username=name, password_hash=hashed, changed_at=utc(now)
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

    def names(self) -> list[tuple[str, datetime]]:
        """Every account with when its password was last set, by name."""
        self.database.ready()
        query = select(staff_accounts.c.username, staff_accounts.c.changed_at).order_by(
            staff_accounts.c.username
        )
        try:
            with self.database.engine.connect() as conn:
                return [(row.username, utc(row.changed_at)) for row in conn.execute(query)]
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
            with self.database.engine.begin() as conn:
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
        return Login(username=name)

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
