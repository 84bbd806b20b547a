"""A callback request and who asks for it: the request the line stores (``CallbackRequest``),
where it is stored (``CallbackStorage``), the caller (``Caller``: the call's pseudonym and its
own number), a number typed to be called back on (``typed_number``), and a caller's request
made where they are in the tree (``request_at``). Pure. The conversation
that makes a request is ``ivr.core.callback_flow``'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from ivr.core.call_summary import summarise
from ivr.core.callback_status import AskedAt, CallbackStatus
from ivr.core.errors import PhoneNumberError
from ivr.core.phone import DutchNumber, parse_dutch_number
from ivr.core.tree_model import Offering, Tree


@dataclass(frozen=True)
class CallbackRequest:
    call_key: str  # the call's pseudonym (``Caller.call_key``)
    phone: str  # E.164
    reached: str  # the offering or question the caller reached
    answers: str  # the answers so far, in words
    service: str  # the service the caller was heading for
    requested_at: datetime
    id: int | None = None
    status: CallbackStatus = CallbackStatus.OPEN
    # True: the caller typed the number and confirmed it; False: caller ID; None: not known
    # (stored before schema 7)
    number_typed: bool | None = None
    asked_at: AskedAt | None = None  # None: stored before schema 7
    language: str = "nl"  # the code of the language the caller chose (before schema 8: "nl")


class CallbackStorage(Protocol):
    """Where callback requests are stored (``CallbackStore``; a fake in tests)."""

    def hold(self, request: CallbackRequest) -> None: ...
    def held(self, call_key: str) -> CallbackRequest | None: ...
    def add(self, request: CallbackRequest) -> int: ...


@dataclass(frozen=True)
class Caller:
    """Who is calling: the call's pseudonym (``ivr.core.call_events.call_key`` of Twilio's
    ``CallSid``: the raw CallSid is never stored) and ``From`` (never logged)."""

    call_key: str
    number: str = field(repr=False)  # personal data: never in a log line or a traceback

    def own_number(self) -> DutchNumber | None:
        """The caller's Dutch number, or None when it is withheld or not Dutch."""
        if not self.number.startswith("+31"):
            return None  # anonymous, unknown, empty, or a foreign number
        try:
            found = parse_dutch_number(self.number)
        except PhoneNumberError:
            return None
        return found if len(found.digits) == 10 else None


def typed_number(digits: str) -> DutchNumber | None:
    """A typed number we can call back: ten digits starting with 0 (no 0800, 0900, 112)."""
    try:
        found = parse_dutch_number(digits)
    except PhoneNumberError:
        return None
    if len(found.digits) != 10 or found.digits.startswith(("08", "09")):
        return None
    return found


def request_at(
    tree: Tree,
    dutch_tree: Tree,
    path: str,
    caller: Caller,
    e164: str,
    now: datetime,
    typed: bool,
    language: str,
) -> CallbackRequest:
    """The request of a caller at ``path`` of ``tree`` (in ``language``), to be called back on
    ``e164`` (``typed``: a number the caller typed); staff read its summary in Dutch
    (``dutch_tree``)."""
    summary = summarise(dutch_tree, path, tree.helpdesk)
    node = tree.node_at(path)
    asked_at = AskedAt.QUESTION
    if isinstance(node, Offering):
        asked_at = AskedAt.URGENT_ADVICE if node.urgent else AskedAt.ADVICE
    return CallbackRequest(
        caller.call_key,
        e164,
        summary.reached,
        summary.answers,
        summary.service,
        now,
        number_typed=typed,
        asked_at=asked_at,
        language=language,
    )
