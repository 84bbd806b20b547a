"""When each alert was last sent (ivr.storage.alert_log): one claim wins, on SQLite and
PostgreSQL, however many workers claim at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ivr.storage.alert_log import AlertLog
from ivr.storage.database import Database
from tests.support.threads import at_once

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_a_claim_within_the_interval_says_when_it_was_sent(database: Database) -> None:
    log = AlertLog(database)
    assert log.claim("storage", NOW, HOUR) is None
    assert log.claim("storage", NOW + timedelta(minutes=59), HOUR) == NOW
    assert log.claim("transfer:markant", NOW, HOUR) is None  # another alert: its own limit
    assert log.claim("storage", NOW + HOUR, HOUR) is None
    assert log.claim("storage", NOW + HOUR, HOUR) == NOW + HOUR


def test_of_simultaneous_claims_one_wins(upgraded_url: str) -> None:
    workers = 4
    databases = [Database(upgraded_url) for _ in range(workers)]
    answers = at_once([lambda own=own: AlertLog(own).claim("sms", NOW, HOUR) for own in databases])
    for database in databases:
        database.dispose()
    assert sorted(answers, key=str) == [NOW] * (workers - 1) + [None]
