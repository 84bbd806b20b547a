"""When each kind of alert last went to the operator: one alert per kind and interval, however
many workers (or dynos) see the same trouble.

``claim`` is atomic: of two workers claiming the same alert at once, one sends it. A row holds
an alert's key (``ivr.core.alerts.Alert.key``) and a time, nothing about a caller.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ivr.storage.database import Database, storage_error, utc
from ivr.storage.tables import alerts_sent


class AlertLog:
    def __init__(self, database: Database) -> None:
        self.database = database

    def claim(self, key: str, now: datetime, interval: timedelta) -> datetime | None:
        """Take the right to send alert ``key`` now: None when this worker sends it; otherwise
        when it was last sent (less than ``interval`` ago). StorageError when the database
        does not answer."""
        self.database.ready()
        row = alerts_sent.c
        try:
            try:
                with self.database.engine.begin() as conn:
                    taken = conn.execute(
                        update(alerts_sent)
                        .where(row.alert == key, row.sent_at <= utc(now - interval))
                        .values(sent_at=utc(now))
                    ).rowcount
                    if taken:
                        return None
                    last = conn.execute(select(row.sent_at).where(row.alert == key)).scalar()
                    if last is not None:
                        return utc(last)
                    conn.execute(insert(alerts_sent).values(alert=key, sent_at=utc(now)))
                    return None
            except IntegrityError:  # another worker made the row first: it sends
                with self.database.engine.connect() as conn:
                    last = conn.execute(select(row.sent_at).where(row.alert == key)).scalar_one()
                return utc(last)
        except SQLAlchemyError as exc:
            raise storage_error("read when the alert was last sent", exc) from exc
