"""``ivr callbacks`` and ``ivr purge`` through Click's runner, on SQLite and PostgreSQL."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.core.worklist import Action
from ivr.storage.callbacks import CallbackRequest, CallbackStore
from ivr.storage.content_versions import ContentVersions
from ivr.storage.database import Database
from ivr.storage.worklist import Worklist

NOW = datetime.now(UTC).replace(microsecond=0)
FILES = {"tree/markant.yaml": "nodes: {}\n", "prompts/nl.yaml": "welcome: Welkom.\n"}


def add(store: CallbackStore, key: str, phone: str, days_ago: float, language: str = "nl") -> int:
    at = NOW - timedelta(days=days_ago)
    return store.add(
        CallbackRequest(key, phone, "Dagbesteding", "Vraag? Ja.", "markant", at, language=language)
    )


@pytest.fixture
def run(db_url: str, store: CallbackStore) -> CliRunner:
    return CliRunner(env={"DATABASE_URL": db_url, "IVR_DEV_MODE": "1", "TWILIO_AUTH_TOKEN": ""})


def test_list_open_requests_oldest_first(run: CliRunner, store: CallbackStore) -> None:
    newer = add(store, "CA2", "+31687654321", 1, language="en")
    older = add(store, "CA1", "+31201234567", 2)
    result = run.invoke(cli, ["callbacks"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2 open terugbelverzoek(en), oudste eerst:"
    assert lines[1].startswith(f"#{older}  ") and lines[1].endswith("bel 020 123 45 67")
    assert lines[4].startswith(f"#{newer}  ") and lines[4].endswith("bel 06 87 65 43 21")
    assert lines[2:4] == ["    bereikt: Dagbesteding", "    antwoorden: Vraag? Ja."]  # Dutch
    assert lines[5:8] == [
        "    taal: Engels",
        "    bereikt: Dagbesteding",
        "    antwoorden: Vraag? Ja.",
    ]


def test_csv_export_is_spreadsheet_safe(run: CliRunner, store: CallbackStore) -> None:
    first = add(store, "CA1", "+31201234567", 2, language="tr")
    result = run.invoke(cli, ["callbacks", "--csv"])
    assert result.exit_code == 0, result.output
    header, row = result.output.splitlines()
    assert header == "id,requested_at,phone,service,reached,answers,language"
    assert row.startswith(f"{first},") and row.endswith(
        ",'+31201234567,markant,Dagbesteding,Vraag? Ja.,tr"
    )


def test_mark_done(run: CliRunner, store: CallbackStore, database: Database) -> None:
    request_id = add(store, "CA1", "+31201234567", 1)
    result = run.invoke(cli, ["callbacks", "done", str(request_id)])
    assert (result.exit_code, result.output) == (0, f"Verzoek #{request_id} is afgehandeld.\n")
    assert run.invoke(cli, ["callbacks"]).output == "Geen open terugbelverzoeken.\n"
    [closed] = Worklist(database, 3).history()
    assert closed.closed_by == f"cli:{getpass.getuser()}"
    assert [(e.staff, e.action) for e in closed.events] == [(closed.closed_by, Action.DONE)]
    again = run.invoke(cli, ["callbacks", "done", str(request_id)])
    assert again.exit_code == 64
    assert f"there is no open request #{request_id}" in again.output


def test_mark_done_of_a_request_a_colleague_is_calling(
    run: CliRunner, store: CallbackStore, database: Database
) -> None:
    request_id = add(store, "CA1", "+31201234567", 1)
    Worklist(database, 3).claim(request_id, "anna", datetime.now(UTC))
    result = run.invoke(cli, ["callbacks", "done", str(request_id)])
    assert (result.exit_code, result.output) == (
        64,
        f"Error: request #{request_id} is being called by anna; "
        "take it over in the worklist (/staff/callbacks) first\n",
    )


@pytest.mark.parametrize(
    ("args", "extra_env", "left", "gone", "kept"),
    [
        pytest.param([], {}, ["CA2", "CA1"], 1, 1, id="default-30-days"),
        pytest.param(
            [], {"CALLBACK_RETENTION_DAYS": "7"}, ["CA2", "CA1"], 1, 2, id="configured-7-days"
        ),
        pytest.param(["--days", "60"], {}, ["CA2", "CA1"], 0, 0, id="option-60-days"),
        pytest.param(["--include-open"], {}, ["CA1"], 2, 0, id="include-open"),
    ],
)
def test_purge_deletes_handled_requests_and_keeps_open_ones(
    run: CliRunner,
    store: CallbackStore,
    args: list[str],
    extra_env: dict[str, str],
    left: list[str],
    gone: int,
    kept: int,
) -> None:
    add(store, "CA1", "+31201234567", 10)
    add(store, "CA2", "+31201234568", 45)
    store.mark_done(add(store, "CA3", "+31201234569", 50), NOW)
    result = run.invoke(cli, ["purge", *args], env=extra_env)
    assert result.exit_code == 0, result.output
    said = result.output.splitlines()
    assert said[0].startswith(f"{gone} verzoek(en) van vóór ")
    assert [r.call_key for r in store.open_requests()] == left
    if kept:
        assert said[1].startswith(f"{kept} open verzoek(en) van vóór ")
        assert said[1].endswith(
            "bewaard: nog niet teruggebeld. Bel ze terug ('ivr callbacks'), of verwijder ze "
            "met 'ivr purge --include-open'."
        )
    assert said[-1].startswith("0 gesprekken van vóór ")  # no call events: nothing folded
    assert said[-1].endswith(" samengevat in dagtotalen (bewaartermijn 30 dagen).")
    assert len(said) == (3 if kept else 2)


def test_purge_deletes_drafts_older_than_30_days_and_never_a_published_version(
    run: CliRunner, database: Database
) -> None:
    versions = ContentVersions(database, lambda: NOW - timedelta(days=31))
    old = versions.save_draft(FILES, "anna")
    published = versions.publish(FILES, "anna")
    versions.clock = lambda: NOW - timedelta(days=29)
    recent = versions.save_draft(FILES, "anna")
    result = run.invoke(cli, ["purge"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == (
        "1 concept(en) van de inhoud van meer dan 30 dagen oud verwijderd."
    )
    assert [versions.get(v) is not None for v in (old, published.id, recent)] == [
        False, True, True
    ]  # fmt: skip


def test_unreachable_database_says_what_to_check() -> None:
    runner = CliRunner(
        env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:9/x", "IVR_DEV_MODE": "1"}
    )
    result = runner.invoke(cli, ["callbacks"])
    assert result.exit_code == 74
    assert "check DATABASE_URL" in result.output


def test_purge_reads_a_renamed_setting_under_its_old_name_and_says_so(
    run: CliRunner, store: CallbackStore
) -> None:
    result = run.invoke(cli, ["purge"], env={"CALL_RECORD_DAYS": "7"})
    assert result.exit_code == 0, result.output
    said = result.output.splitlines()
    assert said[0] == (
        "Warning: CALL_RECORD_DAYS is the old name of CALL_EVENT_DAYS: it still works, but "
        "rename it to CALL_EVENT_DAYS"
    )
    assert said[-1].endswith(" samengevat in dagtotalen (bewaartermijn 7 dagen).")
