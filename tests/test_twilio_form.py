"""Twilio's form is read with the line's own reader: exactly what the standard library's
``parse_qsl`` gives, for everything Twilio sends (non-ASCII speech, ``+`` and ``%`` escapes)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pytest
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request

from ivr.web.signature import twilio_signature
from ivr.web.twilio_request import form_fields, public_url, query_args

BODIES = {
    "twilio's form": urlencode(
        {"CallSid": "CA1", "From": "+31612345678", "Digits": "1", "FinishedOnKey": ""}
    ),
    "spoken non-ascii": urlencode({"SpeechResult": "Nee, één keer. Ça va?", "Confidence": "0.9"}),
    "json token": urlencode({"CallToken": '{"a":"b&c=d","e":["f g"]}'}),
    "blank and bare names": "a=&b&=c&&d=1",
    "repeated names": "Digits=1&Digits=2",
    "raw utf-8 and plus": "SpeechResult=ja+hoor+%E2%82%AC&x%20y=z+",
    "bad escapes": "a=%ZZ&b=%E2%82&c=%",
    "two equals signs": "a=b=c",
    "empty": "",
}


@pytest.mark.parametrize("body", list(BODIES.values()), ids=list(BODIES))
def test_the_form_reads_as_parse_qsl_does(body: str) -> None:
    assert form_fields(body) == parse_qsl(body, keep_blank_values=True)


def test_the_query_keeps_the_first_value_of_each_name() -> None:
    assert query_args("p=jn&s=offer&p=nn&r=") == {"p": "jn", "s": "offer", "r": ""}


@pytest.mark.parametrize(
    "values",
    [{"a": ["1"], "b": ["x y"]}, {"Digits": ["2", "1", "2"]}, {}],
    ids=["plain", "repeated", "none"],
)
def test_the_signature_is_twilio_s(values: dict[str, list[str]]) -> None:
    url = "https://line.example/voice/answer?p=j"
    expected = RequestValidator("token").compute_signature(url, MultiDict(values))
    assert twilio_signature(b"token", url, values).decode() == expected


URL_ENVIRONS = {
    "host-header": {"HTTP_HOST": "line.example.org", "PATH_INFO": "/voice/answer"},
    "https-default-port": {
        "wsgi.url_scheme": "https",
        "HTTP_HOST": "line.example.org:443",
        "PATH_INFO": "/voice/answer",
        "QUERY_STRING": "p=nj&ni=1",
    },
    "no-host-header": {"SERVER_NAME": "10.1.2.3", "SERVER_PORT": "8000", "PATH_INFO": "/voice"},
    "mounted": {"HTTP_HOST": "h", "SCRIPT_NAME": "/lijn", "PATH_INFO": "/voice/menu"},
    "quoted-query": {"HTTP_HOST": "h", "PATH_INFO": "/voice", "QUERY_STRING": "a=%C3%A9%2F+b"},
}


def _request(parts: dict[str, str]) -> Request:
    environ = {"wsgi.url_scheme": "http", "SERVER_NAME": "localhost", "SERVER_PORT": "80"}
    return Request(environ | parts)


@pytest.mark.parametrize("parts", URL_ENVIRONS.values(), ids=URL_ENVIRONS.keys())
def test_the_public_url_without_a_base_is_the_url_the_request_names(
    parts: dict[str, str],
) -> None:
    request = _request(parts)
    assert public_url(request, None) == request.url


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        pytest.param(
            URL_ENVIRONS["host-header"], "https://lijn.example/voice/answer", id="no-query"
        ),
        pytest.param(
            URL_ENVIRONS["https-default-port"],
            "https://lijn.example/voice/answer?p=nj&ni=1",
            id="query-kept-as-sent",
        ),
        pytest.param(
            URL_ENVIRONS["quoted-query"], "https://lijn.example/voice?a=%C3%A9%2F+b", id="quoted"
        ),
    ],
)
def test_the_public_url_with_a_base_is_the_base_and_the_path(
    parts: dict[str, str], expected: str
) -> None:
    assert public_url(_request(parts), "https://lijn.example") == expected
