"""Twilio's webhook parameters, read once per request, and the public URL Twilio requested.

Twilio posts ``application/x-www-form-urlencoded``; the body is parsed here with the standard
library's ``unquote_plus`` (much cheaper than Werkzeug's general form parser), kept on
``flask.g``, and used by both the signature check and the webhooks.
"""

from __future__ import annotations

import io
from urllib.parse import unquote_plus

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
        found = g.twilio_params = twilio_form(request._get_current_object())
    return found


def twilio_form(req: Request) -> Params:
    """The parameters of a request's body: a POST of ``application/x-www-form-urlencoded``."""
    found = Params()
    environ = req.environ
    content_type = environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower()
    if req.method == "POST" and content_type == FORM_TYPE:
        for name, value in form_fields(read_body(req).decode("utf-8", errors="replace")):
            found.setdefault(name, []).append(value)
    return found


def read_body(req: Request) -> bytes:
    """The request's body. With a ``Content-Length`` of at most MAX_BODY (every webhook of
    Twilio's) straight from ``wsgi.input``, a fifth of Werkzeug's cost, and put back for any
    later reader; otherwise Werkzeug's ``get_data``: chunked bodies, and 413 for a body over
    MAX_CONTENT_LENGTH before it is read."""
    environ = req.environ
    length = environ.get("CONTENT_LENGTH", "")
    known = length.isascii() and length.isdigit() and int(length) <= MAX_BODY
    if known and "stream" not in req.__dict__:  # and Werkzeug has not started reading it
        body: bytes = environ["wsgi.input"].read(int(length))
        environ["wsgi.input"] = io.BytesIO(body)
        return body
    return req.get_data(cache=True)


def form_fields(encoded: str) -> list[tuple[str, str]]:
    """``name=value`` pairs of a form-encoded string, decoded: what ``urllib.parse.parse_qsl``
    gives with ``keep_blank_values=True``, in a third less time (only what carries ``%`` or
    ``+`` is decoded; Twilio's ~30 parameters are mostly plain)."""
    fields = []
    for part in encoded.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        if "%" in name or "+" in name:
            name = unquote_plus(name)
        if "%" in value or "+" in value:
            value = unquote_plus(value)
        fields.append((name, value))
    return fields


def param(name: str, default: str = "") -> str:
    """The first value of a Twilio parameter of the current request."""
    return params().first(name, default)


def query_args(query: str) -> dict[str, str]:
    """A query string's parameters (the call state), the first value of each name."""
    found: dict[str, str] = {}
    for name, value in form_fields(query):
        found.setdefault(name, value)
    return found


def public_url(req: Request, base_url: str | None) -> str:
    """The URL Twilio requested, query string included."""
    if base_url:
        query = req.query_string.decode("latin-1")
        return f"{base_url}{req.path}" + (f"?{query}" if query else "")
    return req.url
