"""Twilio's webhook parameters, read once per request, and the public URL Twilio requested.

Twilio posts ``application/x-www-form-urlencoded``; the body is parsed here with the standard
library (much cheaper than Werkzeug's general form parser), kept on ``flask.g``, and used by both
the signature check and the webhooks.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Request, g, request

FORM_TYPE = "application/x-www-form-urlencoded"
MAX_BODY = 64 * 1024  # Twilio's voice parameters are about 1 KB; the app's MAX_CONTENT_LENGTH


class Params(dict[str, list[str]]):
    """Parameters by name, each with all its values (as Twilio signs them)."""

    def first(self, name: str, default: str = "") -> str:
        """The first value of a parameter (``Digits``, ``CallSid`` …), or ``default``."""
        values = self.get(name)
        return values[0] if values else default


def params() -> Params:
    """Every parameter of the current request's body (not the query string), parsed once."""
    found: Params | None = g.get("twilio_params")
    if found is None:
        found = Params()
        req = request._get_current_object()  # one proxy lookup, not one per attribute
        if req.method == "POST" and req.mimetype == FORM_TYPE:
            # MAX_CONTENT_LENGTH: a larger body raises 413 here, before it is read
            body = req.get_data(cache=True).decode("utf-8", errors="replace")
            for name, value in parse_qsl(body, keep_blank_values=True):
                found.setdefault(name, []).append(value)
        g.twilio_params = found
    return found


def param(name: str, default: str = "") -> str:
    """The first value of a Twilio parameter of the current request."""
    return params().first(name, default)


def query() -> dict[str, str]:
    """The current request's query string (the call state), the first value of each name."""
    found: dict[str, str] = {}
    for name, value in parse_qsl(request.environ.get("QUERY_STRING", ""), keep_blank_values=True):
        found.setdefault(name, value)
    return found


def public_url(req: Request, base_url: str | None) -> str:
    """The URL Twilio requested, query string included."""
    if base_url:
        query = req.query_string.decode("latin-1")
        return f"{base_url}{req.path}" + (f"?{query}" if query else "")
    return req.url
