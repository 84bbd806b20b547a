"""When the operator hears of trouble: failures in a row, counted per kind of trouble. Pure.

The edges report the outcome of each try (a transfer's dial outcome per service, an SMS,
the e-mail to the helpdesk, a database call); ``FailureRuns`` counts the failures in a row and
hands an ``Alert`` to its ``raise_alert`` once a run reaches its kind's threshold, and again at
every further failure of that run (the sender limits how often an alert goes out). One success
ends the run. Counts are per process: the line runs one (``ivr.web.server``).
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ivr.core.twilio_words import DialStatus


class Trouble(enum.StrEnum):
    TRANSFER = "transfer"  # transfers to one service reach nobody
    SMS = "sms"  # the advice by SMS is not sent
    HELPDESK_MAIL = "helpdesk-mail"  # the e-mail to the helpdesk is not sent
    STORAGE = "storage"  # the database does not answer (or refuses)


# Failures in a row that raise an alert (docs/operators.md says them).
THRESHOLDS: dict[Trouble, int] = {
    Trouble.TRANSFER: 3,  # three callers in a row put through to a service reached nobody
    Trouble.SMS: 3,
    Trouble.HELPDESK_MAIL: 3,  # three tries of one notice (the first, then after 30 s, 2 min)
    Trouble.STORAGE: 3,
}
# A transfer the caller ended while it rang says nothing about the service: neither counted
# nor ending a run.
TRANSFER_NEUTRAL = frozenset({DialStatus.CANCELED.value})
TRANSFER_REACHED = "connected"  # ivr.core.call_events.dial_outcome's word for a person reached


@dataclass(frozen=True)
class Alert:
    """A run of failures: what failed (``subject``: the service of a transfer, else ""), how
    often in a row, since when, and the last failure's cause (never a number or a CallSid)."""

    trouble: Trouble
    subject: str
    failures: int
    since: datetime
    cause: str

    @property
    def key(self) -> str:
        """What the rate limit counts by: one alert per kind (and service) at a time."""
        return f"{self.trouble.value}:{self.subject}" if self.subject else self.trouble.value


@dataclass
class _Run:
    failures: int
    since: datetime


class FailureRuns:
    """Failures in a row per kind of trouble and subject; safe to call from any thread."""

    def __init__(
        self,
        clock: Callable[[], datetime],
        raise_alert: Callable[[Alert], None],
        thresholds: dict[Trouble, int] = THRESHOLDS,
    ) -> None:
        self.clock = clock
        self.raise_alert = raise_alert
        self.thresholds = thresholds
        self._runs: dict[tuple[Trouble, str], _Run] = {}
        self._lock = threading.Lock()

    def failed(self, trouble: Trouble, cause: str, subject: str = "") -> None:
        """One more failure; raises the alert once the run is long enough."""
        now = self.clock()
        with self._lock:
            run = self._runs.setdefault((trouble, subject), _Run(0, now))
            run.failures += 1
            alert = (
                Alert(trouble, subject, run.failures, run.since, cause)
                if run.failures >= self.thresholds[trouble]
                else None
            )
        if alert is not None:
            self.raise_alert(alert)

    def succeeded(self, trouble: Trouble, subject: str = "") -> None:
        """It worked: the run of failures, if any, is over."""
        if (trouble, subject) in self._runs:  # the usual case costs no lock
            with self._lock:
                self._runs.pop((trouble, subject), None)

    def transfer(self, service: str, outcome: str) -> None:
        """A transfer's outcome (``dial_outcome``'s word): a person reached, or not."""
        if outcome in TRANSFER_NEUTRAL:
            return
        if outcome == TRANSFER_REACHED:
            self.succeeded(Trouble.TRANSFER, service)
        else:
            self.failed(Trouble.TRANSFER, outcome, service)
