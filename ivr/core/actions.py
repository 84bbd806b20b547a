"""What a turn of the call does, as plain data: the call flow's output, TwiML's input."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ivr.core.call_state import Step


@dataclass(frozen=True)
class Say:
    """Speak text in the call's language (an ``InLanguage`` text in its own language)."""

    text: str


@dataclass(frozen=True)
class Ask:
    """Speak, then wait for one key or a spoken answer; the reply goes to ``then``.

    Silence falls through to the same ``then`` without a reply (a no-input event).
    """

    texts: tuple[str, ...]
    then: Step


@dataclass(frozen=True)
class Keys:
    """Speak, then wait for keys (and the words of ``hints``, if any); they go to ``then``.

    ``digits``: that many keys; ``None``: any number of keys ending with ``#``.
    Silence falls through to the next action.
    """

    texts: tuple[str, ...]
    then: Step
    digits: int | None = None
    timeout: int | None = None
    # Words a caller may also say instead of a key (Twilio's speech hints, in the language the
    # line hears): "" for keys only. The welcome's language choice ("English", "Türkçe").
    hints: str = ""


@dataclass(frozen=True)
class Connect:
    """Put the caller through to a service; the dial outcome goes to ``then``.

    ``whisper``: the step the answering person hears first (and must accept with a key).
    """

    service: str
    then: Step
    whisper: Step | None = None


@dataclass(frozen=True)
class Continue:
    """Go on at another step without waiting for the caller."""

    then: Step


@dataclass(frozen=True)
class Hangup:
    """End the call (always after a spoken goodbye)."""


@dataclass(frozen=True)
class Pace:
    """How the rest of the turn is spoken: ``slow`` (a repeat: slower speech), ``patient``
    (after the caller's second repeat: slower speech and more time to answer)."""

    slow: bool = True
    patient: bool = False


class Outcome(enum.StrEnum):
    CALLBACK = "callback"  # a callback request was stored
    SMS = "sms"  # Twilio accepted the advice by SMS


@dataclass(frozen=True)
class Confirmed:
    """An outcome the outside world confirmed while answering this turn (nothing is spoken):
    the call figures count it, and a stored callback request is announced to the helpdesk."""

    outcome: Outcome


Action = Say | Ask | Keys | Connect | Continue | Hangup | Pace | Confirmed
Turn = tuple[Action, ...]
