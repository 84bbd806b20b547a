"""When each alert was last sent (ivr.storage.alert_log): one claim wins, on SQLite and
PostgreSQL, however many workers claim at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from ivr.storage.alert_log import AlertLog
from ivr.storage.database import Database

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
    together = threading.Barrier(workers)
    answers: list[datetime | None] = []

    def claim(database: Database) -> None:
        together.wait()
        answers.append(AlertLog(database).claim("sms", NOW, HOUR))

    threads = [threading.Thread(target=claim, args=(database,)) for database in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for database in databases:
        database.dispose()
    assert sorted(answers, key=str) == [NOW] * (workers - 1) + [None]
