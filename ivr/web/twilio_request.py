"""Twilio's webhook parameters, read once per request, and the public URL Twilio requested.

Twilio posts ``application/x-www-form-urlencoded``; the body is parsed here with the standard
library's ``unquote_plus`` (much cheaper than Werkzeug's general form parser), kept in the
request's WSGI environ, and used by both the signature check and the webhooks, in Flask or
before it (``ivr.web.prepared_webhooks``).
"""

from __future__ import annotations

import functools
import io
from typing import TYPE_CHECKING
from urllib.parse import unquote_plus

from flask import Request, request
from werkzeug.wrappers import Request as WerkzeugRequest

from ivr.core.replies import Reply, classify

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

FORM_TYPE = "application/x-www-form-urlencoded"
MAX_BODY = 64 * 1024  # Twilio's voice parameters are about 1 KB; the app's MAX_CONTENT_LENGTH
PARAMS_KEY = "ivr.twilio_params"  # the parsed form, kept in the WSGI environ


class Params(dict[str, list[str]]):
    """Parameters by name, each with all its values (as Twilio signs them)."""

    def first(self, name: str, default: str = "") -> str:
        """The first value of a parameter (``Digits``, ``CallSid`` …), or ``default``."""
        values = self.get(name)
        return values[0] if values else default


def caller_reply(form: Params) -> tuple[Reply, bool]:
    """What the caller answered a Gather (``Digits`` or ``SpeechResult``), and whether in
    words rather than keys."""
    digits, speech = form.first("Digits").strip(), form.first("SpeechResult")
    return classify(digits, speech), bool(speech) and not digits


def params() -> Params:
    """Every parameter of the current request's body (not the query string), parsed once."""
    return twilio_form(request._get_current_object())


def twilio_form(req: Request) -> Params:
    """The parameters of a request's body: a POST of ``application/x-www-form-urlencoded``,
    parsed once per request and kept in its WSGI environ (``posted_form``)."""
    environ = req.environ
    found: Params | None = environ.get(PARAMS_KEY)
    if found is None and "stream" not in vars(req):  # Werkzeug has not started reading it
        found = posted_form(environ)
    if found is None:
        # No form, or one Werkzeug must read (chunked, or longer than MAX_BODY: 413 over
        # MAX_CONTENT_LENGTH before it is read).
        found = parse_form(req.get_data(cache=True)) if is_form_post(environ) else Params()
        environ[PARAMS_KEY] = found
    return found


def posted_form(environ: WSGIEnvironment) -> Params | None:
    """The parameters of a form POST of a known length of at most MAX_BODY (every webhook of
    Twilio's), read straight from ``wsgi.input`` (a fifth of Werkzeug's cost) and kept in the
    environ; the body is put back for any later reader. None for any other request."""
    length = environ.get("CONTENT_LENGTH", "")
    # at most 6 digits: int() of a very long one raises
    if not (is_form_post(environ) and len(length) <= 6 and length.isascii() and length.isdigit()):
        return None
    if int(length) > MAX_BODY:
        return None
    body: bytes = environ["wsgi.input"].read(int(length))
    environ["wsgi.input"] = io.BytesIO(body)
    found = environ[PARAMS_KEY] = parse_form(body)
    return found


def is_form_post(environ: WSGIEnvironment) -> bool:
    """A POST of ``application/x-www-form-urlencoded`` (any charset parameter): how Twilio
    sends every webhook."""
    content_type = environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower()
    return bool(environ.get("REQUEST_METHOD") == "POST" and content_type == FORM_TYPE)


def parse_form(body: bytes) -> Params:
    """Every parameter of a form-encoded body, with all its values."""
    found = Params()
    for name, value in form_fields(body.decode("utf-8", errors="replace")):
        found.setdefault(name, []).append(value)
    return found


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


def public_url(environ: WSGIEnvironment, base_url: str | None) -> str:
    """The URL Twilio requested, query string included: PUBLIC_BASE_URL and the path, or the
    URL the request itself names (after ProxyFix, when proxies are trusted)."""
    if base_url:
        # Werkzeug's request.path: PATH_INFO decoded, with one leading "/"
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")
        query = environ.get("QUERY_STRING", "")
        return f"{base_url}/{path.lstrip('/')}" + (f"?{query}" if query else "")
    parts = tuple(environ.get(name) for name in URL_PARTS)
    if sum(len(part) for part in parts if part) > KEPT_URL_LENGTH:
        return _request_url.__wrapped__(*parts)  # not kept: junk cannot fill the memory
    return _request_url(*parts)


# What Werkzeug's request.url is made of: the scheme, the Host header or the server's address
# (after ProxyFix, when proxies are trusted), the mount point, the path and the query string.
URL_PARTS = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
)
KEPT_URL_LENGTH = 512  # a webhook URL of this line is under 100 characters


@functools.lru_cache(maxsize=4096)
def _request_url(*parts: str | None) -> str:
    """Werkzeug's request.url for these URL_PARTS (its IRI quoting costs ~35 µs a request),
    kept per distinct URL: a line's webhook URLs are its steps on one or two hosts."""
    environ = {name: part for name, part in zip(URL_PARTS, parts, strict=True) if part is not None}
    return WerkzeugRequest(environ, populate_request=False).url
