"""Requests that are not Twilio's POST: refused with a clear log line, never a traceback, and
a signature that would match over https says which setting is missing."""

from __future__ import annotations

import logging

import pytest
from twilio.request_validator import RequestValidator

from tests.support.calls import CALL_KEY, CALL_SID, Caller
from tests.support.signing import TOKEN

PARAMS = {"CallSid": CALL_SID, "From": "+31612345678", "To": "+31208000000"}
HINT = (
    "the signature matches https://localhost/voice: Twilio called over https (a proxy in "
    "front ended TLS). Set PUBLIC_BASE_URL=https://localhost"
)


@pytest.mark.parametrize(
    "url", ["/voice", "/voice/answer?p=&Digits=1", "/voice/callback?p=&s=own"], ids=str
)
def test_get_on_a_webhook_is_refused_with_405_and_logged(
    client, caplog: pytest.LogCaptureFixture, url: str
) -> None:
    with caplog.at_level(logging.ERROR):
        response = client.get(url)
    assert response.status_code == 405
    assert response.get_data(as_text=True) == "method not allowed: Twilio webhooks use POST"
    path = url.split("?")[0]
    assert [r.getMessage() for r in caplog.records] == [
        f"refused GET {path}: configure the Twilio number's webhooks with HTTP POST"
    ]


def test_get_on_the_fallback_still_apologises(client) -> None:
    response = client.get("/voice/fallback")
    assert response.status_code == 200
    assert "Sorry, deze telefoonlijn werkt nu even niet." in response.get_data(as_text=True)


def https_signature(path: str) -> str:
    return RequestValidator(TOKEN).compute_signature(f"https://localhost{path}", PARAMS)


def test_a_signature_over_https_names_the_setting_to_set(
    client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        response = client.post(
            "/voice", data=PARAMS, headers={"X-Twilio-Signature": https_signature("/voice")}
        )
    assert response.status_code == 403
    assert [r.getMessage() for r in caplog.records] == [
        "refused a webhook with a missing or wrong X-Twilio-Signature",
        HINT,
    ]


def test_the_fallback_answers_an_https_signature_and_names_the_setting(
    client, caplog: pytest.LogCaptureFixture
) -> None:
    signature = https_signature("/voice/fallback")
    with caplog.at_level(logging.ERROR):
        response = client.post(
            "/voice/fallback", data=PARAMS, headers={"X-Twilio-Signature": signature}
        )
    assert response.status_code == 200
    said = [r.getMessage() for r in caplog.records]
    assert said[0].startswith(f"FALLBACK ANSWERED WITHOUT A VALID SIGNATURE (call {CALL_KEY})")
    assert said[1] == HINT.replace("/voice:", "/voice/fallback:")


def test_a_wrong_http_signature_gives_no_https_hint(client, caplog) -> None:
    with caplog.at_level(logging.WARNING):
        client.post("/voice", data=PARAMS, headers={"X-Twilio-Signature": "bm9wZQ=="})
    assert [r.getMessage() for r in caplog.records] == [
        "refused a webhook with a missing or wrong X-Twilio-Signature"
    ]


@pytest.mark.parametrize(
    "signature",
    ["\u00e9\u00e9\u00e9=", "\u20ac" * 28, "b\u0301m9wZQ=="],
    ids=["latin-1", "euro", "combining"],
)
def test_a_non_ascii_signature_is_refused_without_a_traceback(
    client, caplog: pytest.LogCaptureFixture, signature: str
) -> None:
    # Werkzeug's test client sends headers as latin-1; beyond it, the raw bytes as latin-1 text
    raw = signature.encode("utf-8").decode("latin-1")
    with caplog.at_level(logging.WARNING):
        response = client.post("/voice", data=PARAMS, headers={"X-Twilio-Signature": raw})
    assert response.status_code == 403
    assert "Traceback" not in caplog.text
    assert all(r.exc_info is None for r in caplog.records)


@pytest.mark.parametrize(
    "digits", ["0\u00b2" + "1" * 8, "06\u0661" + "1" * 7], ids=["super", "arabic"]
)
def test_typed_digits_beyond_ascii_are_an_unusable_number(caller: Caller, digits: str) -> None:
    reply = caller.post("/voice/number?p=", Digits=digits)
    unusable = caller.post("/voice/number?p=", Digits="12")
    assert reply.status == 200
    assert reply.xml == unusable.xml


def test_an_http_public_base_url_gets_the_https_hint_for_its_own_host(
    make_app, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_app(PUBLIC_BASE_URL="http://line.example.org").test_client()
    signature = RequestValidator(TOKEN).compute_signature("https://line.example.org/voice", PARAMS)
    caplog.clear()  # the start-up warnings
    with caplog.at_level(logging.ERROR):
        response = client.post("/voice", data=PARAMS, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403
    assert [r.getMessage() for r in caplog.records] == [
        HINT.replace("localhost", "line.example.org")
    ]
