"""The callback store on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from ivr.core.callback_status import CallbackStatus
from ivr.core.errors import StorageError
from ivr.storage.callbacks import CallbackRequest, CallbackStore
from ivr.storage.database import Database
from ivr.storage.tables import callbacks

T0 = datetime(2026, 11, 22, 21, 0, tzinfo=UTC)


def request(
    call_key: str = "CA1", phone: str = "+31612345678", at: datetime = T0
) -> CallbackRequest:
    return CallbackRequest(call_key, phone, "Dagbesteding", "Vraag? Ja.", "sociaal_loket", at)


def test_add_then_list_oldest_first(store: CallbackStore) -> None:
    late = store.add(replace(request("CA2", at=T0 + timedelta(hours=1)), language="en"))
    early = store.add(request("CA1", at=T0))
    listed = store.open_requests()
    assert [r.id for r in listed] == [early, late]
    assert listed[0] == replace(request("CA1"), id=early, status=CallbackStatus.OPEN)
    assert [r.language for r in listed] == ["nl", "en"]


def test_same_call_is_one_request(store: CallbackStore) -> None:
    first = store.add(request())
    again = store.add(request(phone="+31687654321"))
    assert first == again
    assert [r.phone for r in store.open_requests()] == ["+31612345678"]


def test_typed_number_waits_for_confirmation(store: CallbackStore) -> None:
    store.hold(request(phone="+31201111111"))
    store.hold(replace(request(phone="+31202222222"), language="tr"))  # typed again: replaces
    assert store.open_requests() == []
    held = store.held("CA1")
    assert held is not None and (held.phone, held.language) == ("+31202222222", "tr")
    store.add(held)
    assert [(r.phone, r.language) for r in store.open_requests()] == [("+31202222222", "tr")]
    assert store.held("CA1") is None


def test_mark_done(store: CallbackStore) -> None:
    request_id = store.add(request())
    assert store.mark_done(request_id, T0) is True
    assert store.mark_done(request_id, T0) is False  # already done
    assert store.mark_done(request_id + 100, T0) is False
    assert store.open_requests() == []


@pytest.mark.parametrize(
    ("include_open", "gone", "left"),
    [
        pytest.param(False, 1, ["CA2", "CA3"], id="open-requests-kept"),
        pytest.param(True, 2, ["CA3"], id="include-open"),
    ],
)
def test_purge_deletes_handled_requests_older_than_the_cutoff(
    store: CallbackStore, include_open: bool, gone: int, left: list[str]
) -> None:
    old = store.add(request("CA1", at=T0 - timedelta(days=31)))
    store.mark_done(old, T0)
    store.add(request("CA2", at=T0 - timedelta(days=40)))
    store.add(request("CA3", at=T0 - timedelta(days=1)))
    assert store.claim_sms("CA1", T0 - timedelta(days=31))
    cutoff = T0 - timedelta(days=30)
    assert store.unfinished_before(cutoff) == 1
    assert store.purge(cutoff, include_open=include_open) == gone
    assert [r.call_key for r in store.open_requests()] == left
    assert store.unfinished_before(cutoff) == len(left) - 1
    assert store.claim_sms("CA1", T0)  # its SMS record went too


def test_a_released_sms_claim_can_be_claimed_again(store: CallbackStore) -> None:
    assert store.claim_sms("CA1", T0) is True
    store.release_sms("CA1")
    assert store.claim_sms("CA1", T0) is True
    assert store.claim_sms("CA1", T0) is False


def test_one_sms_per_call(store: CallbackStore) -> None:
    assert store.claim_sms("CA1", T0) is True
    assert store.claim_sms("CA1", T0) is False
    assert store.claim_sms("CA2", T0) is True


def test_unreachable_database_raises_storage_error_without_the_number() -> None:
    down = Database("postgresql+psycopg://nobody@127.0.0.1:9/nowhere")
    with pytest.raises(StorageError, match="check DATABASE_URL") as caught:
        CallbackStore(down).add(request())
    assert "612345678" not in str(caught.value)
    down.dispose()


def test_purge_drops_unconfirmed_typed_numbers_sooner(store: CallbackStore) -> None:
    store.hold(request("CA1", at=T0 - timedelta(days=2)))  # caller hung up before "ja"
    store.hold(request("CA2", at=T0 - timedelta(hours=1)))  # still on the line
    store.add(request("CA3", at=T0 - timedelta(days=2)))
    assert store.purge(T0 - timedelta(days=30), unconfirmed_before=T0 - timedelta(days=1)) == 1
    assert store.held("CA1") is None
    assert store.held("CA2") is not None
    assert [r.call_key for r in store.open_requests()] == ["CA3"]


def test_statuses_are_stored_as_the_words_they_always_were(
    store: CallbackStore, database: Database
) -> None:
    store.hold(request("CA1"))
    store.add(request("CA2"))
    store.mark_done(store.add(request("CA3")), T0)
    with database.engine.connect() as conn:
        rows = conn.execute(select(callbacks.c.call_key, callbacks.c.status)).all()
    assert sorted(tuple(row) for row in rows) == [
        ("CA1", "typed"),
        ("CA2", "open"),
        ("CA3", "done"),
    ]
    assert [type(r.status) for r in store.open_requests()] == [CallbackStatus]
