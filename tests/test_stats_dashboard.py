"""The figures page of the staff console (``/staff/stats``) and the CSV behind each chart."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from click.testing import CliRunner
from flask import Flask

from ivr.cli import cli
from tests.support.calls import Call
from tests.support.staff import Staff

PERIOD = "van=2026-11-16&tot=2026-11-22"


@pytest.fixture
def called(console: Flask) -> Flask:
    """Two calls on Sunday evening (the helpdesk closed): one leaves a callback request after
    the Wlz respite offering, one stops at the second question."""
    Call(console, "CA1").press("2", "1", "2", "1").press("1", "1").hang_up(80)
    Call(console, "CA2", "+31611111111").press("2", "3", "").hang_up(30)
    console.extensions["ivr_event_queue"].flush()
    return console


def csv_rows(staff: Staff, name: str) -> list[list[str]]:
    reply = staff.client.get(f"/staff/stats/{name}.csv?{PERIOD}")
    assert reply.status_code == 200
    assert reply.headers["Content-Disposition"] == (
        f'attachment; filename="{name}-2026-11-16-2026-11-22.csv"'
    )
    text = reply.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return [line.split(";") for line in text[1:].splitlines()]


def test_the_page_needs_a_login(called: Flask) -> None:
    reply = called.test_client().get("/staff/stats")
    assert reply.status_code == 302
    assert reply.headers["Location"].startswith("/staff/login?next=/staff/stats")
    assert called.test_client().get("/staff/stats/trechter.csv").status_code == 302


def test_the_page_shows_the_figures_of_the_period(called: Flask, staff: Staff) -> None:
    page = staff.page(f"/staff/stats?{PERIOD}")
    figures = dict(re.findall(r'data-figure="(\w+)">(\d+)<', page))
    assert figures == {"calls": "2", "heard": "1", "connected": "0", "callbacks": "1"}
    assert page.count("<svg") == 7  # six charts and the funnel drawn on the tree map
    assert "Tabel downloaden (CSV)" in page
    assert "+316" not in page and "CA1" not in page


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "gesprekken-per-dag",
            [["dag", "gesprekken"]]
            + [[f"2026-11-{d}", "0"] for d in range(16, 22)]
            + [["2026-11-22", "2"]],
            id="per-day",
        ),
        pytest.param(
            "gesprekken-per-taal",
            [["taal", "naam", "gesprekken"], ["nl", "Nederlands", "2"]],
            id="per-language",
        ),
        pytest.param(
            "terugbellen",
            [
                ["gevraagd", "gebeld en geholpen", "niet bereikt", "mediaan minuten tot gebeld"],
                ["1", "0", "0", ""],
            ],
            id="callbacks",
        ),
    ],
)
def test_csv_behind_a_chart(
    called: Flask, staff: Staff, name: str, expected: list[list[str]]
) -> None:
    assert csv_rows(staff, name) == expected


def test_csv_of_the_funnel_and_the_questions(called: Flask, staff: Staff) -> None:
    funnel = {row[0]: row[3:] for row in csv_rows(staff, "trechter")[1:]}
    # reached, stopped without an offering, hung up, gave up
    assert funnel["acuut"] == ["2", "0", "0", "0"]
    assert funnel["wegvallen"] == ["2", "1", "1", "0"]
    assert funnel["logeeropvang_wlz"] == ["1", "0", "0", "0"]
    questions = {row[0]: row[2:] for row in csv_rows(staff, "vragen")[1:]}
    # reached; weet ik niet, herhalen, stilte, verkeerde toets, terug (percent, decimal comma)
    assert questions["wegvallen"] == ["2", "50", "0", "50", "0", "0"]
    outcomes = {row[0]: row[2:] for row in csv_rows(staff, "uitkomst-per-advies")[1:]}
    assert outcomes["logeeropvang_wlz"] == ["1", "0", "1", "0", "0", "0", "0", "0"]
    hours = [row for row in csv_rows(staff, "gesprekken-per-uur")[1:] if row[2] != "0"]
    assert hours == [["zondag", "22", "2", "nee"]]


def test_an_unknown_table_is_not_found(called: Flask, staff: Staff) -> None:
    assert staff.client.get("/staff/stats/geheim.csv").status_code == 404


def test_a_wrong_period_is_said_and_the_last_30_days_shown(called: Flask, staff: Staff) -> None:
    page = staff.page("/staff/stats?van=2026-11-30&tot=2026-11-01")
    assert "Die periode klopt niet. U ziet nu de laatste 30 dagen." in page
    assert 'data-figure="calls">2<' in page


def tiles(page: str) -> dict[str, int]:
    """The summary's figures and the callback section's "gevraagd", as numbers."""
    found = {name: int(n) for name, n in re.findall(r'data-figure="(\w+)">(\d+)<', page)}
    requested = re.search(r"<strong>(\d+)</strong> gevraagd", page)
    assert requested
    return found | {"requested": int(requested.group(1))}


def test_two_workers_show_the_calls_either_one_took_at_once(
    called: Flask, staff: Staff, make_app: Callable[..., Flask], env: dict[str, str]
) -> None:
    """Two workers on one database: the page on one shows the calls the other answered, at the
    very next view, and its totals agree with themselves and with ``ivr stats``."""
    before = tiles(staff.page(f"/staff/stats?{PERIOD}"))
    assert before == {"calls": 2, "heard": 1, "connected": 0, "callbacks": 1, "requested": 1}
    other = make_app()  # the second worker: its own process, the same database
    Call(other, "CA3", "+31622222222").press("2", "1", "2", "1").press("1", "1").hang_up(60)
    Call(other, "CA4").hang_up(5)
    other.extensions["ivr_event_queue"].flush()
    after = tiles(staff.page(f"/staff/stats?{PERIOD}"))
    assert after == {"calls": 4, "heard": 2, "connected": 0, "callbacks": 2, "requested": 2}
    result = CliRunner(env=env).invoke(
        cli, ["stats", "--json", "--since=2026-11-16", "--until=2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert (found["calls"], found["callbacks"]["requested"]) == (4, 2)
