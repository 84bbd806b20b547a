"""Who may use the web phone and the tree map: anyone in development mode, else staff.

Outside development mode the staff console's login decides (``require_staff``); every POST
carries the session's CSRF token (the ``X-CSRFToken`` header, or the form's ``csrf_token``),
checked by the same flask_wtf mechanism as the console's forms. Both pages are never cached
or framed, and run only the scripts the line serves itself.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify, request
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms.validators import ValidationError

from ivr.web.staff import require_staff

log = logging.getLogger(__name__)
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "media-src 'self' https:; form-action 'self'; frame-ancestors 'none'"
    ),
}


def dev_mode() -> bool:
    return bool(current_app.extensions["ivr_staff"].dev_mode)


def _guard() -> Response | tuple[Response, int] | None:
    """Logged in first (or development mode), then the CSRF token of every POST."""
    if not dev_mode():
        refused = require_staff(after_post="/phone")
        if refused is not None:
            return refused
    if request.method == "POST":
        try:
            validate_csrf(request.headers.get("X-CSRFToken") or request.form.get("csrf_token"))
        except (ValidationError, CSRFError) as exc:
            log.warning("refused a POST without a valid CSRF token (%s)", request.path)
            return jsonify(error="csrf", detail=str(exc)), 400
    return None


def _headers(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    return response


def guard(bp: Blueprint) -> None:
    """Development mode or a logged-in staff member, a CSRF token on POST, safe headers."""
    bp.before_request(_guard)
    bp.after_request(_headers)
