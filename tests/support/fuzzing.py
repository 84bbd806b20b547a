"""Crafted requests for the fuzz test (tests/test_fuzz_input.py): hostile values, what a route
reads, and a visitor that sends each crafted request and notes every answer not allowed."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_from_bytes, unquote

from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict
from werkzeug.routing import Rule

from ivr.web.twilio_request import MAX_BODY, parse_form
from tests.support.signing import BASE, TOKEN

# What a client sends, as bytes: percent-encoded into paths, query strings and forms (so
# invalid UTF-8 arrives as such), except "raw-percent", sent as it is (a broken escape).
HOSTILE: dict[str, bytes] = {
    "empty": b"",
    "huge": b"x" * 100_000,
    "header-injection": b"\r\nSet-Cookie: a=b",
    "superscript-two": "²".encode(),
    "arabic-three": "٣".encode(),
    "fullwidth-one": "\uff11".encode(),
    "minus-one": b"-1",
    "exponent": b"1e9",
    "beyond-int64": b"99999999999999999999",
    "nul": b"\x00",
    "invalid-utf8": b"\xff\xfe\xc3",
    "percent": b"%",
    "raw-percent": b"%",
    "dot-dot": b"../",
    "markup": b"<script>",
    "line-separators": "\u2028a\u2029\x85".encode(),
    "padded-digit": b" 1\t",
}
# Appended to a sane value as well ("/staff/stats" + line break): the checks after a good start.
SUFFIXES = ("header-injection", "superscript-two", "nul", "invalid-utf8", "raw-percent",
            "line-separators", "beyond-int64", "markup")  # fmt: skip
# Where SQLite and PostgreSQL differ (NUL, integer widths, encodings, sizes, Unicode line
# breaks): the values PostgreSQL is sent too. SQLite is sent every value.
DATABASES_DIFFER = frozenset({"nul", "beyond-int64", "invalid-utf8", "huge", "line-separators"})
# JSON bodies carry text (lone surrogates included) and other types.
HOSTILE_JSON: dict[str, Any] = {
    **{name: value.decode("utf-8", "surrogateescape") for name, value in HOSTILE.items()},
    "null": None,
    "number": 1e308,
    "list": ["1"],
    "object": {"a": 1},
}

CSRF = "{csrf}"  # in a sane value: the session's CSRF token
STATE = "{state}"  # in a sane value: the web phone's signed call state


@dataclass(frozen=True)
class Reads:
    """What one route reads, each with a sane value; ``path``: its path arguments' values.
    ``stored``: it reads or writes storage (fuzzed on PostgreSQL too)."""

    path: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)
    json: dict[str, Any] | None = None
    stored: bool = False
    crafted: frozenset[str] | None = None  # the parameters crafted (None: every one)


def wire(label: str, raw: bytes) -> str:
    """A crafted value as sent: percent-encoded, or as it is for a broken escape."""
    return raw.decode("latin-1") if label == "raw-percent" else quote_from_bytes(raw, safe="")


def variants(sane: str, only: frozenset[str] | None = None) -> Iterator[tuple[str, str]]:
    """Each hostile value alone, then some appended to the sane value: (label, as sent);
    ``only``: those labels (None: every one)."""
    for label, raw in HOSTILE.items():
        if only is None or label in only:
            yield label, wire(label, raw)
    for label in SUFFIXES:
        if only is None or label in only:
            yield f"{sane}+{label}", quote(sane, safe="") + wire(label, HOSTILE[label])


def json_variants(sane: Any, only: frozenset[str] | None = None) -> Iterator[tuple[str, Any]]:
    for label, value in HOSTILE_JSON.items():
        if only is None or label in only:
            yield label, value
    for label in SUFFIXES:
        if only is None or label in only:
            yield f"{sane}+{label}", f"{sane}{HOSTILE_JSON[label]}"


@dataclass
class Visitor:
    """Sends each crafted request; ``failures`` lists every answer that is not allowed."""

    client: FlaskClient
    insider: bool
    only: frozenset[str] | None = None  # the hostile values sent (None: every one)
    csrf: str = ""
    state: str = ""
    failures: list[str] = field(default_factory=list)
    sent: int = 0

    def fuzz(self, rule: Rule, method: str, reads: Reads) -> None:
        for where in ("path", "query", "form"):
            for key, sane in getattr(reads, where).items():
                if reads.crafted is not None and key not in reads.crafted:
                    continue
                for label, sent in variants(self._sane(sane), self.only):
                    self.send(rule, method, reads, f"{where} {key}={label}", {key: sent})
        for key, sane in (reads.json or {}).items():
            for label, value in json_variants(self._sane(sane), self.only):
                self.send(rule, method, reads, f"json {key}={label}", json_body={key: value})
        if not (reads.path or reads.query or reads.form or reads.json):
            self.send(
                rule, method, reads, "unread query x=huge", {"x": wire("huge", b"x" * 100_000)}
            )

    def _sane(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        return value.replace(CSRF, self.csrf).replace(STATE, self.state)

    def _encode(self, sane: dict[str, str], crafted: dict[str, str]) -> str:
        return "&".join(
            f"{key}={crafted.get(key, quote(self._sane(value), safe=''))}"
            for key, value in sane.items()
        )

    def _url(self, rule: Rule, reads: Reads, crafted: dict[str, str]) -> str:
        url = rule.rule
        for arg in rule.arguments:
            value = crafted.get(arg, quote(reads.path.get(arg, "x"), safe=""))
            url = re.sub(rf"<(?:[a-z]+(?:\([^)]*\))?:)?{arg}>", value.replace("\\", r"\\"), url)
        return url

    def send(
        self,
        rule: Rule,
        method: str,
        reads: Reads,
        what: str,
        crafted: dict[str, str] | None = None,
        json_body: dict[str, Any] | None = None,
    ) -> None:
        crafted = crafted or {}
        url = self._url(rule, reads, crafted)
        query = self._encode({"x": "", **reads.query} if "x" in crafted else reads.query, crafted)
        headers = {"X-CSRFToken": self.csrf} if self.insider else {}
        sent: dict[str, Any] = {"query_string": query, "headers": headers}
        data = b""
        if method == "POST" and reads.json is not None:
            body = {key: self._sane(value) for key, value in reads.json.items()}
            data = json.dumps({**body, **(json_body or {})}).encode()
            sent |= {"data": data, "content_type": "application/json"}
        elif method == "POST":
            data = self._encode(reads.form, crafted).encode("latin-1")
            sent |= {"data": data, "content_type": "application/x-www-form-urlencoded"}
            if self.insider and url.startswith("/voice"):
                signed = BASE + unquote(url, errors="replace") + (f"?{query}" if query else "")
                fields = MultiDict(parse_form(data))
                headers["X-Twilio-Signature"] = RequestValidator(TOKEN).compute_signature(
                    signed, fields
                )
        self.sent += 1
        try:
            response = self.client.open(url, method=method, **sent)
        except Exception as exc:  # the test client raises what would be a 500
            self.failures.append(f"{method} {rule.rule} {what}: raised {exc!r:.200}")
            return
        found = problem(url, method, response.status_code, response.get_data(), self.insider)
        if found and not (response.status_code == 413 and len(data) > MAX_BODY):
            self.failures.append(f"{method} {rule.rule} {what}: {found}")


def problem(url: str, method: str, status: int, body: bytes, insider: bool) -> str | None:
    """What is wrong with an answer: a 5xx anywhere; on /voice, anything but TwiML where Twilio
    signed the request (the fallback answers even unsigned)."""
    if status >= 500:
        return f"{status}"
    if not url.startswith("/voice"):
        return None
    if ((insider and method == "POST") or url.startswith("/voice/fallback")) and status != 200:
        return f"{status}, not TwiML"
    if status == 200:
        try:
            root = ET.fromstring(body)
        except ET.ParseError as exc:
            return f"not XML: {exc}"
        if root.tag != "Response":
            return f"not TwiML: <{root.tag}>"
    return None
