"""Waiting for the operator's alerts to be sent: what went out is then known, without sleeping."""

from __future__ import annotations

import threading
import time

from ivr.outbound.alert_mail import THREAD_NAME


def settle(seconds: float = 5.0) -> None:
    """Wait until no alert is being sent. A webhook that raises an alert starts the sending
    thread before it answers, and a thread that sees another alert queued starts the next one
    before it ends."""
    deadline = time.monotonic() + seconds
    while running := [t for t in threading.enumerate() if t.name == THREAD_NAME]:
        for thread in running:
            thread.join(max(0.0, deadline - time.monotonic()))
        assert time.monotonic() < deadline, "an alert is still being sent"
