"""The call figures never cost a caller anything: call events queued in memory, written in
batches, a failed write logged and kept, a full queue dropping the oldest events."""

from __future__ import annotations

import time
from collections.abc import Sequence

import pytest
from flask import Flask

from ivr.core.call_events import CallEvent, EventKind, KeyedEvent, call_key, dial_outcome
from ivr.core.errors import StorageError
from ivr.web.event_queue import EventQueue
from tests.support.calls import Caller
from tests.support.clock import OPEN_TIME

START = CallEvent(EventKind.START, node="acuut")


class Store:
    """A stand-in for ``FiguresStore``: fails while ``down``."""

    def __init__(self) -> None:
        self.written: list[KeyedEvent] = []
        self.down = False

    def write(self, events: Sequence[KeyedEvent]) -> None:
        if self.down:
            raise StorageError("cannot store call events (OperationalError)")
        self.written.extend(events)


@pytest.fixture
def store() -> Store:
    return Store()


def queue(store: Store, limit: int = 100) -> EventQueue:
    return EventQueue(store, interval=3600, batch=1000, limit=limit)  # type: ignore[arg-type]


def test_events_wait_in_memory_until_the_batch_is_written(store: Store) -> None:
    found = queue(store)
    found.add("k1", OPEN_TIME, START)
    found.add("k2", OPEN_TIME, START)
    assert store.written == []
    assert found.flush() == 2
    assert [key for key, _, _ in store.written] == ["k1", "k2"]
    assert found.flush() == 0
    found.close()


def test_a_failed_write_is_logged_and_the_events_kept_for_the_next(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    found = queue(store)
    found.add("k1", OPEN_TIME, START)
    store.down = True
    assert found.flush() == 0
    assert "call figures not written (1 events kept for later, failure 1)" in caplog.text
    store.down = False
    found.add("k2", OPEN_TIME, START)
    assert found.flush() == 2
    assert [key for key, _, _ in store.written] == ["k1", "k2"]
    found.close()


def test_a_full_queue_drops_the_oldest_events_and_says_so(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    found = queue(store, limit=3)
    for n in range(5):
        found.add(f"k{n}", OPEN_TIME, START)
    assert found.dropped == 2
    assert "call figures: queue full, 1 events dropped" in caplog.text
    found.flush()
    assert [key for key, _, _ in store.written] == ["k2", "k3", "k4"]
    found.close()


def test_events_kept_after_a_failure_are_bounded_too(store: Store) -> None:
    found = queue(store, limit=3)
    store.down = True
    for n in range(3):
        found.add(f"k{n}", OPEN_TIME, START)
    found.flush()
    for n in range(3, 6):
        found.add(f"k{n}", OPEN_TIME, START)
    found.flush()  # six events, room for three: the oldest three go
    assert found.dropped == 3
    store.down = False
    assert found.flush() == 3
    assert [key for key, _, _ in store.written] == ["k3", "k4", "k5"]
    found.close()


def test_the_writer_thread_writes_without_being_asked(store: Store) -> None:
    found = EventQueue(store, interval=0.05, batch=1000)  # type: ignore[arg-type]
    found.add("k1", OPEN_TIME, START)
    for _ in range(250):  # up to 5 s on a busy machine
        if store.written:
            break
        time.sleep(0.02)
    assert [key for key, _, _ in store.written] == ["k1"]
    found.close()


def test_a_full_batch_wakes_the_writer_before_its_interval(store: Store) -> None:
    found = EventQueue(store, interval=3600, batch=3)  # type: ignore[arg-type]
    for key in ("k1", "k2"):
        found.add(key, OPEN_TIME, START)
    time.sleep(0.2)
    assert store.written == []  # below a batch: the writer waits for its interval
    found.add("k3", OPEN_TIME, START)
    for _ in range(250):  # up to 5 s on a busy machine
        if store.written:
            break
        time.sleep(0.02)
    assert [key for key, _, _ in store.written] == ["k1", "k2", "k3"]
    found.close()


def test_a_queue_that_fails_does_not_touch_the_call(
    app: Flask, caller: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken(list[KeyedEvent]):
        maxlen = 10

        def append(self, _: KeyedEvent) -> None:
            raise RuntimeError("the figures broke")

    monkeypatch.setattr(app.extensions["ivr_event_queue"], "_queue", Broken())
    reply = caller.post("/voice")
    assert (reply.status, reply.verbs()) == (200, ["Gather", "Gather", "Redirect"])
    assert caller.post(reply.next_url(), Digits="2").verbs() == ["Gather", "Redirect"]


def test_the_pseudonym_is_keyed() -> None:
    sid = "CA00000000000000000000000000000001"
    assert call_key(b"k" * 32, sid) == call_key(b"k" * 32, sid)
    assert call_key(b"k" * 32, sid) != call_key(b"j" * 32, sid)
    assert len(call_key(b"k" * 32, sid)) == 32 and sid not in call_key(b"k" * 32, sid)


@pytest.mark.parametrize(
    ("status", "bridged", "outcome"),
    [
        pytest.param("completed", True, "connected", id="completed"),
        pytest.param("completed", None, "connected", id="completed-no-bridged"),
        pytest.param("answered", False, "declined", id="declined"),
        pytest.param("busy", None, "busy", id="busy"),
        pytest.param("surprise", None, "no-answer", id="unknown"),
    ],
)
def test_dial_outcome(status: str, bridged: bool | None, outcome: str) -> None:
    assert dial_outcome(status, bridged) == outcome
