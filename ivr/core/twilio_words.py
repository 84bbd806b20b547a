"""Twilio's words: the parameters of its voice webhooks and the statuses they carry. Pure.

Twilio posts each webhook as a form (https://www.twilio.com/docs/voice/twiml#request-parameters);
these are the names and values the line reads. Every module that reads a parameter or compares a
status takes it from here.
"""

from __future__ import annotations

import enum


class Param(enum.StrEnum):
    CALL_SID = "CallSid"  # the call (a transfer's leg has its own, with a ParentCallSid)
    PARENT_CALL_SID = "ParentCallSid"
    FROM = "From"  # the caller's number, or "anonymous" for a withheld one
    TO = "To"  # the number the caller called (E.164): it may choose the call's language
    DIGITS = "Digits"  # the keys pressed at a <Gather>
    SPEECH = "SpeechResult"  # the words recognised at a <Gather>
    DIAL_STATUS = "DialCallStatus"  # a <Dial>'s outcome, posted to its action
    DIAL_BRIDGED = "DialBridged"  # "false" when the answering person declined the whisper
    CALL_STATUS = "CallStatus"  # the status callback: where the call is now
    DURATION = "CallDuration"  # seconds, once the call is over
    ERROR_CODE = "ErrorCode"  # why Twilio used the fallback URL
    ERROR_URL = "ErrorUrl"  # the URL whose answer failed (its l= names the language)


class DialStatus(enum.StrEnum):
    """``DialCallStatus``: how a transfer went."""

    COMPLETED = "completed"
    ANSWERED = "answered"
    BUSY = "busy"
    NO_ANSWER = "no-answer"
    FAILED = "failed"
    CANCELED = "canceled"


DIAL_STATUSES = frozenset(DialStatus)  # a str is in it when it is one of the values
# Statuses of a transfer that reached a person (unless DialBridged says they declined).
BRIDGED = frozenset({DialStatus.COMPLETED, DialStatus.ANSWERED})
# DialBridged's values, as the flow takes them (absent: None).
BRIDGED_VALUES = {"true": True, "false": False}


class CallStatus(enum.StrEnum):
    """``CallStatus`` of the status callback: the statuses of a call that is over (the only
    ones the line reads)."""

    COMPLETED = "completed"
    BUSY = "busy"
    FAILED = "failed"
    NO_ANSWER = "no-answer"
    CANCELED = "canceled"


ENDED = frozenset(CallStatus)  # a str is in it when the call is over
