"""The helpdesk's worklist of callback requests: what staff see and what their actions did. Pure.

A request is ``open`` until a staff member closes it: ``done`` (called back and helped) or
``unreached`` (the last allowed attempt reached nobody). While open, one staff member at a time
may have claimed it ("ik bel"); every action is kept as an ``Event`` with who and when.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from ivr.core.callback_status import AskedAt, CallbackStatus

NOTE_LIMIT = 500  # characters: a short note, not a case file
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Action(StrEnum):
    CLAIM = "claim"
    TAKE_OVER = "take_over"
    RELEASE = "release"
    ATTEMPT = "attempt"  # called, nobody answered
    DONE = "done"
    UNREACHED = "unreached"  # the last attempt: closed
    NOTE = "note"
    REOPEN = "reopen"  # closed by mistake: open again


class Result(StrEnum):
    """What an action came to; the web layer says it in Dutch."""

    OK = "ok"
    NOT_FOUND = "not_found"
    CLOSED = "closed"  # somebody closed it already
    CLAIMED_BY_OTHER = "claimed_by_other"  # somebody else was first
    CLAIMED_BY_YOU = "claimed_by_you"
    NOT_CLAIMED = "not_claimed"  # release: nothing to release
    EMPTY_NOTE = "empty_note"
    STILL_OPEN = "still_open"  # reopen: it was not closed
    NEW_REQUEST = "new_request"  # done, not reached: the number asked again since the page


@dataclass(frozen=True)
class Change:
    """What an action does to one request: its state afterwards, and the event recorded."""

    id: int
    event: Action
    status: CallbackStatus
    claimed_by: str | None
    attempts: int


@dataclass(frozen=True)
class Outcome:
    result: Result
    action: Action
    by: str | None = None  # who holds the claim, for CLAIMED_BY_OTHER
    attempts: int = 0  # the clicked request's, after an attempt
    changes: tuple[Change, ...] = ()  # every request the action changed (one number's)

    @property
    def ok(self) -> bool:
        return self.result is Result.OK

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(change.id for change in self.changes)


@dataclass(frozen=True)
class Event:
    at: datetime
    staff: str
    action: Action
    note: str | None = None


@dataclass(frozen=True)
class WorkItem:
    id: int
    requested_at: datetime
    phone: str = field(repr=False)  # E.164; personal data: shown to logged-in staff only
    service: str
    reached: str
    answers: str
    status: CallbackStatus = CallbackStatus.OPEN
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    attempts: int = 0
    last_attempt_at: datetime | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None
    events: tuple[Event, ...] = ()
    number_typed: bool | None = None  # typed by the caller; False: caller ID; None: not known
    asked_at: AskedAt | None = None  # None: stored before schema 7
    language: str = "nl"  # the code of the language the caller chose (before schema 8: "nl")

    @property
    def is_open(self) -> bool:
        return self.status is CallbackStatus.OPEN


def clean_note(text: str) -> str:
    """A note as kept: whitespace collapsed, other control characters (NUL, which PostgreSQL
    cannot store, escapes) dropped, at most ``NOTE_LIMIT`` characters."""
    kept = "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) != "Cc")
    return " ".join(kept.split())[:NOTE_LIMIT]


def after_attempt(attempts_before: int, max_attempts: int) -> tuple[int, bool]:
    """The attempt count after one more call that reached nobody, and whether that closes it."""
    attempts = attempts_before + 1
    return attempts, attempts >= max_attempts


def spreadsheet_safe(value: str) -> str:
    """A CSV cell that a spreadsheet shows as text: a leading formula character is quoted.

    ``+31612345678`` becomes ``'+31612345678`` (OWASP's advice for CSV injection).
    """
    return "'" + value if value.startswith(_FORMULA_START) else value
