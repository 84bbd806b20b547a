"""The staff console's login tries, counted in the database (the rules: ``login_throttle``).

Every try at a login, a password or a code from the authenticator app, is counted per account,
per address and per both before it is checked, in the caller's transaction, so tries sent at the
same moment cannot slip past the limit; a right one is forgotten again. An address is kept only
as a keyed hash (an IP address is personal data).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ivr.core.login_throttle import PAUSE, WINDOW, Count, Scope, over_limit, pause_left
from ivr.storage.database import utc
from ivr.storage.tables import login_failures

# An address this account logged in from lately is not paused for failures from elsewhere.
KNOWN_FOR = timedelta(days=30)


class LoginTries:
    def __init__(self, secret: bytes) -> None:
        """``secret``: keys the hash of an address (derived from SECRET_KEY for that alone:
        ivr.config.staff.ADDRESS_KEY_PURPOSE)."""
        self._secret = secret

    def count(self, conn: Connection, name: str, address: str, now: datetime) -> int:
        """Count a try of account ``name`` from ``address``; the seconds to wait instead of
        checking it (0: check it)."""
        keys, known = self._keys(name, address)
        counts = _counts(conn, [*keys.values(), known])
        # An account that logged in from this address lately answers only to its own failures
        # from here: a flood of made-up names from the same office address (where an attacker
        # may sit too) slows only new logins from it. From an address it does not know, the
        # account's and the address's limits apply too.
        scopes = [Scope.PAIR]
        if known not in counts or now - counts[known].last_at > KNOWN_FOR:
            scopes += [Scope.ADDRESS, Scope.ACCOUNT]
        wait = max(pause_left(scope, counts.get(keys[scope]), now) for scope in scopes)
        if wait:
            return wait
        counted = {scope: _count_failure(conn, keys[scope], scope, now) for scope in Scope}
        if any(over_limit(scope, counted[scope]) for scope in scopes):
            return int(PAUSE.total_seconds())
        return 0

    def forget(
        self, conn: Connection, name: str, address: str, now: datetime, logged_in: bool
    ) -> None:
        """A try counted by ``count`` was right: it is no failure. ``logged_in``: the login is
        complete, so this account's failures from this address are forgotten and the address
        becomes one it knows. Otherwise (a right password, the code to follow) the failures
        before it stay, so that guessing codes between right passwords gains nothing. The
        account's and the address's earlier failures stay (they slow guessers)."""
        keys, known = self._keys(name, address)
        right = [keys[Scope.ACCOUNT], keys[Scope.ADDRESS]]
        if logged_in:
            conn.execute(delete(login_failures).where(login_failures.c.key == keys[Scope.PAIR]))
            _remember(conn, known, now)
        else:
            right.append(keys[Scope.PAIR])
        conn.execute(
            update(login_failures)
            .where(login_failures.c.key.in_(right), login_failures.c.failures > 0)
            .values(failures=login_failures.c.failures - 1)
        )

    def _keys(self, name: str, address: str) -> tuple[dict[Scope, str], str]:
        """The keys of the counts, and of whether this account logged in from here before."""
        where = hmac.new(self._secret, address.encode("utf-8"), hashlib.sha256).hexdigest()[:24]
        keys = {
            Scope.PAIR: f"{Scope.PAIR.prefix}:{name}:{where}",
            Scope.ACCOUNT: f"{Scope.ACCOUNT.prefix}:{name}",
            Scope.ADDRESS: f"{Scope.ADDRESS.prefix}:{where}",
        }
        return keys, f"known:{name}:{where}"


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
