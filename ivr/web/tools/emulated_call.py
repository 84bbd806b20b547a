"""A call as the call driver sees it: what the caller heard, what the line waits for, and the
call's whole state between two webhooks (plain data that can travel in a request).
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

from ivr.core.twilio_words import DialStatus

LINE_NUMBER = "+31850000000"  # the number the emulated caller dials (any E.164 number)
CALLERS = {"mobiel": "+31612345678", "vast": "+31201234567", "anoniem": "anonymous"}
# How a tried transfer can go: Twilio's DialCallStatus values, and "declined": the answering
# person heard the whisper and pressed nothing (Twilio then posts completed, DialBridged=false).
DECLINED = "declined"
OUTCOMES = (
    DialStatus.COMPLETED,
    DECLINED,
    DialStatus.BUSY,
    DialStatus.NO_ANSWER,
    DialStatus.FAILED,
)


def new_sid() -> str:
    """A Call SID as Twilio writes them: CA and 32 hex digits, unique per call."""
    return "CA" + secrets.token_hex(16)


@dataclass(frozen=True)
class Heard:
    """One thing the caller hears: ``say`` (its text, and the language of its ``<Say>``:
    "nl-NL", "en-GB") or ``play`` (its URL, and the text it was rendered from when the line
    knows it)."""

    kind: str
    text: str
    url: str = ""
    language: str = ""


@dataclass(frozen=True)
class Wait:
    """What the call waits for: a ``gather`` (keys, or its timeout) or a ``dial`` outcome."""

    kind: str
    action: str
    timeout: int
    num_digits: int | None = None
    finish_on_key: str = ""
    speech: bool = False
    service: str = ""  # dial: the service id (from the action's ``s``)
    number: str = ""  # dial: the number dialled
    whisper: tuple[str, ...] = ()  # dial: what the answering person hears
    whisper_url: str = ""
    accept_url: str = ""  # dial: where the answering person's key goes
    leg_sid: str = ""  # dial: the answering person's call leg


@dataclass(frozen=True)
class CallState:
    """A call between two webhooks: who calls, when, what the line waits for, what follows."""

    sid: str
    caller: str
    moment: str = ""  # ISO time the line sees ("" : now)
    called: str = LINE_NUMBER  # the number the caller dialled (Twilio's To)
    wait: Wait | None = None
    rest: str = ""  # the verbs after the waiting one, as TwiML (run when a Gather times out)
    digits: str = ""  # keys typed so far at a Gather that waits for more

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CallState:
        wait = data.get("wait")
        if wait:
            wait = Wait(**{**wait, "whisper": tuple(wait["whisper"])})
        return cls(**{**data, "wait": wait})


@dataclass
class Progress:
    """What happened since the caller's last move: heard, fetched, sent; then the state."""

    heard: list[Heard] = field(default_factory=list)
    twiml: list[tuple[str, str]] = field(default_factory=list)  # (URL, TwiML) per webhook
    sms: list[str] = field(default_factory=list)  # texts the line sent (none really leave)
    state: CallState | None = None  # None: the call has ended
    ended: str = ""  # "hangup" or "end" (the TwiML ran out)
