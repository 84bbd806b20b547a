"""``ivr stats``: how callers fared over a period (pseudonymised: no numbers, no CallSids)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import cast

import click

from ivr.cli.db import checked_database
from ivr.core.call_counts import report
from ivr.core.call_figures import period
from ivr.core.hours import AMSTERDAM
from ivr.core.language import SOURCE
from ivr.core.languages import dutch_name
from ivr.storage.call_figures import FiguresStore


def today() -> date:
    return datetime.now(UTC).astimezone(AMSTERDAM).date()


def figures(store: FiguresStore, first: date, last: date) -> dict[str, object]:
    """The report of ``ivr.core.call_counts``, with the period and the callbacks' progress."""
    found = report(store.counts(first, last))
    done = store.callbacks(first, last)
    callbacks = {
        **cast(dict[str, object], found["callbacks"]),
        "done": done.done,
        "unreached": done.unreached,
        "median_minutes_to_done": done.median_minutes,
    }
    return {"since": first.isoformat(), "until": last.isoformat(), **found, "callbacks": callbacks}


def _lines(found: dict[str, object]) -> list[str]:
    def table(title: str, counts: object) -> list[str]:
        assert isinstance(counts, dict)
        return [title, *(f"  {key:<32} {n:>6}" for key, n in counts.items())] if counts else []

    transfers = found["transfers"]
    callbacks = found["callbacks"]
    languages = found["languages"]
    assert isinstance(transfers, dict) and isinstance(callbacks, dict)
    assert isinstance(languages, dict)
    # Only when a call went on in another language than Dutch; Dutch first.
    spoken = {dutch_name(code): n for code, n in sorted(languages.items(), key=_dutch_first)}
    return [
        f"Gesprekken van {found['since']} tot en met {found['until']}: {found['calls']}",
        *(table("Gesprekken per taal:", spoken) if set(languages) - {SOURCE} else []),
        *table("Advies gehoord (gesprekken per advies):", found["offerings"]),
        *table("Gestopt zonder advies, bij deze vraag:", found["left_at"]),
        f"Doorverbinden: {transfers['attempted']} keer geprobeerd, "
        f"{transfers['connected']} keer gelukt",
        f"Terugbelverzoeken: {callbacks['requested']} gevraagd, {callbacks['done']} gebeld",
    ]


def _dutch_first(item: tuple[str, int]) -> bool:
    return item[0] != SOURCE


@click.command("stats")
@click.option("--since", help="First day (YYYY-MM-DD, Amsterdam); default 30 days ago.")
@click.option("--until", help="Last day (YYYY-MM-DD, Amsterdam); default today.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def stats(since: str | None, until: str | None, as_json: bool) -> None:
    """How callers fared: calls, offerings heard, where callers left, transfers, callbacks."""
    first, last = period(since, until, today())
    with checked_database() as (_, database):
        found = figures(FiguresStore(database), first, last)
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(_lines(found)))
