"""Whole calls through the signed webhooks, as Twilio makes them (for the figures' tests)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask

from tests.conftest import Caller, Reply


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
