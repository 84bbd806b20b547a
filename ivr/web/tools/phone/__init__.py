"""The web phone (``/phone``): try the line in a browser, through its real, signed webhooks.

The page is a keypad and a transcript; ``phone.js`` talks to the JSON API (``api.py``), which
plays Twilio's part with the call driver. The call's state travels in each request (signed with
the app's secret key), so any worker can answer any move. In development mode the phone is open
and is the home page; otherwise it is for logged-in staff (``ivr.web.tools.access``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from flask import Blueprint, Flask, current_app, redirect, render_template, request
from flask.typing import ResponseReturnValue

from ivr.core.call_state import parse_step
from ivr.core.content_files import version_number
from ivr.core.errors import CallStateError
from ivr.core.hours import AMSTERDAM
from ivr.core.language import SOURCE
from ivr.web.line import Clock
from ivr.web.tools import access
from ivr.web.tools.emulated_call import CALLERS, OUTCOMES
from ivr.web.tools.phone.try_line import AppFactory, TryLine

bp = Blueprint(
    "phone",
    __name__,
    url_prefix="/phone",
    template_folder="templates",
    static_folder="static",
)
access.guard(bp)
CALLER_LABELS = {
    "mobiel": "Mobiel nummer (06…)",
    "vast": "Vast nummer in Amsterdam (020…)",
    "anoniem": "Nummer afgeschermd",
}
OUTCOME_LABELS = {
    "completed": "Neemt op en toetst 1",
    "declined": "Neemt op, toetst niets",
    "busy": "In gesprek",
    "no-answer": "Neemt niet op",
    "failed": "Lukt niet",
}
KEYS = [("1", ""), ("2", "ABC"), ("3", "DEF"), ("4", "GHI"), ("5", "JKL"), ("6", "MNO"),
        ("7", "PQRS"), ("8", "TUV"), ("9", "WXYZ"), ("*", ""), ("0", "+"), ("#", "")]  # fmt: skip


def try_line() -> TryLine:
    found: TryLine = current_app.extensions["ivr_try_line"]
    return found


def languages() -> dict[str, str]:
    """The languages the line offers but Dutch, by code, with their Dutch names: a call can
    start on the number the tried line binds to each (as a real number bound to it would)."""
    offered = current_app.extensions["ivr_lines"].newest().languages
    numbers = try_line().numbers
    return {
        code: found.language.dutch_name
        for code, found in offered.items()
        if code != SOURCE and code in numbers
    }


def moments(now: datetime) -> dict[str, str]:
    """Ready-made moments of the call: a weekday morning (open) and a Sunday evening (closed)."""
    local = now.astimezone(AMSTERDAM)
    monday = local + timedelta(days=(7 - local.weekday()) % 7 or 7)
    sunday = local + timedelta(days=(6 - local.weekday()) % 7 or 7)
    fmt = "%Y-%m-%dT%H:%M"
    return {
        "open": monday.replace(hour=10, minute=0).strftime(fmt),
        "dicht": sunday.replace(hour=22, minute=0).strftime(fmt),
    }


@bp.get("")
def page() -> ResponseReturnValue:
    path = request.args.get("p", "")
    try:
        parse_step("answer", {"p": path})
    except CallStateError:
        path = ""
    line = try_line()
    line.warm()
    offered = languages()
    language = request.args.get("l", "")
    version = request.args.get("v", "")  # an editor's draft (/staff/content): heard before callers
    return render_template(
        "phone/phone.html",
        keys=KEYS,
        callers=CALLER_LABELS,
        outcomes=OUTCOME_LABELS,
        moments=moments(line.moment.fallback()),
        path=path,
        languages=offered,
        language=language if language in offered else "",
        version=version if version_number(version) is not None else "",
        dev_mode=access.dev_mode(),
    )


def init_app(app: Flask, env: Mapping[str, str], clock: Clock, build: AppFactory) -> None:
    from ivr.web.tools.phone import api  # noqa: F401  (its routes join bp)

    assert set(CALLER_LABELS) == set(CALLERS) and set(OUTCOME_LABELS) == set(OUTCOMES)
    app.extensions["ivr_try_line"] = TryLine(env, clock, build)
    app.register_blueprint(bp)

    @app.get("/")
    def home() -> ResponseReturnValue:
        """In development mode the phone is the home page; elsewhere there is none."""
        if access.dev_mode():
            return redirect("/phone")
        return "not found", 404
