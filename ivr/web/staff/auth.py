"""Logging in and out of the staff console.

A wrong user name and a wrong password get the same answer; after several failures for one
account or from one address, every try pauses for a while (answered politely, with status 429).
Passwords are never logged; a failed login is logged with the account name only.
"""

from __future__ import annotations

import logging

from flask import Response, redirect, request, session, url_for

from ivr.core.login_throttle import minutes
from ivr.web.staff import UNSAVED, WEAK_PASSWORD, WHO, bp, console, totp_views, wording

log = logging.getLogger(__name__)
WRONG = "De gebruikersnaam of het wachtwoord klopt niet. Probeer het opnieuw."


def paused(seconds: int) -> str:
    """What a login paused after repeated failures (of passwords or codes) says."""
    wait = minutes(seconds)
    unit = "minuut" if wait == 1 else "minuten"
    return f"Te veel mislukte pogingen. Wacht {wait} {unit} en probeer het dan opnieuw."


def _next_page() -> str:
    """Where to go after logging in: a page of the console, never another site, and never a
    value that cannot be a header (a line break, non-ASCII: the login link was crafted)."""
    wanted = request.args.get("next", "")
    if not (wanted.isascii() and wanted.isprintable()) or "\\" in wanted:
        return url_for("staff.worklist")
    if wanted.startswith(("/staff/", "/phone", "/tree")) and not wanted.startswith("/staff//"):
        return wanted
    return url_for("staff.worklist")


@bp.get("/login")
def login() -> Response:
    if console().sessions.holder(session.get("token"), console().clock()) is not None:
        return redirect(_next_page())  # type: ignore[return-value]
    return wording.page("staff/login.html", unsaved=UNSAVED in session)


@bp.post("/login")
def login_post() -> Response:
    staff = console()
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    address = request.remote_addr or "unknown"
    result = staff.accounts.log_in(username, password, address, staff.clock())
    if result.wait:
        log.warning("staff login paused after repeated failures")
        return wording.page("staff/login.html", 429, error=paused(result.wait), username=username)
    if not result.ok:
        who = repr(username.strip().lower()) if result.known_name else "an unknown name"
        log.warning("staff login failed (account %s)", who)
        return wording.page("staff/login.html", 401, error=WRONG, username=username)
    session[WEAK_PASSWORD] = not result.strong  # kept by begin_session: the pages say so
    second_step = totp_views.after_password(result.username, result.has_app, _next_page())
    if second_step is not None:
        return second_step  # the code of the authenticator app, or setting it up
    begin_session(result.username)
    return redirect(_next_page())  # type: ignore[return-value]


def begin_session(username: str) -> None:
    """Log ``username`` in: a new session (a fresh cookie: nothing of the one before it, which
    an attacker may have planted, is kept, but for a click the ended session kept and whether
    the password was weak)."""
    staff = console()
    staff.sessions.end(session.get("token"))  # one this browser held: no copy of it lives on
    kept = {key: session[key] for key in (UNSAVED, WEAK_PASSWORD) if session.get(key)}
    session.clear()
    session.update(kept)
    session.permanent = True
    session["token"] = staff.sessions.begin(username, staff.clock())
    session[WHO] = username
    log.info("staff login: %s", username)


@bp.post("/logout")
def logout() -> Response:
    console().sessions.end(session.get("token"))  # every copy of the cookie ends with it
    who = session.get(WHO)
    session.clear()
    if who:  # a click on a page left open is kept for this worker only (keep_unsaved)
        session[WHO] = who
    return redirect(url_for("staff.login", out=1))  # type: ignore[return-value]
