"""The audit trail of the worklist's CSV export: who downloaded it, when, how many requests and
the period they covered. The CSV holds every kept request with its phone number, so each
download is recorded before it is served. A row holds a staff name, times and a count, nothing
about a caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import SQLAlchemyError

from ivr.storage.database import Database, storage_error, utc
from ivr.storage.tables import csv_downloads

RECENT = 50  # downloads ``ivr staff downloads`` shows by default, newest first


@dataclass(frozen=True)
class Download:
    at: datetime
    staff: str
    requests: int
    first_requested_at: datetime | None  # the period the requests covered; None: there were none
    last_requested_at: datetime | None


class DownloadLog:
    def __init__(self, database: Database) -> None:
        self.database = database

    def record(self, download: Download) -> None:
        """StorageError when the database does not answer (the CSV is then not served)."""
        self.database.ready()
        values = {
            "at": utc(download.at),
            "staff": download.staff,
            "requests": download.requests,
            "first_requested_at": _utc(download.first_requested_at),
            "last_requested_at": _utc(download.last_requested_at),
        }
        try:
            with self.database.engine.begin() as conn:
                conn.execute(insert(csv_downloads).values(**values))
        except SQLAlchemyError as exc:
            raise storage_error("record the CSV download", exc) from exc

    def recent(self, limit: int = RECENT) -> list[Download]:
        """The last ``limit`` downloads, newest first."""
        self.database.ready()
        row = csv_downloads.c
        query = select(csv_downloads).order_by(row.at.desc(), row.id.desc()).limit(limit)
        try:
            with self.database.engine.connect() as conn:
                found = conn.execute(query).all()
        except SQLAlchemyError as exc:
            raise storage_error("read the CSV downloads", exc) from exc
        return [
            Download(
                utc(r.at),
                r.staff,
                r.requests,
                _utc(r.first_requested_at),
                _utc(r.last_requested_at),
            )
            for r in found
        ]


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else utc(moment)
