"""What operators see of the line's health: ``/healthz``, ``/healthz/storage`` and the alerts.

``/healthz`` is the liveness check: the process answers (a load balancer keeps it in rotation
whatever fails behind it, since the line answers callers without its database).
``/healthz/storage`` is for uptime monitors: 200 when the database answers with the tables at
this code's version, 503 when not, within ``HEALTH_SECONDS`` even when the database hangs
(``ivr.web.deadlines``). Neither needs a login; neither says more than "ok" or "unavailable".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from flask import Flask, Response

from ivr.config.alerts import AlertSettings
from ivr.core.alerts import Trouble, Watch
from ivr.core.errors import StorageError
from ivr.outbound.alert_mail import AlertSender
from ivr.storage.alert_log import AlertLog
from ivr.storage.database import Database
from ivr.web.deadlines import DATABASE_SECONDS, Deadline

HEALTH_SECONDS = 2.0  # the 503 comes within this (uptime monitors often wait 3 s or more)
HEALTH_THREADS = 2  # probes waiting on a hung database at most; more queue, 503 in time too


def watch_line(
    settings: AlertSettings,
    database: Database,
    names: Mapping[str, str],
    clock: Callable[[], datetime],
) -> Watch:
    """The watch the edges report to, and the alerts it raises: sent by e-mail at most once
    per interval across all workers (the database decides, within its deadline)."""
    alert_log = AlertLog(database)
    deadline = Deadline("the database", DATABASE_SECONDS, 1, StorageError)
    sender = AlertSender(
        settings,
        lambda key, now, interval: deadline.call(alert_log.claim, key, now, interval),
        names,
        clock,
    )
    return Watch(clock, sender.raise_alert)


def init_app(app: Flask, database: Database, watch: Watch) -> None:
    probe = Deadline("the database", HEALTH_SECONDS, HEALTH_THREADS, StorageError)

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    @app.get("/healthz/storage")
    def healthz_storage() -> Response:
        try:
            probe.watched(watch, Trouble.STORAGE, database.check_schema)
        except StorageError:
            return Response("unavailable\n", 503, mimetype="text/plain")
        return Response("ok\n", mimetype="text/plain")
