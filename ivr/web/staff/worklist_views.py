"""The worklist pages: open requests, the history, the actions on a request, the CSV export."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Response, abort, current_app, flash, g, redirect, request, session, url_for

from ivr.core.hours import AMSTERDAM
from ivr.core.triage import Reasons, Waiting, triage
from ivr.core.worklist import Outcome, WorkItem
from ivr.storage.downloads import Download, DownloadLog
from ivr.storage.worklist import HISTORY_LIMIT, LARGEST_ID
from ivr.web.staff import UNSAVED, bp, console, wording
from ivr.web.staff.spreadsheet import csv_download

CSV_FIELDS = (
    "id",
    "status",
    "requested_at",
    "phone",
    "service",
    "reached",
    "answers",
    "language",
    "attempts",
    "claimed_by",
    "closed_by",
    "closed_at",
    "notes",
)
# The worklist's filter (``?wacht=4u``): only numbers that have waited longer than this.
WAIT_FILTERS = {
    "1u": ("1 uur", timedelta(hours=1)),
    "4u": ("4 uur", timedelta(hours=4)),
    "1d": ("1 dag", timedelta(days=1)),
    "2d": ("2 dagen", timedelta(days=2)),
}


@bp.get("/")
def home() -> Response:
    return redirect(url_for("staff.worklist"))  # type: ignore[return-value]


@bp.get("/callbacks")
def worklist() -> Response:
    staff = console()
    items = staff.worklist.open_items()
    now = staff.clock()
    overdue = staff.outbox is not None and staff.outbox.overdue(now) > 0
    wait = request.args.get("wacht", "")
    wait = wait if wait in WAIT_FILTERS else ""
    reasons = _reasons()
    return wording.page(
        "staff/callbacks.html",
        open_count=len(items),
        numbers=len({item.phone for item in items}),
        shown=triage(items, reasons, now, WAIT_FILTERS[wait][1] if wait else None),
        reasons=reasons,
        wait=wait,
        wait_filters=WAIT_FILTERS,
        now=now,
        view="open",
        mail_overdue=overdue,
        unsaved=_unsaved(),
    )


@bp.get("/callbacks/history")
def history() -> Response:
    staff = console()
    reasons = _reasons()
    closed = [
        Waiting(item.phone, (item,), reasons.urgent_item(item)) for item in staff.worklist.history()
    ]
    return wording.page(
        "staff/history.html",
        shown=closed,
        reasons=reasons,
        now=staff.clock(),
        limit=HISTORY_LIMIT,
        open_count=staff.worklist.open_count(),
        view="history",
    )


def _reasons() -> Reasons:
    """Why callers asked, from the line's tree (its advice titles, the urgent ones)."""
    return Reasons.of(current_app.extensions["ivr_lines"].newest().flow.tree)


@bp.post(f"/callbacks/<int(max={LARGEST_ID}):request_id>/<action>")  # larger: 404
def act(request_id: int, action: str) -> Response:
    staff = console()
    done = _run(action, request_id, g.staff, staff.clock())
    category, message = wording.outcome(request_id, done, staff.worklist.max_attempts)
    flash(message, category)
    anchor = f"verzoek-{request_id}" if done.ok else None
    if request.form.get("from") == "history":
        return redirect(url_for("staff.history", _anchor=anchor))  # type: ignore[return-value]
    wait = request.form.get("wacht", "")  # back to the list as filtered
    kept = wait if wait in WAIT_FILTERS else None
    return redirect(url_for("staff.worklist", wacht=kept, _anchor=anchor))  # type: ignore[return-value]


def _run(action: str, request_id: int, staff: str, now: datetime) -> Outcome:
    worklist = console().worklist
    match action:
        case "claim":
            return worklist.claim(request_id, staff, now)
        case "take_over":
            return worklist.take_over(request_id, staff, now)
        case "release":
            return worklist.release(request_id, staff, now)
        case "done":
            return worklist.done(request_id, staff, now, seen_requests())
        case "not_reached":
            return worklist.not_reached(request_id, staff, now, seen_requests())
        case "reopen":
            return worklist.reopen(request_id, staff, now)
        case "note":
            return worklist.note(request_id, staff, now, request.form.get("note", ""))
    abort(404)


def seen_requests() -> frozenset[int] | None:
    """The requests of the number the worker's page showed (the form's ``seen``: their ids);
    None when the form does not say (a page from before this field)."""
    said = request.form.get("seen")
    if said is None:
        return None
    return frozenset(int(n) for n in said.split() if n.isascii() and n.isdigit() and len(n) < 11)


@bp.get("/callbacks.csv")
def export() -> Response:
    """Every stored request (open and closed), for Dutch Excel: UTF-8 with a byte order mark,
    ``;`` between cells, and each cell safe to open in a spreadsheet."""
    staff = console()
    now = staff.clock()
    items = staff.worklist.everything()  # oldest first
    first, last = (items[0].requested_at, items[-1].requested_at) if items else (None, None)
    # recorded before it is served: who, when, how many requests, which period (audit trail)
    DownloadLog(staff.worklist.database).record(Download(now, g.staff, len(items), first, last))
    day = now.astimezone(AMSTERDAM).date().isoformat()
    rows = (_csv_row(item) for item in items)
    return csv_download(f"terugbelverzoeken-{day}.csv", CSV_FIELDS, rows)


def _local(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(AMSTERDAM).isoformat("T", "seconds")


def _csv_row(item: WorkItem) -> list[str]:
    notes = " | ".join(f"{wording.moment(e.at)} {e.staff}: {e.note}" for e in item.events if e.note)
    return [
        str(item.id),
        item.status,
        _local(item.requested_at),
        item.phone,
        item.service,
        item.reached,
        item.answers,
        item.language,
        str(item.attempts),
        item.claimed_by or "",
        item.closed_by or "",
        _local(item.closed_at),
        notes,
    ]


def _unsaved() -> dict[str, object] | None:
    """The click kept after this worker's session ended, shown once (refreshing the page lets
    it go); a click of a colleague who used this browser before is dropped unseen."""
    kept = session.pop(UNSAVED, None)
    return kept if isinstance(kept, dict) and kept.get("by") == g.staff else None
