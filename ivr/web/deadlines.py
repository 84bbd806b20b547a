"""Every outside call a webhook makes ends within its share of Twilio's budget.

Twilio waits 15 seconds for a webhook, then speaks an English error; the line answers within
about 5. A driver's own timeouts do not cover every way an outside party can hang (a frozen
PostgreSQL server still accepts TCP, so neither ``statement_timeout`` nor TCP keepalives fire;
a DNS lookup ignores the HTTP timeout). So each call runs on a small thread pool and the webhook
waits at most ``seconds`` for it: after that it gets the domain error (StorageError, SmsError)
and the flow speaks its Dutch apology with the helpdesk number.

A call that has started cannot be stopped: it finishes in the background once the outside party
answers. A callback request written that late stays an *open* request in the database (the staff
list shows it), although the caller heard that it failed: found later, never silently lost. A
call still queued when its time is up is cancelled and never runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime
from typing import TypeVar

from ivr.core.alerts import FailureRuns, Trouble
from ivr.core.callback_request import CallbackRequest
from ivr.core.errors import IvrError, SmsError, StorageError
from ivr.outbound.sms import SmsSender
from ivr.storage.callbacks import CallbackStore

log = logging.getLogger(__name__)
T = TypeVar("T")

DATABASE_SECONDS = 2.0  # one statement (with pool checkout and connect); a webhook makes 1 or 2
SMS_SECONDS = 3.0  # the REST call to Twilio's Messages API
# Threads per process: while the database hangs, at most this many calls wait on it; more
# queue, and are cancelled when their time is up.
DATABASE_THREADS = 8
SMS_THREADS = 8


class Deadline:
    """Runs calls on its own threads; the caller waits ``seconds`` at most."""

    def __init__(
        self, what: str, seconds: float, threads: int, error: Callable[[str], IvrError]
    ) -> None:
        self.what = what
        self.seconds = seconds
        self.error = error
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=f"ivr-{what}")

    def call(self, fn: Callable[..., T], *args: object) -> T:
        future = self._pool.submit(fn, *args)
        try:
            return future.result(timeout=self.seconds)
        except FutureTimeout:
            started = not future.cancel()
            # WARNING, not ERROR: while an outside party is down every webhook misses its
            # deadline, and the operator hears of that once, by the alert (ivr.core.alerts),
            # not by one Sentry event per call.
            log.warning(
                "%s did not answer within %g s (%s)",
                self.what,
                self.seconds,
                "left to finish in the background" if started else "cancelled before it ran",
            )
            raise self.error(f"{self.what} did not answer within {self.seconds:g} s") from None

    def counted(
        self,
        failure_runs: FailureRuns | None,
        trouble: Trouble,
        fn: Callable[..., T],
        *args: object,
    ) -> T:
        """``call``, its outcome told to ``failure_runs`` (the operator's alerts)."""
        if failure_runs is None:
            return self.call(fn, *args)
        try:
            found = self.call(fn, *args)
        except IvrError as exc:
            failure_runs.failed(trouble, str(exc))
            raise
        failure_runs.succeeded(trouble)
        return found


class TimedStore:
    """The callback store as the call flows use it, each call within DATABASE_SECONDS."""

    def __init__(
        self,
        store: CallbackStore,
        seconds: float = DATABASE_SECONDS,
        failure_runs: FailureRuns | None = None,
    ) -> None:
        self.store = store
        self.deadline = Deadline("the database", seconds, DATABASE_THREADS, StorageError)
        self.failure_runs = failure_runs

    def hold(self, request: CallbackRequest) -> None:
        self._call(self.store.hold, request)

    def held(self, call_key: str) -> CallbackRequest | None:
        return self._call(self.store.held, call_key)

    def add(self, request: CallbackRequest) -> int:
        return self._call(self.store.add, request)

    def claim_sms(self, call_key: str, now: datetime) -> bool:
        return self._call(self.store.claim_sms, call_key, now)

    def release_sms(self, call_key: str) -> None:
        self._call(self.store.release_sms, call_key)

    def _call(self, fn: Callable[..., T], *args: object) -> T:
        return self.deadline.counted(self.failure_runs, Trouble.STORAGE, fn, *args)


class TimedSender:
    """Twilio's REST client within SMS_SECONDS, whatever hangs (DNS, connect, a slow reply)."""

    def __init__(
        self,
        sender: SmsSender,
        seconds: float = SMS_SECONDS,
        failure_runs: FailureRuns | None = None,
    ) -> None:
        self.sender = sender
        self.deadline = Deadline("Twilio's SMS API", seconds, SMS_THREADS, SmsError)
        self.failure_runs = failure_runs

    def send(self, to: str, body: str, call_key: str) -> str:
        return self.deadline.counted(
            self.failure_runs, Trouble.SMS, self.sender.send, to, body, call_key
        )
