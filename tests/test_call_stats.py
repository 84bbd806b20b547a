"""How callers fare: known calls through the signed webhooks, then ``ivr stats --json``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select

from ivr.cli import cli
from ivr.core.call_counts import report
from ivr.core.call_events import CallEvent, EventKind
from ivr.core.call_figures import per_language
from ivr.core.hours import AMSTERDAM
from ivr.storage.call_figures import FiguresStore, day_start
from ivr.storage.database import Database
from ivr.storage.tables import metadata
from tests.support.calls import Call, Caller
from tests.support.clock import Clock
from tests.support.signing import SECRET

DAY = "--since=2026-11-23", "--until=2026-11-23"
NO_TRANSFERS = {"attempted": 0, "connected": 0}


@pytest.fixture
def line(make_app: Callable[..., Flask], upgraded_url: str) -> Flask:
    return make_app(DATABASE_URL=upgraded_url)


def stats(app: Flask, url: str, *args: str) -> dict[str, Any]:
    app.extensions["ivr_event_queue"].flush()
    env = {"DATABASE_URL": url, "SECRET_KEY": SECRET, "IVR_SQLITE_PATH": ""}
    result = CliRunner(env=env).invoke(cli, ["stats", "--json", *args])
    assert result.exit_code == 0, result.output
    found: dict[str, Any] = json.loads(result.output)
    return found


def required(found: dict[str, Any]) -> dict[str, Any]:
    """The shape the issue asks for (more keys are allowed)."""
    return {key: found[key] for key in ("calls", "offerings", "left_at", "transfers")} | {
        "callbacks": {"requested": found["callbacks"]["requested"]}
    }


def test_known_calls_give_exact_figures(line: Flask, upgraded_url: str) -> None:
    # An offering heard, put through, answered; hung up after 95 s.
    Call(line, "CA1").press("2", "1", "2", "1", "1").dialed("completed").hang_up(95)
    # Asked for help at the second question, then silence, then hung up.
    Call(line, "CA2", "+31611111111").press("2", "3", "").hang_up(40)
    # Three wrong keys at the first question: put through to the helpdesk, busy, a callback.
    Call(line, "CA3", "+31622222222").press("7", "7", "7").dialed("busy").press("1", "1")
    # Hung up during the welcome: the status callback is all that tells.
    Call(line, "CA4", "+31633333333").hang_up(9)
    # By voice: "nee", "ja", … to the Wlz respite offering; then "nee" twice: goodbye.
    Call(line, "CA5", "+31644444444").say("nee").say("ja").say("nee").say("ja").say("nee").say(
        "nee"
    )

    # Asked to hear the second question again, twice; Twilio's status callback never came.
    Call(line, "CA6", "+31655555555").press("2", "9", "9")

    found = stats(line, upgraded_url, *DAY)
    assert required(found) == {
        "calls": 6,
        "offerings": {"logeeropvang_wlz": 2},
        "left_at": {"acuut": 2, "wegvallen": 2},
        "transfers": {"attempted": 2, "connected": 1},
        "callbacks": {"requested": 1},
    }
    assert found["outcomes"] == {
        "hung_up": 2,
        "callback": 1,
        "connected": 1,
        "goodbye": 1,
        "unreported": 1,
    }
    assert found["gave_up_at"] == {"acuut": 1}
    assert found["hung_up_at"] == {"acuut": 1, "wegvallen": 1}
    assert found["dialed"] == {"markant|busy": 1, "markant|connected": 1}
    assert found["replies"]["help"] == {"wegvallen": 1}
    assert found["replies"]["silence"] == {"wegvallen": 1}
    assert found["replies"]["unknown"] == {"acuut": 1}
    assert found["replies"]["repeat"] == {"wegvallen": 1}  # calls
    assert found["replies_times"]["repeat"] == {"wegvallen": 2}  # presses
    assert found["modes"] == {"dtmf": 4, "none": 1, "speech": 1}
    assert found["languages"] == {"nl": 6}  # none chose another language
    assert found["average_seconds"] == 48  # (95 + 40 + 9) / 3
    assert found["ended"] == {"completed": 3, "unreported": 3}
    assert found["callbacks"] == {
        "requested": 1,
        "done": 0,
        "unreached": 0,
        "median_minutes_to_done": None,
    }


@pytest.mark.parametrize(
    ("status", "bridged", "outcome", "connected"),
    [
        pytest.param("completed", "true", "connected", 1, id="completed"),
        pytest.param("answered", "true", "connected", 1, id="answered"),
        pytest.param("completed", "false", "declined", 0, id="whisper-declined"),
        pytest.param("busy", "false", "busy", 0, id="busy"),
        pytest.param("no-answer", "false", "no-answer", 0, id="no-answer"),
        pytest.param("failed", "false", "failed", 0, id="failed"),
        pytest.param("canceled", "false", "canceled", 0, id="canceled"),
    ],
)
def test_each_dial_outcome_is_counted(
    line: Flask, upgraded_url: str, status: str, bridged: str, outcome: str, connected: int
) -> None:
    Call(line, "CA1").press("2", "1", "2", "1", "1").dialed(status, bridged)
    found = stats(line, upgraded_url, *DAY)
    assert found["transfers"] == {"attempted": 1, "connected": connected}
    assert found["dialed"] == {f"markant|{outcome}": 1}
    assert found["offerings"] == {"logeeropvang_wlz": 1}


def test_no_calls_no_figures(line: Flask, upgraded_url: str) -> None:
    assert required(stats(line, upgraded_url, *DAY)) == {
        "calls": 0,
        "offerings": {},
        "left_at": {},
        "transfers": NO_TRANSFERS,
        "callbacks": {"requested": 0},
    }


def test_the_period_is_the_days_calls_started(line: Flask, upgraded_url: str, clock: Clock) -> None:
    Call(line, "CA1").hang_up(5)
    assert stats(line, upgraded_url, "--since=2026-11-24", "--until=2026-11-30")["calls"] == 0
    assert stats(line, upgraded_url, "--since=2026-11-01", "--until=2026-11-23")["calls"] == 1


def table_text(url: str) -> Iterator[tuple[str, str, str]]:
    """Every value in every table of the database, as text: (table, column, value)."""
    database = Database(url)
    try:
        with database.engine.connect() as conn:
            for table in metadata.sorted_tables:
                for row in conn.execute(select(table)):
                    for column, value in row._mapping.items():
                        yield table.name, column, str(value)
    finally:
        database.dispose()


def test_no_number_and_no_call_sid_in_any_table(line: Flask, upgraded_url: str) -> None:
    sids = ["CA" + str(n) * 32 for n in range(1, 5)]
    Call(line, sids[0], "+31611111111").press("2", "1", "2", "1", "1").dialed("busy").hang_up(60)
    Call(line, sids[1], "+31622222222").press("2", "3").hang_up(20)
    Call(line, sids[2], "+31633333333").press("7", "7", "7").dialed("no-answer").press("1", "1")
    Call(line, sids[3], "+31644444444").say("nee").say("ja").hang_up(30)
    line.extensions["ivr_event_queue"].flush()

    found = list(table_text(upgraded_url))
    assert {table for table, _, _ in found} >= {"call_events", "callback_requests"}
    # The figures' key of a call appears nowhere else: no join to a callback's phone number.
    figures_keys = {
        value for table, column, value in found if table == "call_events" and column == "call_key"
    }
    assert len(figures_keys) == 4
    elsewhere = {value for table, _, value in found if table != "call_events"}
    assert not figures_keys & elsewhere
    for table, column, value in found:
        assert not any(sid in value for sid in sids), (table, column)
        for number in ("611111111", "622222222", "644444444"):
            assert number not in value, (table, column)
        if "633333333" in value:  # the caller asked to be called back on it
            assert (table, column, value) == ("callback_requests", "phone", "+31633333333")


def test_purge_folds_old_calls_into_daily_counts_with_the_same_figures(
    line: Flask, upgraded_url: str, clock: Clock
) -> None:
    now = datetime.now(AMSTERDAM)  # ivr purge keeps what is younger than now - 30 days
    clock.now = now - timedelta(days=40)  # calls whose turns do not depend on opening hours
    Call(line, "CA1").press("2", "1", "2", "1").hang_up(95)
    Call(line, "CA2", "+31611111111").press("2", "3", "").hang_up(40)
    clock.now = now - timedelta(days=2)
    Call(line, "CA3", "+31622222222").press("2", "9").hang_up(30)
    period = f"--since={(now - timedelta(days=50)).date()}", f"--until={now.date()}"
    before = stats(line, upgraded_url, *period)

    env = {"DATABASE_URL": upgraded_url, "SECRET_KEY": SECRET, "IVR_SQLITE_PATH": ""}
    purged = CliRunner(env=env).invoke(cli, ["purge"])
    assert purged.exit_code == 0, purged.output
    assert purged.output.splitlines()[-1].startswith("2 gesprekken van vóór ")

    after = stats(line, upgraded_url, *period)
    assert after == before
    assert required(after)["calls"] == 3
    keys = {value for table, column, value in table_text(upgraded_url) if column == "call_key"}
    assert len(keys) == 1  # only the recent call's events are kept raw
    again = CliRunner(env=env).invoke(cli, ["purge"])
    assert again.output.splitlines()[-1].startswith("0 gesprekken van vóór ")
    assert stats(line, upgraded_url, *period) == before  # folded once, never counted twice


def test_an_unsigned_status_callback_is_refused_and_counts_nothing(
    line: Flask, upgraded_url: str
) -> None:
    refused = line.test_client().post(
        "/voice/status", data={"CallSid": "CA1", "CallStatus": "completed", "CallDuration": "5"}
    )
    assert refused.status_code == 403
    assert stats(line, upgraded_url, *DAY)["calls"] == 0


def test_the_answering_persons_leg_is_not_a_call(line: Flask, upgraded_url: str) -> None:
    call = Call(line, "CA1").press("2", "1", "2", "1", "1")
    staff_leg = Caller(line.test_client())
    staff_leg.params = {**staff_leg.params, "CallSid": "CA2", "ParentCallSid": "CA1"}
    whisper = staff_leg.post("/voice/whisper?p=njnj&s=markant")
    assert whisper.verbs() == ["Gather", "Hangup"]
    staff_leg.post(whisper.next_url(), Digits="1")
    staff_leg.post("/voice/status", CallStatus="completed", CallDuration="60")
    call.dialed("completed")
    found = stats(line, upgraded_url, *DAY)
    assert (found["calls"], found["transfers"]) == (1, {"attempted": 1, "connected": 1})
    assert found["average_seconds"] is None  # only the staff leg ended: not counted


def test_every_read_sees_what_any_store_wrote_even_for_days_long_past(
    database: Database,
) -> None:
    store, other = FiguresStore(database), FiguresStore(database)  # two workers' stores
    first = date(2026, 10, 1)
    started = CallEvent(EventKind.START)
    events = [
        (f"k{n}", day_start(first + timedelta(days=n)) + timedelta(hours=10), started)
        for n in range(12)
    ]
    store.write(events)
    whole = store.counts(first, first + timedelta(days=11))
    assert report(whole)["calls"] == 12
    assert report(store.counts(first + timedelta(days=4), first + timedelta(days=6)))["calls"] == 3
    other.write([("late", day_start(first) + timedelta(hours=11), started)])  # stored late
    assert report(store.counts(first, first + timedelta(days=11)))["calls"] == 13
    assert report(store.counts(first, first))["calls"] == 2
    assert (
        report(store.counts(first + timedelta(days=2), first + timedelta(days=20)))["calls"] == 10
    )


def test_calls_are_counted_per_language_and_folded_alike(
    database: Database, upgraded_url: str
) -> None:
    """A call counts once, in the language it went on in (its events' last), under its
    pseudonym like every other figure; a call that named none is Dutch."""
    store = FiguresStore(database)
    day = date(2026, 10, 1)
    at = day_start(day) + timedelta(hours=10)

    def reply(language: str = "") -> CallEvent:
        return CallEvent(EventKind.REPLY, node="acuut", language=language)

    calls = {
        "chose-en": [CallEvent(EventKind.START), reply("en"), reply("en")],
        "chose-en-too": [CallEvent(EventKind.START), reply("en")],
        "dutch": [CallEvent(EventKind.START), reply()],
        "bound-to-xx": [CallEvent(EventKind.START, language="xx"), reply("xx")],
        "only-its-end": [CallEvent(EventKind.END, reply="completed", seconds=9)],
    }
    store.write(
        [
            (key, at + timedelta(seconds=n), event)
            for key, events in calls.items()
            for n, event in enumerate(events)
        ]
    )
    counts = store.counts(day, day)
    assert report(counts)["languages"] == {"en": 2, "nl": 2, "xx": 1}
    # Dutch first; a code the line has no language for (any more) is shown as it is
    assert per_language(counts).rows == (
        ("nl", "Nederlands", 2), ("en", "Engels", 2), ("xx", "xx", 1)
    )  # fmt: skip
    assert store.fold_before(day + timedelta(days=1)) == 5
    assert store.counts(day, day) == counts
    env = {"DATABASE_URL": upgraded_url, "SECRET_KEY": SECRET, "IVR_SQLITE_PATH": ""}
    said = CliRunner(env=env).invoke(cli, ["stats", f"--since={day}", f"--until={day}"])
    assert said.output.splitlines()[:5] == [
        "Gesprekken van 2026-10-01 tot en met 2026-10-01: 5",
        "Gesprekken per taal:",
        f"  {'Nederlands':<32} {2:>6}",
        f"  {'Engels':<32} {2:>6}",
        f"  {'xx':<32} {1:>6}",
    ]
