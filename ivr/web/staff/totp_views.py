"""Logging in with a code from an authenticator app on the worker's phone (TOTP), and setting
that app up ("Inloggen met een code van uw telefoon").

After the right password, an account with the app is asked for its code; with
``STAFF_REQUIRE_TOTP`` an account without it first sets it up. Until then the login is halfway:
the session cookie holds only who typed the right password and when (``HALFWAY``), for at most
``HALFWAY_LIMIT``, and opens no page but the code's or the setup's. A right code starts the
session as a right password does without the app (``auth.begin_session``). The QR code is inline
SVG (the console's pages run no script and load nothing from elsewhere).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import lru_cache
from typing import Any

import qrcode
from flask import Response, flash, g, redirect, request, session, url_for
from markupsafe import Markup
from qrcode.image.svg import SvgPathImage

from ivr.storage.totp import Totp, setup_link, setup_mark
from ivr.web.staff import auth, bp, console, wording

log = logging.getLogger(__name__)
HALFWAY = "halfway"  # in the session: the right password was typed, the code is still to come
HALFWAY_LIMIT = timedelta(minutes=5)
CODE = "code"  # what a halfway login waits for: the code of the app it has
SETUP = "setup"  # ... or the setting up of the app it must have (STAFF_REQUIRE_TOTP)
SHOWN = "app_secret_shown"  # in the session: the setup_mark of the secret this browser was shown
WRONG_CODE = (
    "Die code klopt niet of is al gebruikt. Typ de code die de app nu laat zien. "
    "Elke 30 seconden komt er een nieuwe."
)
TOO_LATE = "Dat duurde te lang. Log opnieuw in."
BLOCKED = (
    "De code is te vaak fout ingetypt. Daarom werkt inloggen met de app nu niet. "
    "Vraag de beheerder de app te wissen. Daarna stelt u hem opnieuw in."
)
DONE = "Gelukt. Voortaan vraagt de werklijst na uw wachtwoord ook de code van uw telefoon."


def after_password(username: str, has_app: bool, next_page: str) -> Response | None:
    """After the right password: the page that asks the code (the account has the app) or
    sets the app up (it must have one); None when the password is enough."""
    if not has_app and not console().settings.require_totp:
        return None
    # No session yet: begin_session starts one once the code is right, keeping of this cookie
    # only what it keeps after a password alone.
    waits_for = CODE if has_app else SETUP
    session[HALFWAY] = {
        "name": username,
        "at": console().clock().timestamp(),
        "for": waits_for,
        "next": next_page,
    }
    target = "staff.login_code" if has_app else "staff.login_setup"
    return redirect(url_for(target))  # type: ignore[return-value]


def _halfway(waits_for: str) -> dict[str, Any] | None:
    """The halfway login, if it waits for this and is recent enough."""
    found = session.get(HALFWAY)
    if not isinstance(found, dict) or found.get("for") != waits_for:
        return None
    at = found.get("at")
    now = console().clock().timestamp()
    if not isinstance(at, int | float) or now - at > HALFWAY_LIMIT.total_seconds():
        return None
    return found


def _to_login() -> Response:
    if session.pop(HALFWAY, None) is not None:
        flash(TOO_LATE, "warn")
    return redirect(url_for("staff.login"))  # type: ignore[return-value]


def _finish(halfway: dict[str, Any]) -> Response:
    auth.begin_session(str(halfway["name"]))  # clears the session: the halfway login too
    return redirect(str(halfway["next"]))  # type: ignore[return-value]


@bp.get("/login/code")
def login_code() -> Response:
    if _halfway(CODE) is None:
        return _to_login()
    return wording.page("staff/login_code.html")


@bp.post("/login/code")
def login_code_post() -> Response:
    halfway = _halfway(CODE)
    if halfway is None:
        return _to_login()
    staff = console()
    name = str(halfway["name"])
    address = request.remote_addr or "unknown"
    result = Totp(staff.accounts).check(name, request.form.get("code", ""), address, staff.clock())
    if result.wait:
        log.warning("staff login paused after repeated failures")
        return wording.page("staff/login_code.html", 429, error=auth.paused(result.wait))
    if result.blocked:
        log.error(
            "staff login: account %r typed too many wrong app codes in a row; its app takes "
            "no code until 'ivr staff totp-reset %s'",
            name,
            name,
        )
        return wording.page("staff/login_code.html", 403, error=BLOCKED)
    if not result.ok:
        log.warning("staff login failed: wrong code (account %r)", name)
        return wording.page("staff/login_code.html", 401, error=WRONG_CODE)
    return _finish(halfway)


@bp.get("/login/app-code")
def login_setup() -> Response:
    halfway = _halfway(SETUP)
    if halfway is None:
        return _to_login()
    return _setup_page(str(halfway["name"]), url_for("staff.login_setup_post"), required=True)


@bp.post("/login/app-code")
def login_setup_post() -> Response:
    halfway = _halfway(SETUP)
    if halfway is None:
        return _to_login()
    name = str(halfway["name"])
    action = url_for("staff.login_setup_post")
    if not Totp(console().accounts).confirm(name, request.form.get("code", ""), console().clock()):
        return _setup_page(name, action, required=True, status=400, error=WRONG_CODE)
    log.info("staff authenticator app set up: %s", name)
    flash(DONE, "ok")
    return _finish(halfway)


@bp.get("/app-code")
def app_code() -> Response:
    return _setup_page(g.staff, url_for("staff.app_code_post"), required=False)


@bp.post("/app-code")
def app_code_post() -> Response:
    if not Totp(console().accounts).confirm(
        g.staff, request.form.get("code", ""), console().clock()
    ):
        action = url_for("staff.app_code_post")
        return _setup_page(g.staff, action, required=False, status=400, error=WRONG_CODE)
    log.info("staff authenticator app set up: %s", g.staff)
    flash(DONE, "ok")
    return redirect(url_for("staff.worklist"))  # type: ignore[return-value]


def _setup_page(
    name: str, action: str, required: bool, status: int = 200, error: str = ""
) -> Response:
    """The QR code and the secret while the app is not set up; once it is, only that it is.
    The secret is this browser's alone: another one that opens the page gets a new one."""
    secret = Totp(console().accounts).secret_to_set_up(name, session.get(SHOWN))
    if secret is not None:
        session[SHOWN] = setup_mark(secret)
    return wording.page(
        "staff/app_code.html",
        status,
        action=action,
        required=required,
        secret_groups=None if secret is None else _groups(secret),
        qr=None if secret is None else qr_code(setup_link(name, secret)),
        error=error,
    )


def _groups(secret: str) -> list[str]:
    """The secret in groups of four, to type by hand."""
    return [secret[i : i + 4] for i in range(0, len(secret), 4)]


@lru_cache(maxsize=32)  # 26 ms a drawing: a page reloaded, or sent many times, draws it once
def qr_code(link: str) -> Markup:
    """``link`` as a QR code, an inline ``<svg>`` (no image file, no script)."""
    drawing = qrcode.QRCode(image_factory=SvgPathImage, border=4)
    drawing.add_data(link)
    image = drawing.make_image(**{"class": "qr", "role": "img", "aria-label": "QR-code"})
    return Markup(image.to_string(encoding="unicode"))
