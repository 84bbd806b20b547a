"""The operator's alerts in tests: an alert as raised, the services' names, and waiting for the
alerts to be sent (what went out is then known, without sleeping)."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

from ivr.core.alerts import Alert, Trouble
from ivr.outbound.alert_mail import THREAD_NAME
from tests.support.clock import OPEN_TIME

HOUR = timedelta(hours=1)
NAMES = {"markant": "de helpdesk van Markant"}


def alert(trouble: Trouble, subject: str = "", cause: str = "OperationalError") -> Alert:
    return Alert(trouble, subject, 4, datetime(2026, 11, 23, 9, 2, tzinfo=OPEN_TIME.tzinfo), cause)


def settle(seconds: float = 5.0) -> None:
    """Wait until no alert is being sent. A webhook that raises an alert starts the sending
    thread before it answers, and a thread that sees another alert queued starts the next one
    before it ends."""
    deadline = time.monotonic() + seconds
    while running := [t for t in threading.enumerate() if t.name == THREAD_NAME]:
        for thread in running:
            thread.join(max(0.0, deadline - time.monotonic()))
        assert time.monotonic() < deadline, "an alert is still being sent"
