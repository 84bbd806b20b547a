"""One Twilio webhook as the line reads it: its form, read once, and the URL Twilio signed.

Twilio posts ``application/x-www-form-urlencoded``; the body is parsed here with the standard
library's ``unquote_plus``, not Werkzeug's general form parser (bench/README.md: the cost). The
webhook view reads a ``TwilioRequest`` once, checks its signature (``ivr.web.signature``) and
hands it to the line (``Line.answer``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote_plus

from flask import Request

from ivr.core.twilio_words import BRIDGED_VALUES, Param

FORM_TYPE = "application/x-www-form-urlencoded"
MAX_BODY = 64 * 1024  # Twilio's voice parameters are about 1 KB; the app's MAX_CONTENT_LENGTH
SIGNATURE_HEADER = "X-Twilio-Signature"


class Params(dict[str, list[str]]):
    """Parameters by name, each with all its values (as Twilio signs them)."""

    def first(self, name: str, default: str = "") -> str:
        """The first value of a parameter (``Digits``, ``CallSid`` …), or ``default``."""
        values = self.get(name)
        return values[0] if values else default


@dataclass(frozen=True)
class TwilioRequest:
    """A webhook's form (not the query string: that is the call state), the URL Twilio
    requested as Twilio saw it, and the signature it sent."""

    form: Params
    url: str
    query: str
    signature: str

    @classmethod
    def read(cls, req: Request, base_url: str | None) -> TwilioRequest:
        """Read the request's body once (a POST of a form; anything else has no parameters).
        A body over MAX_BODY is refused with 413 before it is read (MAX_CONTENT_LENGTH)."""
        form = parse_form(req.get_data(cache=True)) if is_form_post(req) else Params()
        return cls(
            form, public_url(req, base_url), req.query_string.decode("latin-1"), signature_of(req)
        )

    def param(self, name: Param) -> str:
        return self.form.first(name)

    @property
    def call_sid(self) -> str:
        return self.form.first(Param.CALL_SID)

    @property
    def digits(self) -> str:
        return self.form.first(Param.DIGITS).strip()

    @property
    def speech(self) -> str:
        return self.form.first(Param.SPEECH)

    @property
    def bridged(self) -> bool | None:
        """``DialBridged``: False when the answering person declined; None when absent."""
        return BRIDGED_VALUES.get(self.form.first(Param.DIAL_BRIDGED))

    @property
    def spoken(self) -> bool:
        """The caller answered in words rather than keys."""
        return bool(self.speech) and not self.digits


def signature_of(req: Request) -> str:
    return req.headers.get(SIGNATURE_HEADER, "")


def is_form_post(req: Request) -> bool:
    """A POST of ``application/x-www-form-urlencoded`` (any charset parameter): how Twilio
    sends every webhook."""
    return req.method == "POST" and req.mimetype == FORM_TYPE


def parse_form(body: bytes) -> Params:
    """Every parameter of a form-encoded body, with all its values."""
    found = Params()
    for name, value in form_fields(body.decode("utf-8", errors="replace")):
        found.setdefault(name, []).append(value)
    return found


def form_fields(encoded: str) -> list[tuple[str, str]]:
    """``name=value`` pairs of a form-encoded string, decoded: what ``urllib.parse.parse_qsl``
    gives with ``keep_blank_values=True`` (only what carries ``%`` or ``+`` is decoded:
    Twilio's ~30 parameters are mostly plain)."""
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


def query_args(query: str) -> dict[str, str]:
    """A query string's parameters (the call state), the first value of each name."""
    found: dict[str, str] = {}
    for name, value in form_fields(query):
        found.setdefault(name, value)
    return found


def public_url(req: Request, base_url: str | None) -> str:
    """The URL Twilio requested, query string included: PUBLIC_BASE_URL and the path. Only in
    development mode, where PUBLIC_BASE_URL may be missing, the URL the request itself names."""
    if base_url:
        query = req.query_string.decode("latin-1")
        return f"{base_url}/{req.path.lstrip('/')}" + (f"?{query}" if query else "")
    return req.url
