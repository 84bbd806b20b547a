"""The staff console: login, and the helpdesk's worklist of callback requests (``/staff``).

Every page needs a logged-in account (except the login page and the style sheet); every form
carries a CSRF token; phone numbers appear only here. Pages are never cached or framed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, current_app, g, redirect, request, session, url_for
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from wtforms.validators import ValidationError

from ivr.config.staff import StaffSettings
from ivr.core.errors import StorageError
from ivr.core.worklist import clean_note
from ivr.outbound.mail import Notifier
from ivr.storage.accounts import Accounts
from ivr.storage.notices import NoticeOutbox
from ivr.storage.staff_sessions import StaffSessions
from ivr.storage.worklist import Worklist
from ivr.web.staff import wording
from ivr.web.staff.sessions import CookieSessions

log = logging.getLogger(__name__)
# This long without a click ends the session (each request renews the cookie's signed time).
# However often it is used, it also ends a working day after its login (staff_sessions.WORKDAY).
IDLE_LIMIT = timedelta(hours=10)
# The login page, and halfway through a login with the authenticator app (totp_views): the code,
# or setting the app up. These pages open nothing else.
OPEN_ENDPOINTS = {
    "staff.login",
    "staff.login_post",
    "staff.login_code",
    "staff.login_code_post",
    "staff.login_setup",
    "staff.login_setup_post",
    "staff.static",
}
bp = Blueprint(
    "staff",
    __name__,
    url_prefix="/staff",
    template_folder="templates",
    static_folder="static",
)


@dataclass(frozen=True)
class Console:
    settings: StaffSettings
    accounts: Accounts
    sessions: StaffSessions
    worklist: Worklist
    notifier: Notifier | None
    outbox: NoticeOutbox | None  # with e-mail configured: to say when it keeps failing
    clock: Callable[[], datetime]
    dev_mode: bool


def console() -> Console:
    found: Console = current_app.extensions["ivr_staff"]
    return found


@bp.before_request
def _guard() -> Response | None:
    """Logged in first (a click after the session ended goes to the login page, losing
    nothing), then the CSRF token of every form."""
    if request.endpoint not in OPEN_ENDPOINTS:
        refused = require_staff()
        if refused is not None:
            return refused
    if request.method == "POST":
        try:
            validate_csrf(request.form.get("csrf_token"))
        except (ValidationError, CSRFError) as exc:
            log.warning("staff form refused: CSRF token missing or wrong (%s)", request.path)
            return wording.page("staff/error.html", 400, problem="csrf", detail=str(exc))
    return None


def require_staff(after_post: str = "/staff/callbacks") -> Response | None:
    """None for a logged-in staff member (``g.staff`` is set). Otherwise the session is
    cleared and the answer is a redirect to the login page, which comes back to this page
    afterwards (after a POST: to ``after_post``). Also guards the web phone and the tree map."""
    name = console().sessions.holder(session.get("token"), console().clock())
    if name is None:
        clicked_by = session.get(WHO)
        if session:  # none when no cookie came (a form on another site): none to delete
            session.clear()
        keep_unsaved(clicked_by)
        back = request.full_path.rstrip("?") if request.method == "GET" else after_post
        return redirect(url_for("staff.login", next=back))
    g.staff = name
    return None


UNSAVED = "unsaved"  # in the session: a worklist action sent after the session had ended
WHO = "who"  # in the session: whose it is (set at login), so a kept click goes to them only
WEAK_PASSWORD = "weak_password"  # in the session: the password is below today's rule


def keep_unsaved(clicked_by: object) -> None:
    """A click on the worklist that came after the session ended is not done, never replayed
    by itself: it is kept in the (new, logged-out) session, and after the same worker logs in
    again the worklist shows it with one button to save it after all
    (``worklist_views.worklist``); a colleague logging in on that browser does not see it."""
    args = request.view_args or {}
    if request.method != "POST" or request.endpoint != "staff.act" or not _from_the_console():
        return
    if args.get("action") not in wording.BUTTONS:
        return
    session[UNSAVED] = {
        "id": int(args["request_id"]),
        "action": str(args["action"]),
        "note": clean_note(request.form.get("note", "")),
        "from": "history" if request.form.get("from") == "history" else "",
        "seen": " ".join(n for n in request.form.get("seen", "").split()[:50] if n.isdigit()),
        "by": clicked_by if isinstance(clicked_by, str) else "",
    }


def _from_the_console() -> bool:
    """Whether the browser says this form was sent from the console's own pages: a form on
    another site could otherwise leave a click of its choosing to be saved after login (the
    session cookie, SameSite=Lax, does not come with it, so CSRF cannot tell). A request that
    says neither (no browser) counts as the console's."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


@bp.context_processor
def _context() -> dict[str, object]:
    staff = console()
    return {
        "staff": g.get("staff"),
        "mail_on": staff.settings.mail is not None,
        "dev_mode": staff.dev_mode,
        "weak_password": bool(session.get(WEAK_PASSWORD)),
        "max_attempts": staff.worklist.max_attempts,
    }


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    if console().settings.secure_cookies:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


@bp.errorhandler(StorageError)
def _storage_down(exc: StorageError) -> Response:
    log.error("staff console: %s", exc)
    return wording.page("staff/error.html", 503, problem="storage")


def init_app(
    app: Flask,
    settings: StaffSettings,
    accounts: Accounts,
    worklist: Worklist,
    notifier: Notifier | None,
    clock: Callable[[], datetime],
    dev_mode: bool,
    service_names: dict[str, str],
) -> None:
    # the routes join bp
    from ivr.web.staff import (  # noqa: F401
        auth,
        content_saving,
        content_views,
        stats_views,
        totp_views,
        translation_views,
        version_views,
        worklist_views,
    )

    app.secret_key = settings.secret_key
    app.session_interface = CookieSessions()
    app.config.update(
        SESSION_COOKIE_NAME="ivr_staff",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=IDLE_LIMIT,
        WTF_CSRF_TIME_LIMIT=None,  # valid as long as the session: a worklist stays open all day
    )
    if settings.secret_is_temporary:
        log.warning(
            "DEVELOPMENT MODE: no SECRET_KEY, so a temporary one signs staff logins; "
            "everyone is logged out when the line restarts"
        )
    if settings.secure_cookies and not settings.trusted_proxies:
        log.warning(
            "TRUSTED_PROXIES is 0: failed staff logins are counted per address, and behind a "
            "proxy (Heroku: set TRUSTED_PROXIES=1) every login seems to come from the proxy"
        )
    if settings.mail is None:
        log.warning("SMTP_HOST is not set: the helpdesk gets no e-mail about callback requests")
    elif settings.public_base_url is None:
        log.warning(
            "SMTP_HOST is set but PUBLIC_BASE_URL is not: the e-mail to the helpdesk cannot "
            "link to the worklist; set PUBLIC_BASE_URL"
        )
    outbox = NoticeOutbox(worklist.database) if settings.mail is not None else None
    sessions = StaffSessions(accounts.database)
    app.extensions["ivr_staff"] = Console(
        settings, accounts, sessions, worklist, notifier, outbox, clock, dev_mode
    )
    app.jinja_env.globals["csrf_token"] = generate_csrf
    wording.init_app(app, service_names)
    app.register_blueprint(bp)
