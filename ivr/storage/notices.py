"""Which callback requests the helpdesk has not yet been e-mailed about (the notice outbox).

``notified_at`` is NULL until a notice about the request went out. A worker that sends one first
takes the requests (``notice_taken_at``, a lease), so two workers do not both send; ``sent``
marks them notified, ``give_back`` returns them after a failed send, and a lease older than
``LEASE`` (its worker died mid-send) is taken again: a duplicate e-mail rather than none.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from ivr.core.callback_status import CallbackStatus
from ivr.storage.database import Database, storage_error, utc
from ivr.storage.tables import callbacks

LEASE = timedelta(minutes=5)  # far longer than one SMTP exchange with its deadlines
# A request waiting this long for its e-mail: the console says the e-mail is failing.
OVERDUE = timedelta(minutes=15)


class NoticeOutbox:
    def __init__(self, database: Database) -> None:
        self.database = database

    def take(self, now: datetime) -> tuple[list[int], int]:
        """The open requests nobody was told about yet, now taken by this worker; and how many
        requests are open in all (for the e-mail). ``([], n)``: nothing to send."""
        self.database.ready()
        row = callbacks.c
        free = or_(row.notice_taken_at.is_(None), row.notice_taken_at < utc(now - LEASE))
        waiting = (row.notified_at.is_(None), row.status == CallbackStatus.OPEN, free)
        try:
            with self.database.engine.begin() as conn:
                ids = list(conn.execute(select(row.id).where(*waiting)).scalars())
                taken = [  # a handful at most: one per request since the last e-mail
                    request_id
                    for request_id in ids
                    if conn.execute(
                        update(callbacks)
                        .where(row.id == request_id, *waiting)
                        .values(notice_taken_at=utc(now))
                    ).rowcount
                ]
                open_now = conn.execute(
                    select(func.count())
                    .select_from(callbacks)
                    .where(row.status == CallbackStatus.OPEN)
                ).scalar_one()
        except SQLAlchemyError as exc:
            raise storage_error("read which requests wait for an e-mail", exc) from exc
        return taken, int(open_now)

    def overdue(self, now: datetime) -> int:
        """Open requests whose e-mail is more than ``OVERDUE`` late (sending keeps failing)."""
        self.database.ready()
        row = callbacks.c
        query = (
            select(func.count())
            .select_from(callbacks)
            .where(
                row.status == CallbackStatus.OPEN,
                row.notified_at.is_(None),
                row.requested_at < utc(now - OVERDUE),
            )
        )
        try:
            with self.database.engine.connect() as conn:
                return int(conn.execute(query).scalar_one())
        except SQLAlchemyError as exc:
            raise storage_error("read which e-mails are late", exc) from exc

    def sent(self, ids: list[int], now: datetime) -> None:
        """The e-mail about these requests went out."""
        self._set(ids, "mark the e-mail as sent", notified_at=utc(now))

    def give_back(self, ids: list[int], taken_at: datetime) -> None:
        """The e-mail about these requests failed: they wait for the next try."""
        self._set(ids, "put the e-mail back in line", notice_taken_at=None)

    def _set(self, ids: list[int], what: str, **values: object) -> None:
        if not ids:
            return
        try:
            with self.database.engine.begin() as conn:
                conn.execute(update(callbacks).where(callbacks.c.id.in_(ids)).values(**values))
        except SQLAlchemyError as exc:
            raise storage_error(what, exc) from exc
