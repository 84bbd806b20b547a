"""Only Twilio may drive the line: signatures, proxies, explicit development mode."""

from __future__ import annotations

import logging

import pytest
from twilio.request_validator import RequestValidator

from ivr.core.call_events import CALLBACKS, call_key
from ivr.core.errors import ConfigError
from ivr.web.app import create_app
from tests.support.calls import CALL_SECRET, Caller
from tests.support.signing import BASE, SECRET, TOKEN

PARAMS = {"CallSid": "CA1", "From": "+31612345678", "To": "+31208000000"}


def test_signed_request_is_answered(caller: Caller) -> None:
    assert caller.post("/voice").status == 200


def test_unsigned_request_is_refused(client) -> None:
    assert client.post("/voice", data=PARAMS).status_code == 403


def test_wrongly_signed_request_is_refused(client) -> None:
    response = client.post("/voice", data=PARAMS, headers={"X-Twilio-Signature": "bm9wZQ=="})
    assert response.status_code == 403


def test_signature_over_other_parameters_is_refused(client) -> None:
    signature = RequestValidator(TOKEN).compute_signature("http://localhost/voice", PARAMS)
    tampered = {**PARAMS, "Digits": "1"}
    response = client.post("/voice", data=tampered, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403


def test_request_signed_with_another_token_is_refused(client) -> None:
    assert Caller(client, token="someone-else").post("/voice").status == 403


def test_fallback_url_answers_its_apology_unsigned_and_says_so_loudly(client, caplog) -> None:
    with caplog.at_level(logging.ERROR):
        response = client.post("/voice/fallback", data=PARAMS)
    assert response.status_code == 200
    assert "Sorry, deze telefoonlijn werkt nu even niet." in response.get_data(as_text=True)
    # the call's pseudonym, never its CallSid
    name = call_key(CALL_SECRET, "CA1", CALLBACKS)
    assert f"FALLBACK ANSWERED WITHOUT A VALID SIGNATURE (call {name})" in caplog.text


def test_validator_matches_twilios_published_test_vector() -> None:
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+12349013030",
        "Digits": "1234",
        "From": "+12349013030",
        "To": "+18005551212",
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert RequestValidator("12345").validate(url, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")


def _behind_proxy(client, headers: dict[str, str]):
    public = "https://line.example.org/voice"
    signature = RequestValidator(TOKEN).compute_signature(public, PARAMS)
    return client.post(
        "/voice",
        data=PARAMS,
        base_url="http://10.1.2.3:8000",
        headers={"X-Twilio-Signature": signature, **headers},
    )


FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "line.example.org"}


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(FORWARDED, id="forwarded-host"),
        pytest.param({"Host": "line.example.org", "X-Forwarded-Proto": "https"}, id="host"),
    ],
)
def test_a_trusted_proxy_never_chooses_the_signed_url(make_app, headers) -> None:
    """A request Twilio signed for another app on the same account, its host named in a header:
    refused. Only PUBLIC_BASE_URL (here http://localhost) names the URL Twilio signed."""
    client = make_app(TRUSTED_PROXIES="1").test_client()
    assert _behind_proxy(client, headers).status_code == 403


def test_forwarded_headers_are_ignored_unless_the_proxy_is_trusted(make_app) -> None:
    client = make_app().test_client()
    assert _behind_proxy(client, FORWARDED).status_code == 403


def test_public_base_url_rebuilds_the_signed_url(make_app) -> None:
    client = make_app(PUBLIC_BASE_URL="https://line.example.org").test_client()
    assert _behind_proxy(client, {}).status_code == 200


def test_public_base_url_keeps_the_query_string(make_app) -> None:
    client = make_app(PUBLIC_BASE_URL="https://line.example.org").test_client()
    public = "https://line.example.org/voice/answer?p=nn&ni=1"
    data = {**PARAMS, "Digits": "1"}
    signature = RequestValidator(TOKEN).compute_signature(public, data)
    response = client.post(
        "/voice/answer?p=nn&ni=1", data=data, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 200


def test_without_token_the_app_refuses_to_start_naming_the_key(clock) -> None:
    with pytest.raises(ConfigError, match=r"^TWILIO_AUTH_TOKEN: is not set"):
        create_app({}, clock=clock)


def test_development_mode_is_explicit_and_loud(clock, caplog, tmp_path) -> None:
    with caplog.at_level(logging.WARNING):
        app = create_app({"IVR_DEV_MODE": "1", "IVR_INSTANCE_PATH": str(tmp_path)}, clock=clock)
    assert "DEVELOPMENT MODE" in caplog.text
    assert "signatures are NOT checked" in caplog.text
    assert app.test_client().post("/voice", data=PARAMS).status_code == 200


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("IVR_DEV_MODE", "maybe"),
        ("GATHER_TIMEOUT", "0"),
        ("PUBLIC_BASE_URL", "line.example.org"),
        ("MARKANT_HOURS", "weekdays"),
        ("MARKANT_DIAL_NUMBER", "020 886 88 00"),
        ("SOCIAAL_LOKET_CLOSED_DATES", "5 mei"),
    ],
    ids=["dev-mode", "timeout", "base-url", "hours", "dial-number", "closed-dates"],
)
def test_bad_settings_fail_with_the_keys_name(clock, tmp_path, key: str, value: str) -> None:
    env = {
        "TWILIO_AUTH_TOKEN": TOKEN,
        "PUBLIC_BASE_URL": BASE,
        "IVR_SQLITE_PATH": str(tmp_path / "ivr.sqlite3"),
    }
    with pytest.raises(ConfigError) as info:
        create_app({**env, "SECRET_KEY": SECRET, key: value}, clock=clock)
    assert info.value.key == key
    assert str(info.value).startswith(f"{key}: ")


def test_caller_number_is_never_logged(caller: Caller, caplog) -> None:
    with caplog.at_level(logging.DEBUG):
        caller.post("/voice/answer?p=zz", Digits="1")
        caller.post("/voice/nonsense")
    assert "612345678" not in caplog.text
    assert "CA00000000000000000000000000000001" not in caplog.text  # Twilio links it to the number
    assert call_key(CALL_SECRET, "CA00000000000000000000000000000001", CALLBACKS) in caplog.text


def test_signature_over_the_url_with_the_default_port_is_accepted(make_app) -> None:
    client = make_app(PUBLIC_BASE_URL="https://line.example.org").test_client()
    signed_url = "https://line.example.org:443/voice"
    signature = RequestValidator(TOKEN).compute_signature(signed_url, PARAMS)
    response = client.post("/voice", data=PARAMS, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200


def test_repeated_parameters_are_signed_like_twilio_does(client) -> None:
    from werkzeug.datastructures import MultiDict

    data = MultiDict([*PARAMS.items(), ("Digits", "1"), ("Digits", "2")])
    signature = RequestValidator(TOKEN).compute_signature("http://localhost/voice", data)
    response = client.post("/voice", data=data, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "multipart/form-data; boundary=x", "text/plain"],
    ids=["json", "multipart", "text"],
)
def test_bodies_that_are_not_twilios_form_are_refused(client, content_type: str) -> None:
    signature = RequestValidator(TOKEN).compute_signature("http://localhost/voice", PARAMS)
    response = client.post(
        "/voice",
        data="CallSid=CA1",
        headers={"X-Twilio-Signature": signature, "Content-Type": content_type},
    )
    assert response.status_code == 403
