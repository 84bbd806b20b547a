"""Kept answers are served before Flask (``ivr.web.prepared_webhooks``): byte for byte what
Flask's views answer, with the same call marks; every other request reaches Flask as before."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator
from werkzeug.middleware.proxy_fix import ProxyFix

from ivr.core.call_state import Route
from ivr.web import twilio_request
from ivr.web.prepared_webhooks import NOT_STEPS, PreparedWebhooks
from ivr.web.twilio_request import MAX_BODY
from tests.conftest import CALL_SID, TOKEN, Caller
from tests.test_timeless import Marks

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass
class Counting:
    """Flask's own WSGI app, counting the requests that reach it."""

    app: WSGIApp
    paths: list[str] = field(default_factory=list)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        self.paths.append(environ["PATH_INFO"])
        return self.app(environ, start_response)


@dataclass
class Line:
    """A line whose Flask requests are counted, and the calls it answers."""

    app: Flask
    flask: Counting
    caller: Caller
    marks: Marks


def counted(app: Flask, layered: bool = True) -> Line:
    outer = app.wsgi_app
    layer = outer.app if isinstance(outer, ProxyFix) else outer  # ProxyFix: outermost
    assert isinstance(layer, PreparedWebhooks)
    flask = Counting(layer.wsgi_app)
    if layered:
        layer.wsgi_app = flask
    else:
        app.wsgi_app = flask  # type: ignore[method-assign]
    app.extensions["ivr_line"].recorder = marks = Marks()
    return Line(app, flask, Caller(app.test_client()), marks)


@pytest.fixture
def layered(app: Flask) -> Line:
    return counted(app)


@pytest.fixture
def flask_only(make_app: Callable[..., Flask]) -> Line:
    """The same line without the layer: every request answered by Flask's views."""
    return counted(make_app(), layered=False)


SIGNED_FORM = {"CallSid": "CA00000000000000000000000000000001"}


def _signed(url: str, form: dict[str, str], base: str = "http://localhost") -> dict[str, str]:
    return {"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(base + url, form)}


# A call's webhooks whose answers are kept: the welcome, then replies at the first question.
KEPT = {
    "welcome": ("/voice", {}),
    "nee": ("/voice/answer?p=", {"Digits": "2"}),
    "ja-to-a-question": ("/voice/answer?p=n", {"Digits": "1"}),
    "nee-in-words": ("/voice/answer?p=", {"SpeechResult": "Nee."}),
    "help": ("/voice/answer?p=", {"Digits": "3"}),
    "repeat": ("/voice/answer?p=", {"Digits": "9"}),
    "silence": ("/voice/answer?p=", {"Digits": ""}),
    "wrong-key": ("/voice/answer?p=", {"Digits": "7"}),
    "second-question": ("/voice/answer?p=n", {"Digits": "2"}),
}


@pytest.mark.parametrize(("url", "form"), KEPT.values(), ids=KEPT.keys())
def test_a_kept_answer_is_flasks_answer_byte_for_byte(
    layered: Line, flask_only: Line, url: str, form: dict[str, str]
) -> None:
    by_flask = [flask_only.caller.post(url, **form) for _ in range(2)]
    first, kept = (layered.caller.post(url, **form) for _ in range(2))
    assert (kept.status, kept.content_type, kept.xml) == (200, "text/xml; charset=utf-8", first.xml)
    assert [r.xml for r in by_flask] == [first.xml, kept.xml]
    # Flask answered the first (and kept it, when it is timeless), the layer the second
    assert layered.flask.paths == ([] if url == "/voice" else [url.partition("?")[0]])
    assert layered.marks.noted == flask_only.marks.noted
    assert len(layered.marks.noted) == 2


def test_the_headers_are_flasks(layered: Line, flask_only: Line) -> None:
    client = layered.app.test_client()
    headers = _signed("/voice", SIGNED_FORM)
    kept = client.post("/voice", data=SIGNED_FORM, headers=headers)
    assert layered.flask.paths == []
    by_flask = flask_only.app.test_client().post("/voice", data=SIGNED_FORM, headers=headers)
    assert sorted(kept.headers.items()) == sorted(by_flask.headers.items())
    assert kept.headers["Content-Length"] == str(len(kept.get_data()))


def test_an_answer_not_yet_kept_reaches_flask_with_the_form_read_once(
    layered: Line, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[bytes] = []
    parse = twilio_request.parse_form
    monkeypatch.setattr(
        twilio_request, "parse_form", lambda body: parsed.append(body) or parse(body)
    )
    reply = layered.caller.post("/voice/answer?p=", Digits="2")
    assert reply.status == 200
    assert layered.flask.paths == ["/voice/answer"]
    assert len(parsed) == 1


def posted(
    url: str,
    form: dict[str, str] = SIGNED_FORM,
    signed_form: dict[str, str] | None = None,
    base: str = "http://localhost",
    **kwargs: Any,
) -> Callable[[FlaskClient], Any]:
    """A POST of ``form`` to ``url``, signed for ``base + url`` and ``signed_form`` (by default
    the form itself): what Twilio sends, or one thing off."""
    headers = _signed(url, form if signed_form is None else signed_form, base)
    headers |= kwargs.pop("headers", {})
    return lambda c: c.post(url, data=form, headers=headers, **kwargs)


BIG = {"CallSid": "x" * MAX_BODY}
NEE = {**SIGNED_FORM, "Digits": "2"}
FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "line.example.org"}
# Twilio's request for https://line.example.org/voice, as a TLS proxy at 10.1.2.3 passes it on
BEHIND_A_PROXY = posted(
    "/voice", base="https://line.example.org", base_url="http://10.1.2.3:8000", headers=FORWARDED
)
TRAILING_SLASH = 200  # no such route (404): the line answers it with its apology, as TwiML
# Requests the layer leaves to Flask, and what Flask answers them.
LEFT_TO_FLASK: dict[str, tuple[Callable[[FlaskClient], Any], int]] = {
    "wrong-signature": (
        lambda c: c.post("/voice", data=SIGNED_FORM, headers={"X-Twilio-Signature": "bm9wZQ=="}),
        403,
    ),
    "no-signature": (lambda c: c.post("/voice", data=SIGNED_FORM), 403),
    "wrong-signature-at-a-kept-answer": (
        posted("/voice/answer?p=", NEE, signed_form={**SIGNED_FORM, "Digits": "1"}),
        403,
    ),
    "unsigned-over-the-limit": (lambda c: c.post("/voice/answer?p=", data=BIG), 403),
    "forwarded-by-an-untrusted-proxy": (BEHIND_A_PROXY, 403),
    "trailing-slash": (posted("/voice/"), TRAILING_SLASH),
    "step-with-a-trailing-slash": (posted("/voice/answer/?p=", NEE), TRAILING_SLASH),
    "get": (lambda c: c.get("/voice"), 405),
    "body-over-the-limit": (posted("/voice", BIG), 413),
    "json-body": (
        lambda c: c.post("/voice", json=SIGNED_FORM, headers=_signed("/voice", {})),
        200,
    ),
    "port-in-the-signed-url": (posted("/voice", base="http://localhost:80"), 200),
    "status-callback": (posted("/voice/status", {**SIGNED_FORM, "CallStatus": "completed"}), 200),
    "fallback": (posted("/voice/fallback"), 200),
    "not-a-step": (posted("/voice/nowhere?p="), 200),
}


@pytest.mark.parametrize(("request_", "status"), LEFT_TO_FLASK.values(), ids=LEFT_TO_FLASK.keys())
def test_other_requests_reach_flask_and_get_its_answer(
    layered: Line,
    flask_only: Line,
    request_: Callable[[FlaskClient], Any],
    status: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    for line in (layered, flask_only):  # the welcome is kept from the start, and this answer:
        line.caller.post("/voice/answer?p=", Digits="2")
    reached = len(layered.flask.paths)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        response = request_(layered.app.test_client())
    said = [r.getMessage() for r in caplog.records]
    caplog.clear()
    with caplog.at_level(logging.INFO):
        by_flask = request_(flask_only.app.test_client())
    assert response.status_code == by_flask.status_code == status
    assert response.get_data() == by_flask.get_data()
    assert said == [r.getMessage() for r in caplog.records]
    assert len(layered.flask.paths) == reached + 1
    assert layered.marks.noted == flask_only.marks.noted


def test_behind_a_trusted_proxy_the_layer_sees_the_public_url(
    make_app: Callable[..., Flask],
) -> None:
    line = counted(make_app(TRUSTED_PROXIES="1"))
    response = BEHIND_A_PROXY(line.app.test_client())
    assert response.status_code == 200
    assert line.flask.paths == []


def test_a_failure_in_the_layer_is_logged_and_flask_answers(
    layered: Line,
    flask_only: Line,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(self: PreparedWebhooks, environ: dict[str, Any], path: str) -> bytes:
        raise RuntimeError("broken")

    monkeypatch.setattr(PreparedWebhooks, "prepared", broken)
    with caplog.at_level(logging.ERROR):
        reply = layered.caller.post("/voice")
    assert reply.status == 200
    assert reply.xml == flask_only.caller.post("/voice").xml
    assert [r.getMessage() for r in caplog.records] == [
        "prepared answer failed on /voice; Flask answers it"
    ]
    assert layered.flask.paths == ["/voice"]
    assert layered.marks.noted == flask_only.marks.noted


def test_with_a_public_base_url_the_layer_serves_the_kept_answers(
    make_app: Callable[..., Flask],
) -> None:
    line = counted(make_app(PUBLIC_BASE_URL="https://line.example.org"))
    line.caller.base = "https://line.example.org"
    replies = [line.caller.post(url, **form) for url, form in [*KEPT.values()] * 2]
    assert {r.status for r in replies} == {200}
    assert len(line.flask.paths) == len(KEPT) - 1  # each answered by Flask once, the welcome never


def test_a_failure_after_the_form_was_read_is_answered_by_flask_once(
    layered: Line, flask_only: Line, caplog: pytest.LogCaptureFixture
) -> None:
    kept = layered.caller.post("/voice/answer?p=", Digits="2")
    flask_only.caller.post("/voice/answer?p=", Digits="2")
    line = layered.app.extensions["ivr_line"]
    prepared = line.prepared

    def fails_once(*args: Any) -> bytes | None:
        line.prepared = prepared
        raise RuntimeError("broken")

    line.prepared = fails_once
    with caplog.at_level(logging.ERROR):
        reply = layered.caller.post("/voice/answer?p=", Digits="2")
    assert (reply.status, reply.xml) == (200, kept.xml)
    assert [r.getMessage() for r in caplog.records] == [
        "prepared answer failed on /voice/answer; Flask answers it"
    ]
    assert layered.flask.paths == ["/voice/answer", "/voice/answer"]
    flask_only.caller.post("/voice/answer?p=", Digits="2")
    assert layered.marks.noted == flask_only.marks.noted  # one mark per webhook


def test_no_step_is_named_as_a_webhook_the_layer_leaves_to_flask() -> None:
    assert not NOT_STEPS & {route.value for route in Route}


def test_a_welcome_that_fails_to_render_after_the_audio_changed_is_never_served_stale(
    layered: Line, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    line = layered.app.extensions["ivr_line"]
    monkeypatch.setattr(line, "_audio_generation", lambda: 1)  # a file lost, a new manifest

    def broken(turn: object) -> None:
        raise OSError("audio folder unreadable")

    monkeypatch.setattr(line.writer, "render", broken)
    with caplog.at_level(logging.ERROR):
        reply = layered.caller.post("/voice")
    assert (reply.status, reply.xml) == (200, line.apology_twiml.decode())
    assert [r.getMessage() for r in caplog.records] == [
        "prepared answer failed on /voice; Flask answers it",
        f"webhook /voice failed for call {CALL_SID}",
    ]
