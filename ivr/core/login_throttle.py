"""When failed logins make the staff console pause: per account and per address. Pure.

Several wrong passwords in a row for one account, or from one address, and the next try must
wait a while; the pause ends by itself. The answer is the same whether the account exists.
"""

from __future__ import annotations

from datetime import datetime, timedelta

FAILURES_BEFORE_PAUSE = 5
PAUSE = timedelta(minutes=5)
# Failures further apart than this do not add up.
WINDOW = timedelta(minutes=15)


def pause_left(failures: int, last_at: datetime | None, now: datetime) -> int:
    """Seconds until the next try is allowed (0: allowed now)."""
    if last_at is None or failures < FAILURES_BEFORE_PAUSE:
        return 0
    left = last_at + PAUSE - now
    return max(0, int(left.total_seconds() + 0.999))


def failures_after_one_more(failures: int, last_at: datetime | None, now: datetime) -> int:
    """The count after another failure: a failure long after the last one starts again."""
    if last_at is None or now - last_at > WINDOW:
        return 1
    return failures + 1


def minutes(seconds: int) -> int:
    """A pause as whole minutes to tell a person (at least one)."""
    return max(1, -(-seconds // 60))
