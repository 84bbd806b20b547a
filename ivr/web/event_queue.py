"""Call events on their way to the database, without costing a caller anything.

A webhook only appends its event to a queue in memory (``add``: no I/O, no lock held for long).
One background thread per process writes the queue in batches: every ``interval`` seconds, or
sooner once ``batch`` events wait. A failed write is logged and tried again with the next batch;
the queue is bounded, so a database that stays down costs the oldest events, never memory and
never a call. Events still queued when a worker exits normally are written on the way out; a
worker killed hard loses at most one interval of figures (never a callback request: those are
written by the webhook itself).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import weakref
from collections import deque
from datetime import datetime

from ivr.core.call_events import CallEvent, KeyedEvent
from ivr.storage.call_figures import FiguresStore

log = logging.getLogger(__name__)
INTERVAL = 1.0  # seconds between writes
BATCH = 1000  # events that wake the writer before its interval is up
LIMIT = 50_000  # events kept while the database is away (about a day of calls)


class EventQueue:
    def __init__(
        self,
        store: FiguresStore,
        interval: float = INTERVAL,
        batch: int = BATCH,
        limit: int = LIMIT,
    ) -> None:
        self.store = store
        self.interval = interval
        self.batch = batch
        self._queue: deque[KeyedEvent] = deque(maxlen=limit)
        self._wake = threading.Event()
        self._write_lock = threading.Lock()
        self._pid: int | None = None  # whose writer thread runs (a server may fork after loading)
        self.dropped = 0
        self.failures = 0  # writes failed in a row
        self._unwritten: list[KeyedEvent] = []  # a failed write's: written first next time
        # Weak references: a queue nobody uses any more (a test's app) is not kept alive.
        atexit.register(_flush_at_exit, weakref.ref(self))

    def add(self, call_key: str, at: datetime, event: CallEvent) -> None:
        """Queue a call event; never raises, never waits on the database."""
        try:
            if len(self._queue) == self._queue.maxlen:
                self.dropped += 1
                if self.dropped in (1, 100) or self.dropped % 10_000 == 0:
                    log.error("call figures: queue full, %d events dropped", self.dropped)
            self._queue.append((call_key, at, event))
            if self._pid != os.getpid():
                self._start()
            if len(self._queue) == self.batch:  # once, as the queue reaches a batch
                self._wake.set()
        except Exception:  # figures are never worth a caller's call
            log.exception("call figures: an event could not be queued")

    def flush(self) -> int:
        """Write every queued event now; returns how many were written (0 after a failure)."""
        with self._write_lock:
            taken, self._unwritten = self._unwritten, []
            while self._queue:
                taken.append(self._queue.popleft())
            if not taken:
                return 0
            try:
                self.store.write(taken)
            except Exception as exc:  # StorageError, or anything else: logged, kept, tried again
                self._keep(taken)
                self.failures += 1
                if self.failures in (1, 10) or self.failures % 600 == 0:  # not every second
                    log.error(
                        "call figures not written (%d events kept for later, failure %d): %s",
                        len(taken),
                        self.failures,
                        exc,
                    )
                return 0
            if self.failures:
                log.info("call figures written again after %d failures", self.failures)
                self.failures = 0
            return len(taken)

    def _keep(self, taken: list[KeyedEvent]) -> None:
        """Keep events that were not written for the next write; the oldest go beyond the limit."""
        limit = self._queue.maxlen or len(taken)
        self.dropped += max(0, len(taken) - limit)
        self._unwritten = taken[-limit:]

    def close(self) -> None:
        """Stop the writer thread and write what is queued (a test's app, before its database
        goes)."""
        self._pid = None
        self._wake.set()
        self.flush()

    def _start(self) -> None:
        self._pid = os.getpid()
        args = (weakref.ref(self), self._pid, self._wake, self.interval)
        threading.Thread(target=_write_on, args=args, name="ivr-event-queue", daemon=True).start()


def _write_on(
    ref: weakref.ref[EventQueue], pid: int, wake: threading.Event, interval: float
) -> None:
    """The writer thread: flushes every interval while its queue lives in this process."""
    while True:
        wake.wait(interval)
        wake.clear()
        queue = ref()
        if queue is None or queue._pid != pid:
            return
        queue.flush()
        del queue


def _flush_at_exit(ref: weakref.ref[EventQueue]) -> None:
    queue = ref()
    if queue is not None:
        queue.flush()


class NoEventQueue:
    """The event sink of a line that keeps no call figures (``CALL_FIGURES=0``)."""

    def add(self, call_key: str, at: datetime, event: CallEvent) -> None:
        return None

    def flush(self) -> int:
        return 0

    def close(self) -> None:
        return None
