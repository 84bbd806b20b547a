"""When failed logins make the staff console pause: per account, per address, per both. Pure.

Several wrong passwords for one account from one address, and the next try from there waits a
while. An account or an address alone gets a far higher limit: a guesser spread over many
addresses is slowed down, but nobody can lock a colleague out from elsewhere with a handful of
tries, and colleagues who share an office address do not lock each other out with typos. An
account that logged in from an address before answers there only to its own failures (the
account and address limits apply to addresses it does not know: ``ivr.storage.accounts``). The
answer is the same whether the account exists. Every try counts before its password is
checked, so tries sent at the same moment cannot slip past the limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

PAUSE = timedelta(minutes=5)
# Failures further apart than this do not add up.
WINDOW = timedelta(minutes=15)


class Scope(Enum):
    """What failures are counted by, with how many are allowed in a ``WINDOW``."""

    PAIR = ("pair", 5)  # this account from this address: a colleague who forgot the password
    ACCOUNT = ("user", 20)  # this account from anywhere: guessing spread over addresses
    ADDRESS = ("addr", 30)  # this address, any account: one office, or one guesser

    def __init__(self, prefix: str, limit: int) -> None:
        self.prefix = prefix
        self.limit = limit


@dataclass(frozen=True)
class Count:
    failures: int
    last_at: datetime


def pause_left(scope: Scope, count: Count | None, now: datetime) -> int:
    """Seconds until the next try is allowed (0: allowed now)."""
    if count is None or count.failures < scope.limit or now - count.last_at > WINDOW:
        return 0
    left = count.last_at + PAUSE - now
    return max(0, int(left.total_seconds() + 0.999))


def over_limit(scope: Scope, failures_now: int) -> bool:
    """After counting this try: one try too many (others came at the same moment)."""
    return failures_now > scope.limit


def minutes(seconds: int) -> int:
    """A pause as whole minutes to tell a person (at least one)."""
    return max(1, -(-seconds // 60))
