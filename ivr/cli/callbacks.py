"""Staff commands for callback requests: ``ivr callbacks`` (list, --csv, done ID), ``ivr purge``.

The listing shows phone numbers because staff call them back; nothing here logs them.
"""

from __future__ import annotations

import csv
import getpass
from datetime import UTC, datetime, timedelta

import click

from ivr.cli.db import checked_database
from ivr.config.staff import mail_settings, max_attempts
from ivr.core.errors import ConfigError, IvrError, UsageError
from ivr.core.hours import AMSTERDAM
from ivr.core.language import SOURCE
from ivr.core.languages import dutch_name
from ivr.core.phone import parse_dutch_number
from ivr.core.worklist import Result, spreadsheet_safe
from ivr.outbound.mail import Notifier
from ivr.storage.accounts import Accounts
from ivr.storage.call_figures import FiguresStore
from ivr.storage.callbacks import CallbackRequest, CallbackStore
from ivr.storage.content_versions import ContentVersions
from ivr.storage.notices import NoticeOutbox
from ivr.storage.staff_sessions import StaffSessions
from ivr.storage.worklist import Worklist

# An editor's draft (each holds every content file) is kept this long, for its preview.
DRAFT_DAYS = 30
# A typed number the caller never confirmed (they hung up first) is kept one day at most.
UNCONFIRMED_KEPT = timedelta(days=1)
CSV_FIELDS = ("id", "requested_at", "phone", "service", "reached", "answers", "language")


def _local(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%Y-%m-%d %H:%M")


def _written(e164: str) -> str:
    try:
        return parse_dutch_number(e164).written
    except IvrError:
        return e164


def _show(request: CallbackRequest) -> str:
    spoken = "" if request.language == SOURCE else f"    taal: {dutch_name(request.language)}\n"
    return (
        f"#{request.id}  {_local(request.requested_at)}  bel {_written(request.phone)}\n"
        f"{spoken}"
        f"    bereikt: {request.reached}\n"
        f"    antwoorden: {request.answers}"
    )


@click.group("callbacks", invoke_without_command=True)
@click.option("--csv", "as_csv", is_flag=True, help="Write the open requests as CSV to stdout.")
@click.pass_context
def callbacks(ctx: click.Context, as_csv: bool) -> None:
    """List open callback requests, oldest first ('ivr callbacks done ID' marks one done)."""
    if ctx.invoked_subcommand is not None:
        return

    with checked_database() as (_, database):
        found = CallbackStore(database).open_requests()
    if as_csv:
        writer = csv.writer(click.get_text_stream("stdout"), lineterminator="\n")
        writer.writerow(CSV_FIELDS)
        for r in found:
            when = r.requested_at.astimezone(AMSTERDAM).isoformat(timespec="seconds")
            row = (str(r.id), when, r.phone, r.service, r.reached, r.answers, r.language)
            writer.writerow([spreadsheet_safe(value) for value in row])
        return
    if not found:
        click.echo("Geen open terugbelverzoeken.")
        return
    click.echo(f"{len(found)} open terugbelverzoek(en), oudste eerst:")
    for request in found:
        click.echo(_show(request))
    click.echo("Klaar met bellen? 'ivr callbacks done ID'.")


@callbacks.command("done")
@click.argument("request_id", type=click.IntRange(min=1))
def done(request_id: int) -> None:
    """Mark the open request with this id as done (recorded as done by cli:<your login>)."""

    who = f"cli:{getpass.getuser()}"[:64]
    with checked_database() as (settings, database):
        worklist = Worklist(database, max_attempts(settings))
        outcome = worklist.done(request_id, who, datetime.now(UTC))
    if outcome.result is Result.CLAIMED_BY_OTHER:
        raise UsageError(
            f"request #{request_id} is being called by {outcome.by}; "
            "take it over in the worklist (/staff/callbacks) first"
        )
    if not outcome.ok:
        raise UsageError(
            f"there is no open request #{request_id}; run 'ivr callbacks' to see the open ones"
        )
    click.echo(f"Verzoek #{request_id} is afgehandeld.")


@callbacks.command("notify")
def notify() -> None:
    """E-mail the helpdesk about requests it was not told about yet (a failed e-mail is kept
    for this; run it from a scheduler, e.g. every 10 minutes)."""
    with checked_database() as (settings, database):
        mail = mail_settings(settings.env)
        if mail is None:
            raise ConfigError("SMTP_HOST", "is not set: no e-mail can be sent")
        notifier = Notifier(NoticeOutbox(database), mail, settings.public_base_url, _utc_now)
        told = notifier.send_waiting()
    click.echo(f"E-mail verstuurd over {told} verzoek(en)." if told else "Niets te versturen.")


def _utc_now() -> datetime:
    return datetime.now(UTC)


@click.command("purge")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=None,
    help="Delete requests older than this many days (default: CALLBACK_RETENTION_DAYS).",
)
@click.option(
    "--include-open",
    is_flag=True,
    help="Also delete old requests nobody called back (kept and reported without this flag).",
)
def purge(days: int | None, include_open: bool) -> None:
    """Delete handled callback requests older than the retention period (AVG), fold old
    call events into daily counts (CALL_EVENT_DAYS), and delete the editor's drafts older than
    DRAFT_DAYS (published content versions are kept)."""

    now = datetime.now(UTC)
    with checked_database() as (settings, database):
        keep = days or settings.retention_days
        cutoff = now - timedelta(days=keep)
        store = CallbackStore(database)
        kept = 0 if include_open else store.unfinished_before(cutoff)
        gone = store.purge(cutoff, now - UNCONFIRMED_KEPT, include_open=include_open)
        Accounts(database).forget_old(now)  # failed-login counts: kept no longer than they count
        StaffSessions(database).forget_old(now)  # staff sessions past their working day
        # Call events: folded into daily counts once the calls are older than CALL_EVENT_DAYS
        first_kept = now.astimezone(AMSTERDAM).date() - timedelta(days=settings.call_event_days)
        folded = FiguresStore(database).fold_before(first_kept)
        versions = ContentVersions(database, _utc_now)
        drafts = versions.forget_drafts(now - timedelta(days=DRAFT_DAYS))
    click.echo(
        f"{gone} verzoek(en) van vóór {_local(cutoff)} verwijderd (bewaartermijn {keep} dagen)."
    )
    if kept:
        click.echo(
            f"{kept} open verzoek(en) van vóór {_local(cutoff)} bewaard: nog niet teruggebeld. "
            "Bel ze terug ('ivr callbacks'), of verwijder ze met 'ivr purge --include-open'."
        )
    if drafts:
        click.echo(f"{drafts} concept(en) van de inhoud van meer dan {DRAFT_DAYS} dagen oud "
                   "verwijderd.")  # fmt: skip
    click.echo(
        f"{folded} {'gesprek' if folded == 1 else 'gesprekken'} van vóór {first_kept} "
        "samengevat in dagtotalen "
        f"(bewaartermijn {settings.call_event_days} dagen)."
    )
