"""Which callback requests the helpdesk has not yet been e-mailed about (the notice outbox).

``notified_at`` is NULL until a notice went out. ``take`` marks the waiting requests as
notified before the e-mail is sent, so two workers do not both send; a failed send gives them
back with ``give_back``, and a later try (the next request, ``ivr callbacks notify``) sends it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from ivr.core.callback_flow import OPEN
from ivr.storage.callbacks import CallbackStore, _failed, _utc
from ivr.storage.schema import callbacks


class NoticeOutbox:
    def __init__(self, store: CallbackStore) -> None:
        self.store = store

    def take(self, now: datetime) -> tuple[list[int], int]:
        """The open requests nobody was told about yet, now marked as told; and how many
        requests are open in all (for the e-mail). ``([], n)`` when another worker took them."""
        self.store._ready()
        waiting = callbacks.c.notified_at.is_(None)
        try:
            with self.store.engine.begin() as conn:
                ids = list(
                    conn.execute(
                        select(callbacks.c.id).where(waiting, callbacks.c.status == OPEN)
                    ).scalars()
                )
                taken = []
                for request_id in ids:  # a handful at most: one per request since the last
                    changed = conn.execute(
                        update(callbacks)
                        .where(callbacks.c.id == request_id, waiting)
                        .values(notified_at=_utc(now))
                    ).rowcount
                    if changed:
                        taken.append(request_id)
                open_now = len(
                    conn.execute(select(callbacks.c.id).where(callbacks.c.status == OPEN)).all()
                )
        except SQLAlchemyError as exc:
            raise _failed("read which requests wait for an e-mail", exc) from exc
        return taken, open_now

    def give_back(self, ids: list[int], taken_at: datetime) -> None:
        """The e-mail about these requests failed: they wait for the next try."""
        if not ids:
            return
        try:
            with self.store.engine.begin() as conn:
                conn.execute(
                    update(callbacks)
                    .where(callbacks.c.id.in_(ids), callbacks.c.notified_at == _utc(taken_at))
                    .values(notified_at=None)
                )
        except SQLAlchemyError as exc:
            raise _failed("put the e-mail back in line", exc) from exc
