"""The call figures never cost a caller anything: queued in memory, written in batches, a failed
write logged and kept, a full queue dropping the oldest marks."""

from __future__ import annotations

import time
from collections.abc import Sequence

import pytest
from flask import Flask

from ivr.core.call_marks import Kind, Mark, call_key, dial_outcome
from ivr.core.errors import StorageError
from ivr.storage.call_records import Noted
from ivr.web.recorder import Recorder
from tests.support.calls import Caller
from tests.support.clock import OPEN_TIME

START = Mark(Kind.START, node="acuut")


class Records:
    """A stand-in for ``CallRecordStore``: fails while ``down``."""

    def __init__(self) -> None:
        self.written: list[Noted] = []
        self.down = False

    def write(self, marks: Sequence[Noted]) -> None:
        if self.down:
            raise StorageError("cannot store call marks (OperationalError)")
        self.written.extend(marks)


@pytest.fixture
def records() -> Records:
    return Records()


def recorder(records: Records, limit: int = 100) -> Recorder:
    return Recorder(records, interval=3600, batch=1000, limit=limit)  # type: ignore[arg-type]


def test_marks_wait_in_memory_until_the_batch_is_written(records: Records) -> None:
    found = recorder(records)
    found.note("k1", OPEN_TIME, START)
    found.note("k2", OPEN_TIME, START)
    assert records.written == []
    assert found.flush() == 2
    assert [key for key, _, _ in records.written] == ["k1", "k2"]
    assert found.flush() == 0
    found.close()


def test_a_failed_write_is_logged_and_the_marks_kept_for_the_next(
    records: Records, caplog: pytest.LogCaptureFixture
) -> None:
    found = recorder(records)
    found.note("k1", OPEN_TIME, START)
    records.down = True
    assert found.flush() == 0
    assert "call figures not written (1 marks kept for later, failure 1)" in caplog.text
    records.down = False
    found.note("k2", OPEN_TIME, START)
    assert found.flush() == 2
    assert [key for key, _, _ in records.written] == ["k1", "k2"]
    found.close()


def test_a_full_queue_drops_the_oldest_marks_and_says_so(
    records: Records, caplog: pytest.LogCaptureFixture
) -> None:
    found = recorder(records, limit=3)
    for n in range(5):
        found.note(f"k{n}", OPEN_TIME, START)
    assert found.dropped == 2
    assert "call figures: queue full, 1 marks dropped" in caplog.text
    found.flush()
    assert [key for key, _, _ in records.written] == ["k2", "k3", "k4"]
    found.close()


def test_marks_kept_after_a_failure_are_bounded_too(records: Records) -> None:
    found = recorder(records, limit=3)
    records.down = True
    for n in range(3):
        found.note(f"k{n}", OPEN_TIME, START)
    found.flush()
    for n in range(3, 6):
        found.note(f"k{n}", OPEN_TIME, START)
    found.flush()  # six marks, room for three: the oldest three go
    assert found.dropped == 3
    records.down = False
    assert found.flush() == 3
    assert [key for key, _, _ in records.written] == ["k3", "k4", "k5"]
    found.close()


def test_the_writer_thread_writes_without_being_asked(records: Records) -> None:
    found = Recorder(records, interval=0.05, batch=1000)  # type: ignore[arg-type]
    found.note("k1", OPEN_TIME, START)
    for _ in range(250):  # up to 5 s on a busy machine
        if records.written:
            break
        time.sleep(0.02)
    assert [key for key, _, _ in records.written] == ["k1"]
    found.close()


def test_a_recorder_that_fails_does_not_touch_the_call(
    app: Flask, caller: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken(list[Noted]):
        maxlen = 10

        def append(self, _: Noted) -> None:
            raise RuntimeError("the figures broke")

    monkeypatch.setattr(app.extensions["ivr_recorder"], "_queue", Broken())
    reply = caller.post("/voice")
    assert (reply.status, reply.verbs()) == (200, ["Say", "Say", "Gather", "Redirect"])
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
