"""Log lines a client cannot forge, naming no caller: control characters in every logged message
are escaped (ivr.web.log_lines), whatever handler prints them; calls are named by pseudonym."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

from ivr.web.log_lines import escaped
from tests.support.calls import CALL_KEY, CALL_SID, Caller
from tests.support.signing import BASE, TOKEN

FORGED = "INFO ivr.web.staff.auth: staff login: anna"
FORMAT = "%(levelname)s %(name)s: %(message)s"  # the line's own (create_app's basicConfig)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("\r\n" + FORGED, "\\r\\n" + FORGED),
        ("a\u2028b\u2029c", "a\\u2028b\\u2029c"),
        ("\x00\x1b[31m\x7f", "\\x00\\x1b[31m\\x7f"),
        ("\x85\x9b", "\\u0085\\u009b"),
        ("\u202egnp.exe", "\\u202egnp.exe"),
        ("tab\there", "tab\\there"),
        ("\U000e0001", "\\U000e0001"),
        ("Zoë bij één loket, 100% \\ niets", "Zoë bij één loket, 100% \\ niets"),
    ],
    ids=[
        "crlf",
        "unicode-separators",
        "c0-and-del",
        "c1",
        "bidi-override",
        "tab",
        "astral-format",
        "printable-unchanged",
    ],
)
def test_control_characters_are_written_as_escapes(text: str, written: str) -> None:
    assert escaped(text) == written


@pytest.fixture
def log_lines(app: Flask) -> Iterator[io.StringIO]:
    """The log as a handler configured after the app prints it (as a server may configure
    logging), in the line's own format, at INFO."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield out
    root.removeHandler(handler)
    root.setLevel(level)


def test_a_crafted_path_is_one_escaped_line(client: FlaskClient, log_lines: io.StringIO) -> None:
    path = "/voice/answer\r\nINFO ivr: forged"
    form = {**Caller(client).params, "Digits": "1"}
    signature = RequestValidator(TOKEN).compute_signature(f"{BASE}{path}?p=n", form)
    response = client.post(
        quote(path), query_string="p=n", data=form, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 200
    assert log_lines.getvalue() == (
        f"WARNING ivr.web.voice_routes: webhook /voice/answer\\r\\nINFO ivr: forged for call "
        f"{CALL_KEY}: unknown route 'answer\\r\\nINFO ivr: forged'\n"
    )


def test_the_unsigned_fallback_names_the_call_by_pseudonym(
    client: FlaskClient, log_lines: io.StringIO
) -> None:
    form = {"CallSid": CALL_SID, "ErrorCode": "11200\r\n" + FORGED}
    assert client.post("/voice/fallback", data=form).status_code == 200
    lines = log_lines.getvalue().splitlines()
    assert lines[0] == (
        f"ERROR ivr.web.voice_routes: FALLBACK ANSWERED WITHOUT A VALID SIGNATURE (call "
        f"{CALL_KEY}): if this was Twilio, /voice refuses its requests too; fix the signature "
        "settings"
    )
    assert lines[-1] == (
        f"ERROR ivr.web.voice_routes: Twilio used the fallback URL for call {CALL_KEY} "
        "(ErrorCode (not a code))"
    )
    assert CALL_SID not in log_lines.getvalue()


def test_a_failing_webhook_names_the_call_by_pseudonym(
    client: FlaskClient, log_lines: io.StringIO, monkeypatch: pytest.MonkeyPatch, app: Flask
) -> None:
    def broken(*args: object) -> bytes:
        raise RuntimeError("the flow broke")

    monkeypatch.setattr(app.extensions["ivr_line"], "answer", broken)
    assert Caller(client).post("/voice/answer?p=n", Digits="1").status == 200
    first = log_lines.getvalue().splitlines()[0]
    assert first == f"ERROR ivr.web.voice_routes: webhook /voice/answer failed for call {CALL_KEY}"
    assert CALL_SID not in log_lines.getvalue()


def test_the_staff_consoles_loggers_are_escaped(app: Flask, log_lines: io.StringIO) -> None:
    logging.getLogger("ivr.web.staff.auth").warning(
        "staff login failed (account %s)", "anna\u2028" + FORGED
    )
    assert log_lines.getvalue() == (
        f"WARNING ivr.web.staff.auth: staff login failed (account anna\\u2028{FORGED})\n"
    )


def test_a_traceback_keeps_its_lines_and_escapes_its_message(
    app: Flask, log_lines: io.StringIO
) -> None:
    try:
        try:
            int("7\r\n" + FORGED)
        except ValueError as exc:
            raise RuntimeError("while reading\n" + FORGED) from exc
    except RuntimeError:
        logging.getLogger("ivr.web.voice_routes").exception("webhook %s failed", "/voice\n")
    lines = log_lines.getvalue().splitlines()
    assert lines[0] == "ERROR ivr.web.voice_routes: webhook /voice\\n failed"
    assert lines[1] == "Traceback (most recent call last):"
    assert [line for line in lines if "Error:" in line] == [
        f"ValueError: invalid literal for int() with base 10: '7\\r\\n{FORGED}'",
        f"RuntimeError: while reading\\n{FORGED}",
    ]
    assert [line for line in lines if line.startswith("INFO")] == []
    assert len([line for line in lines if line.startswith('  File "')]) == 2
