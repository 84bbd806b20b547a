"""Calls through the signed webhooks, as Twilio makes them: one webhook, or a whole call."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

from ivr.config.staff import default_call_key_secret
from ivr.core.call_events import CALLBACKS, call_key
from tests.support.signing import BASE, SECRET, TOKEN

CALL_SID = "CA00000000000000000000000000000001"
# The key of the calls' pseudonyms in the tests (CALL_KEY_SECRET is not set: derived from SECRET)
CALL_SECRET = default_call_key_secret(SECRET)
# CALL_SID as callback requests store it and their logs say it: its keyed hash under CALL_SECRET
CALL_KEY = call_key(CALL_SECRET, CALL_SID, CALLBACKS)


@dataclass
class Reply:
    status: int
    content_type: str
    xml: str
    root: ET.Element

    def verbs(self) -> list[str]:
        return [el.tag for el in self.root]

    def spoken(self) -> list[str]:
        """Every text the caller hears, in order (inside Gather too)."""
        return ["".join(el.itertext()) for el in self.root.iter() if el.tag in ("Say", "Play")]

    def gather(self) -> ET.Element:
        """The Gather that waits last: the first question's after the welcome's (a caller who
        answers it waited through the welcome), else the one Gather of the turn."""
        found = self.root.findall("Gather")
        assert found, self.xml
        return found[-1]

    def next_url(self) -> str:
        """Where the caller's answer goes: the last Gather's action."""
        return self.gather().attrib["action"]


@dataclass
class Caller:
    """Posts webhooks the way Twilio does: form parameters, signed with the auth token."""

    client: FlaskClient
    token: str = TOKEN
    base: str = BASE  # the URL Twilio calls (PUBLIC_BASE_URL when the line has one)
    params: dict[str, str] = field(
        default_factory=lambda: {
            "CallSid": CALL_SID,
            "AccountSid": "AC00000000000000000000000000000001",
            "From": "+31612345678",
            "To": "+31208000000",
            "CallStatus": "in-progress",
            "ApiVersion": "2010-04-01",
            "Direction": "inbound",
        }
    )

    def post(self, url: str, headers: dict[str, str] | None = None, **extra: Any) -> Reply:
        data = {**self.params, **{k: str(v) for k, v in extra.items()}}
        signature = RequestValidator(self.token).compute_signature(self.base + url, data)
        response = self.client.post(
            url,
            data=data,
            base_url=self.base,
            headers={"X-Twilio-Signature": signature, **(headers or {})},
        )
        body = response.get_data(as_text=True)
        root = ET.fromstring(body) if response.status_code == 200 else ET.Element("none")
        return Reply(response.status_code, response.content_type, body, root)


@dataclass
class Call:
    """One caller's call: each webhook goes where the last answer said (as Twilio does)."""

    app: Flask
    sid: str
    number: str = "+31612345678"
    last: Reply | None = None
    phone: Caller = field(init=False)

    def __post_init__(self) -> None:
        self.phone = Caller(self.app.test_client())
        self.phone.params = {**self.phone.params, "CallSid": self.sid, "From": self.number}
        self.last = self.phone.post("/voice")

    def press(self, *keys: str) -> Call:
        for key in keys:
            assert self.last is not None
            digits = {"Digits": key} if key else {}  # "": silence (Twilio posts no Digits)
            self.last = self.phone.post(self.last.next_url(), **digits)
        return self

    def say(self, words: str) -> Call:
        assert self.last is not None
        self.last = self.phone.post(self.last.next_url(), SpeechResult=words, Confidence="0.9")
        return self

    def dialed(self, status: str, bridged: str = "true") -> Call:
        assert self.last is not None
        dial = self.last.root.find("Dial")
        assert dial is not None, self.last.xml
        self.last = self.phone.post(
            dial.attrib["action"], DialCallStatus=status, DialBridged=bridged
        )
        return self

    def hang_up(self, seconds: int) -> None:
        """Twilio's status callback: the call is over."""
        ended = self.phone.post("/voice/status", CallStatus="completed", CallDuration=seconds)
        assert (ended.status, ended.verbs()) == (200, [])


def ask_callback(
    app: Flask,
    call_sid: str = CALL_SID,
    number: str = "+31612345678",
    base: str = BASE,
    path: str = "nj",
) -> None:
    """A caller accepts a callback on their own number: signed webhooks, as Twilio sends them.
    ``path``: their answers so far (``nj``: at a question; ``j``: after the crisis advice)."""
    phone = Caller(app.test_client(), base=base)
    phone.params = {**phone.params, "CallSid": call_sid, "From": number}
    said = phone.post(f"/voice/callback?p={path}&s=own", Digits="1").spoken()
    assert said[0].startswith("Genoteerd."), said
