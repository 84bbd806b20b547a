"""How callers fare (``/staff/stats``): charts for a period, each with its CSV behind it.

Everything shown is counted per call under a pseudonym: no number, no CallSid, no spoken word.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask import Response, abort, current_app, flash, request
from markupsafe import Markup

from ivr.core import call_figures as figures
from ivr.core.call_counts import Counts
from ivr.core.call_figures import Table
from ivr.core.errors import UsageError
from ivr.core.hours import AMSTERDAM
from ivr.core.tree_model import Tree
from ivr.storage.call_figures import CallbackFigures, FiguresStore
from ivr.web.staff import bp, charts, console, wording
from ivr.web.staff.spreadsheet import csv_download
from ivr.web.tree_drawing import NoGraphviz, tree_svg

QUICK_PERIODS = (7, 30, 90)
NO_FUNNEL = '<p class="empty">Graphviz ontbreekt: de trechter kan niet getekend worden.</p>'
FUNNEL_FAILED = (
    '<p class="empty">De trechter kon niet getekend worden. De tabel staat hieronder.</p>'
)
# In Graphviz's SVG: the drawing's width, the shift of its graph, the first node's centre.
_DRAWN = re.compile(
    r'viewBox="[\d.]+ [\d.]+ ([\d.]+) [\d.]+".*?translate\(([\d.-]+) .*?class="node".*?'
    r'<text text-anchor="middle" x="([\d.-]+)"',
    re.S,
)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Figures:
    first: date
    last: date
    tables: dict[str, Table]
    summary: dict[str, int]
    callbacks: CallbackFigures
    counts: Counts


def _period() -> tuple[date, date]:
    today = console().clock().astimezone(AMSTERDAM).date()
    days = request.args.get("dagen", "")
    # ASCII digits only: "²".isdigit() is True, and int("²") fails
    if days.isascii() and days.isdigit() and 1 <= int(days) <= figures.LONGEST_PERIOD:
        return today - timedelta(days=int(days) - 1), today
    try:
        return figures.period(request.args.get("van"), request.args.get("tot"), today)
    except UsageError as exc:
        log.info("figures: period refused (%.200s)", exc)  # it quotes the link: bounded
        flash("Die periode klopt niet. U ziet nu de laatste 30 dagen.", "warn")
        return figures.period(None, None, today)


def _figures(first: date, last: date) -> Figures:
    store: FiguresStore = current_app.extensions["ivr_figures"]
    counts = store.counts(first, last)
    tree = _tree()
    hours = current_app.extensions["ivr_lines"].newest().flow.opening_hours[tree.helpdesk]
    blocks = getattr(hours, "blocks", ())  # OpeningHours: its weekly blocks

    done = store.callbacks(first, last)
    found = (
        figures.per_day(counts, first, last),
        figures.per_hour(counts, blocks),
        figures.per_language(counts),
        figures.funnel(counts, tree),
        figures.offering_outcomes(counts, tree),
        figures.transfers(counts, tree),
        figures.questions(counts, tree),
        Table(
            "terugbellen",
            ("gevraagd", "gebeld en geholpen", "niet bereikt", "mediaan minuten tot gebeld"),
            ((done.requested, done.done, done.unreached, _blank(done.median_minutes)),),
        ),
    )
    tables = {table.name: table for table in found}
    return Figures(first, last, tables, figures.summary(counts), done, counts)


def _blank(value: int | None) -> int | str:
    return "" if value is None else value


def _tree() -> Tree:
    tree: Tree = current_app.extensions["ivr_lines"].newest().flow.tree
    return tree


def _charts(found: Figures) -> dict[str, Markup]:
    t = found.tables
    outcomes = t["uitkomst-per-advies"]
    dialed = t["doorverbinden"]
    questions = t["vragen"]
    try:
        funnel = _opening_on_the_start(tree_svg(_tree(), figures.funnel_counts(found.counts)))
    except NoGraphviz:
        funnel = Markup(NO_FUNNEL)
    except Exception:  # a drawing that fails leaves the rest of the page
        log.exception("the funnel could not be drawn")
        funnel = Markup(FUNNEL_FAILED)
    return {
        "per_day": charts.day_columns(t["gesprekken-per-dag"], "Gesprekken per dag"),
        "per_hour": charts.week_grid(t["gesprekken-per-uur"], "Gesprekken per uur van de week"),
        "per_language": charts.stacked_bars(
            [str(row[1]) for row in t["gesprekken-per-taal"].rows],
            [[int(row[2])] for row in t["gesprekken-per-taal"].rows],
            ("gesprekken",),
            "Gesprekken per taal",
        ),
        "funnel": funnel,
        "outcomes": charts.stacked_bars(
            [str(row[1]) for row in outcomes.rows],
            [[int(v) for v in row[3:]] for row in outcomes.rows],
            outcomes.columns[3:],
            "Hoe gesprekken eindigden, per advies",
        ),
        "transfers": charts.stacked_bars(
            [str(row[1]) for row in dialed.rows],
            [[int(v) for v in row[3:]] for row in dialed.rows],
            dialed.columns[3:],
            "Doorverbinden per dienst",
        ),
        "questions": charts.share_bars(
            [str(row[1]) for row in questions.rows],
            [[float(v) for v in row[3:6]] for row in questions.rows],
            [name.removesuffix(" %") for name in questions.columns[3:6]],
            "Vragen die bellers lastig vinden",
        ),
    }


def _opening_on_the_start(svg: str) -> Markup:
    """The funnel with a mark at its first question, which its box scrolls to when the page
    opens (staff.css: scroll-initial-target): the tree's top row is empty but for that one."""
    drawn = _DRAWN.search(svg)
    if drawn is None:
        return Markup(svg)
    width, shift, centre = (float(n) for n in drawn.groups())
    across = f"{100 * (centre + shift) / width:.1f}%"
    return Markup(f'{svg}<span class="funnel-start" data-across="{across}"></span>')


@bp.get("/stats")
def stats() -> Response:
    first, last = _period()
    found = _figures(first, last)
    return wording.page(
        "staff/stats.html",
        view="stats",
        found=found,
        charts=_charts(found),
        quick=QUICK_PERIODS,
        retention_days=console().settings.retention_days,
        period={"van": first.isoformat(), "tot": last.isoformat()},
    )


@bp.get("/stats/<name>.csv")
def stats_csv(name: str) -> Response:
    first, last = _period()
    table = _figures(first, last).tables.get(name)
    if table is None:
        abort(404)
    return csv_download(f"{name}-{first}-{last}.csv", table.columns, table.rows)
