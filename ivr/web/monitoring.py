"""What operators see of the line's health: ``/healthz``, ``/healthz/storage`` and the alerts.

``/healthz`` is the liveness check: the process answers (a load balancer keeps it in rotation
whatever fails behind it, since the line answers callers without its database).
``/healthz/storage`` is for uptime monitors: 200 when the database answers with the tables at
this code's version, 503 when not, within ``HEALTH_SECONDS`` even when the database hangs
(``ivr.web.deadlines``). Neither needs a login; neither says more than "ok" or "unavailable".

Since anyone may ask, asking costs the line almost nothing: one request at a time asks the
database (and waits, at most ``HEALTH_SECONDS``); the answer is kept for ``KEPT_SECONDS``, and
every other request meanwhile gets the last answer at once. A flood of probes while the
database hangs therefore holds one of the server's threads, never all of them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime

from flask import Flask, Response

from ivr.config.alerts import AlertSettings
from ivr.core.alerts import FailureRuns, Trouble
from ivr.core.errors import StorageError
from ivr.outbound.alert_mail import AlertSender
from ivr.storage.alert_log import AlertLog
from ivr.storage.database import Database
from ivr.web.deadlines import DATABASE_SECONDS, Deadline

HEALTH_SECONDS = 2.0  # the 503 comes within this (uptime monitors often wait 3 s or more)
KEPT_SECONDS = 2.0  # an answer is given again for this long without asking the database


def count_failures(
    settings: AlertSettings,
    database: Database,
    names: Mapping[str, str],
    clock: Callable[[], datetime],
) -> FailureRuns:
    """The failure runs the edges report to, and the alerts they raise: sent by e-mail at most once
    per interval across all workers (the database decides, within its deadline)."""
    alert_log = AlertLog(database)
    deadline = Deadline("the database", DATABASE_SECONDS, 1, StorageError)
    sender = AlertSender(
        settings,
        lambda key, now, interval: deadline.call(alert_log.claim, key, now, interval),
        names,
        clock,
    )
    return FailureRuns(clock, sender.raise_alert)


class StorageHealth:
    """Whether the database answers: asked by one request at a time, the answer kept a while."""

    def __init__(self, database: Database, failure_runs: FailureRuns) -> None:
        self.database = database
        self.failure_runs = failure_runs
        # One thread: a probe stuck on a hung database makes the next one wait its turn and
        # time out; only the one request holding ``_asking`` ever waits.
        self._deadline = Deadline("the database", HEALTH_SECONDS, 1, StorageError)
        self._asking = threading.Lock()
        self._kept = (float("-inf"), False)  # (time.monotonic() when asked, the answer)

    def answers(self) -> bool:
        asked, answer = self._kept
        if time.monotonic() - asked < KEPT_SECONDS:
            return answer
        if not self._asking.acquire(blocking=False):
            return answer  # another request is asking right now: the last answer
        try:
            try:
                self._deadline.counted(
                    self.failure_runs, Trouble.STORAGE, self.database.check_schema
                )
                answer = True
            except StorageError:
                answer = False
            self._kept = (time.monotonic(), answer)
            return answer
        finally:
            self._asking.release()


def init_app(app: Flask, database: Database, failure_runs: FailureRuns) -> None:
    health = StorageHealth(database, failure_runs)

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    @app.get("/healthz/storage")
    def healthz_storage() -> Response:
        if health.answers():
            return Response("ok\n", mimetype="text/plain")
        return Response("unavailable\n", 503, mimetype="text/plain")
