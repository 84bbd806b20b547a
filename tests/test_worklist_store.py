"""The worklist in the database (SQLite and PostgreSQL): claims, races, attempts, audit, purge;
actions on all open requests from one number; whether the number was typed."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ivr.core.callback_request import CallbackRequest
from ivr.core.worklist import Action, Result, spreadsheet_safe
from ivr.storage.callbacks import CallbackStore
from ivr.storage.database import Database
from ivr.storage.notices import LEASE, NoticeOutbox
from ivr.storage.tables import callback_events
from ivr.storage.worklist import Worklist
from tests.support.clock import OPEN_TIME
from tests.support.threads import at_once

LATER = OPEN_TIME + timedelta(minutes=5)


def request(n: int, minutes: int = 0) -> CallbackRequest:
    return CallbackRequest(
        call_key=f"CA{n:032d}",
        phone=f"+316{n:08d}",
        reached="Logeeropvang",
        answers="Is het thuis? Ja.",
        service="markant",
        requested_at=OPEN_TIME + timedelta(minutes=minutes),
    )


@pytest.fixture
def worklist(database: Database) -> Worklist:
    return Worklist(database, max_attempts=3)


def test_open_items_oldest_first_with_their_events(
    store: CallbackStore, worklist: Worklist
) -> None:
    second, first = store.add(request(2, minutes=9)), store.add(request(1, minutes=1))
    worklist.note(first, "anna", LATER, "voicemail")
    items = worklist.open_items()
    assert [item.id for item in items] == [first, second]
    assert [(e.staff, e.action, e.note) for e in items[0].events] == [
        ("anna", Action.NOTE, "voicemail")
    ]
    assert items[0].phone == "+31600000001"
    assert "phone" not in repr(items[0])
    assert worklist.open_count() == 2


def test_a_typed_number_not_yet_confirmed_is_not_on_the_worklist(
    store: CallbackStore, worklist: Worklist
) -> None:
    store.hold(request(1))
    assert worklist.open_items() == []
    assert worklist.claim(1, "anna", LATER).result is Result.NOT_FOUND


def test_claims_done_and_history(store: CallbackStore, worklist: Worklist) -> None:
    rid = store.add(request(1))
    assert worklist.claim(rid, "anna", LATER).ok
    assert worklist.claim(rid, "anna", LATER).result is Result.CLAIMED_BY_YOU
    refused = worklist.claim(rid, "ben", LATER)
    assert (refused.result, refused.by) == (Result.CLAIMED_BY_OTHER, "anna")
    assert worklist.done(rid, "ben", LATER).result is Result.CLAIMED_BY_OTHER
    assert worklist.release(rid, "ben", LATER).result is Result.CLAIMED_BY_OTHER
    assert worklist.take_over(rid, "ben", LATER).ok
    assert worklist.done(rid, "ben", LATER).ok
    closed = worklist.done(rid, "anna", LATER)
    assert (closed.result, closed.by) == (Result.CLOSED, "ben")
    assert worklist.open_items() == []
    [item] = worklist.history()
    assert (item.status, item.closed_by, item.closed_at) == ("done", "ben", LATER)
    assert [e.action for e in item.events] == [Action.CLAIM, Action.TAKE_OVER, Action.DONE]


def test_release_frees_the_claim(store: CallbackStore, worklist: Worklist) -> None:
    rid = store.add(request(1))
    assert worklist.release(rid, "anna", LATER).result is Result.NOT_CLAIMED
    worklist.claim(rid, "anna", LATER)
    assert worklist.release(rid, "anna", LATER).ok
    assert worklist.claim(rid, "ben", LATER).ok


def test_attempts_release_the_claim_and_the_last_one_closes(
    store: CallbackStore, worklist: Worklist
) -> None:
    rid = store.add(request(1))
    worklist.claim(rid, "anna", LATER)
    first = worklist.not_reached(rid, "anna", LATER)
    assert (first.action, first.attempts) == (Action.ATTEMPT, 1)
    [item] = worklist.open_items()
    assert (item.claimed_by, item.attempts, item.last_attempt_at) == (None, 1, LATER)
    worklist.not_reached(rid, "ben", LATER)
    last = worklist.not_reached(rid, "anna", LATER)
    assert (last.action, last.attempts) == (Action.UNREACHED, 3)
    assert worklist.not_reached(rid, "anna", LATER).result is Result.CLOSED
    [closed] = worklist.history()
    assert (closed.status, closed.attempts, closed.closed_by) == ("unreached", 3, "anna")


def test_notes_on_closed_requests_and_empty_notes(store: CallbackStore, worklist: Worklist) -> None:
    rid = store.add(request(1))
    worklist.done(rid, "anna", LATER)
    assert worklist.note(rid, "ben", LATER, "teruggebeld door cliënt zelf").ok
    assert worklist.note(rid, "ben", LATER, " \n ").result is Result.EMPTY_NOTE
    assert worklist.note(999, "ben", LATER, "x").result is Result.NOT_FOUND
    assert worklist.note(rid, "ben", LATER, "x" * 900).ok
    [item] = worklist.history()
    assert [(e.action, len(e.note or "")) for e in item.events] == [
        (Action.DONE, 0),
        (Action.NOTE, len("teruggebeld door cliënt zelf")),
        (Action.NOTE, 500),
    ]


@pytest.mark.parametrize(
    ("action", "succeed", "attempts"),
    [
        pytest.param("claim", 1, 0, id="claim-one-wins"),
        pytest.param("not_reached", 3, 3, id="attempts-each-count-until-closed"),
    ],
)
def test_simultaneous_actions(
    store: CallbackStore, database: Database, action: str, succeed: int, attempts: int
) -> None:
    """A burst: eight staff act on the same request at the same moment; no update is lost."""
    rid = store.add(request(1))
    staff = [f"medewerker{n}" for n in range(8)]
    url = database.engine.url.render_as_string(hide_password=False)
    lists = [Worklist(Database(url), 3) for _ in staff]
    done = at_once(
        [
            lambda name=name, own=own: getattr(own, action)(rid, name, LATER).result
            for name, own in zip(staff, lists, strict=True)
        ]
    )
    results = dict(zip(staff, done, strict=True))
    for worklist in lists:
        worklist.database.dispose()
    assert list(results.values()).count(Result.OK) == succeed
    losers = {result for result in results.values() if result is not Result.OK}
    assert losers == {Result.CLAIMED_BY_OTHER if action == "claim" else Result.CLOSED}
    with database.engine.connect() as conn:
        events = conn.execute(select(func.count()).select_from(callback_events)).scalar()
    assert events == succeed
    [item] = Worklist(database, 3).everything()
    assert item.attempts == attempts


def test_purge_removes_old_requests_with_their_events(
    store: CallbackStore, database: Database, worklist: Worklist
) -> None:
    old, new = store.add(request(1)), store.add(request(2, minutes=60 * 24 * 40))
    worklist.note(old, "anna", LATER, "oud")
    worklist.done(old, "anna", LATER)  # open requests are kept whatever their age
    worklist.note(new, "anna", LATER, "nieuw")
    assert store.purge(OPEN_TIME + timedelta(days=1)) == 1
    with database.engine.connect() as conn:
        events = conn.execute(select(callback_events.c.request_id)).scalars().all()
    assert events == [new]


def test_the_notice_outbox_takes_each_request_once_and_gives_back(
    store: CallbackStore, database: Database
) -> None:
    outbox = NoticeOutbox(database)
    first = store.add(request(1))
    assert outbox.take(LATER) == ([first], 1)
    assert outbox.take(LATER) == ([], 1)  # another worker is sending it
    outbox.sent([first], LATER)
    second = store.add(request(2))
    assert outbox.take(LATER + timedelta(seconds=1)) == ([second], 2)
    outbox.give_back([second], LATER + timedelta(seconds=1))
    assert outbox.take(LATER + timedelta(seconds=2)) == ([second], 2)


def test_a_notice_whose_worker_died_mid_send_is_sent_again(
    store: CallbackStore, database: Database
) -> None:
    outbox = NoticeOutbox(database)
    first = store.add(request(1))
    assert outbox.take(LATER) == ([first], 1)  # ... and the worker is killed
    assert outbox.take(LATER + LEASE) == ([], 1)
    assert outbox.take(LATER + LEASE + timedelta(seconds=1)) == ([first], 1)


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("+31612345678", "'+31612345678"),
        ("=1+1", "'=1+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Logeeropvang", "Logeeropvang"),
        ("", ""),
    ],
    ids=["phone", "equals", "minus", "at", "tab", "text", "empty"],
)
def test_spreadsheet_safe(value: str, safe: str) -> None:
    assert spreadsheet_safe(value) == safe


def test_reopen_gives_a_closed_request_one_more_attempt(
    store: CallbackStore, worklist: Worklist
) -> None:
    rid = store.add(request(1))
    for _ in range(3):
        worklist.not_reached(rid, "anna", LATER)
    assert worklist.reopen(rid, "ben", LATER).ok
    [item] = worklist.open_items()
    assert (item.status, item.attempts, item.closed_by, item.closed_at) == ("open", 2, None, None)
    assert worklist.reopen(rid, "ben", LATER).result is Result.STILL_OPEN
    assert worklist.reopen(999, "ben", LATER).result is Result.NOT_FOUND
    last = worklist.not_reached(rid, "ben", LATER)
    assert (last.action, last.attempts) == (Action.UNREACHED, 3)
    done = store.add(request(2))
    worklist.done(done, "anna", LATER)
    assert worklist.reopen(done, "anna", LATER).ok
    assert [e.action for e in worklist.open_items()[0].events] == [Action.DONE, Action.REOPEN]


def test_purge_deletes_closed_requests_and_keeps_the_open_ones(
    store: CallbackStore, database: Database, worklist: Worklist
) -> None:
    done, unreached, claimed, waiting = (store.add(request(n)) for n in range(1, 5))
    worklist.done(done, "anna", LATER)
    worklist = Worklist(database, max_attempts=1)
    worklist.not_reached(unreached, "anna", LATER)
    worklist.claim(claimed, "anna", LATER)
    cutoff = OPEN_TIME + timedelta(days=1)
    assert store.unfinished_before(cutoff) == 2
    assert store.purge(cutoff) == 2
    assert [item.id for item in worklist.everything()] == [claimed, waiting]


def same_number(
    n: int, minutes: int, phone: str = "+31611111111", **fields: object
) -> CallbackRequest:
    return replace(request(n, minutes), phone=phone, **fields)


@pytest.mark.parametrize("typed", [True, False, None], ids=["typed", "caller-id", "not-known"])
def test_whether_the_number_was_typed_is_kept(
    store: CallbackStore, worklist: Worklist, typed: bool | None
) -> None:
    store.add(replace(request(1), number_typed=typed))
    [item] = worklist.open_items()
    assert item.number_typed is typed
    [kept] = store.open_requests()
    assert kept.number_typed is typed


def test_a_typed_number_held_then_confirmed_stays_typed(
    store: CallbackStore, worklist: Worklist
) -> None:
    store.hold(replace(request(1), number_typed=True))
    held = store.held(request(1).call_key)
    assert held is not None and held.number_typed is True
    store.add(held)
    assert [item.number_typed for item in worklist.open_items()] == [True]


def test_claim_and_done_act_on_all_open_requests_from_one_number(
    store: CallbackStore, worklist: Worklist
) -> None:
    old = store.add(same_number(1, minutes=0))
    worklist.done(old, "anna", LATER)  # closed before: not part of the number's open requests
    first, second = store.add(same_number(2, minutes=5)), store.add(same_number(3, minutes=9))
    elsewhere = store.add(request(4))
    claimed = worklist.claim(first, "anna", LATER)
    assert (claimed.result, claimed.ids) == (Result.OK, (first, second))
    assert worklist.claim(second, "ben", LATER).by == "anna"
    done = worklist.done(second, "anna", LATER)
    assert (done.result, done.ids) == (Result.OK, (first, second))
    assert [item.id for item in worklist.open_items()] == [elsewhere]
    closed = {item.id: item for item in worklist.history()}
    assert sorted(closed) == [old, first, second]
    for rid in (first, second):
        assert (closed[rid].status, closed[rid].closed_by) == ("done", "anna")
        assert [e.action for e in closed[rid].events] == [Action.CLAIM, Action.DONE]
    assert [e.action for e in closed[old].events] == [Action.DONE]


def test_a_colleagues_claim_on_one_request_refuses_the_whole_number(
    store: CallbackStore, worklist: Worklist
) -> None:
    first, second = store.add(same_number(1, 0)), store.add(same_number(2, 5))
    assert worklist.claim(first, "ben", LATER).ids == (first, second)
    third = store.add(same_number(3, 9))  # asked again while ben calls
    for act in (worklist.claim, worklist.done, worklist.not_reached):
        refused = act(third, "anna", LATER)
        assert (refused.result, refused.by, refused.ids) == (Result.CLAIMED_BY_OTHER, "ben", ())
    assert worklist.claim(third, "ben", LATER).ids == (third,)  # ben takes the new one too
    taken = worklist.take_over(first, "anna", LATER)
    assert taken.ids == (first, second, third)
    assert {item.claimed_by for item in worklist.open_items()} == {"anna"}
    assert worklist.release(third, "anna", LATER).ids == (first, second, third)


def test_an_attempt_counts_on_each_and_closes_those_at_their_last(
    store: CallbackStore, worklist: Worklist
) -> None:
    first = store.add(same_number(1, 0))
    worklist.not_reached(first, "anna", LATER)
    worklist.not_reached(first, "anna", LATER)
    second = store.add(same_number(2, 5))
    worklist.note(first, "anna", LATER, "belt terug na vijven")
    attempt = worklist.not_reached(first, "anna", LATER)
    assert (attempt.action, attempt.attempts) == (Action.UNREACHED, 3)
    assert [(c.id, c.event, c.attempts) for c in attempt.changes] == [
        (first, Action.UNREACHED, 3),
        (second, Action.ATTEMPT, 1),
    ]
    [still] = worklist.open_items()
    assert (still.id, still.attempts, still.last_attempt_at) == (second, 1, LATER)
    assert [(e.action, e.note) for e in still.events] == [
        (Action.NOTE, "belt terug na vijven"),
        (Action.ATTEMPT, None),
    ]
    [gone] = worklist.history()
    assert (gone.id, gone.status, gone.closed_by) == (first, "unreached", "anna")


def test_simultaneous_claims_on_one_number_give_all_its_requests_to_one(
    store: CallbackStore, database: Database
) -> None:
    """Eight staff claim a number with three requests at the same moment, each clicking a
    different one: one of them gets all three, nobody gets part of them."""
    ids = [store.add(same_number(n, minutes=n)) for n in range(1, 4)]
    url = database.engine.url.render_as_string(hide_password=False)
    staff = [f"medewerker{n}" for n in range(8)]
    lists = [Worklist(Database(url), 3) for _ in staff]
    done = at_once(
        [lambda n=n: lists[n].claim(ids[n % 3], staff[n], LATER).result for n in range(len(staff))]
    )
    results = dict(zip(staff, done, strict=True))
    for worklist in lists:
        worklist.database.dispose()
    [winner] = [name for name, result in results.items() if result is Result.OK]
    assert set(results.values()) == {Result.OK, Result.CLAIMED_BY_OTHER}
    items = Worklist(database, 3).open_items()
    assert [(item.claimed_by, [e.action for e in item.events]) for item in items] == [
        (winner, [Action.CLAIM])
    ] * 3
