"""Where a callback request stands: its status, as stored in ``callback_requests.status``; and
where in the call the caller asked for it (``callback_requests.asked_at``). Pure.

A number the caller typed waits as ``typed`` until the caller confirms it ("ja"); a confirmed
request is ``open`` until a staff member closes it: ``done`` (called back and helped) or
``unreached`` (the last allowed attempt reached nobody). A request closed by mistake is reopened.
The groups below are derived from the statuses, so a new status lands in them by its nature.
"""

from __future__ import annotations

from enum import StrEnum


class CallbackStatus(StrEnum):
    TYPED = "typed"  # a typed number awaiting the caller's "ja"
    OPEN = "open"  # the caller waits to be called back
    DONE = "done"  # called back and helped: closed
    UNREACHED = "unreached"  # the last allowed attempt reached nobody: closed


class AskedAt(StrEnum):
    """Where in the call the caller asked to be called back, kept with the request as the call
    was (the tree may change later): the worklist puts the urgent first and says why."""

    QUESTION = "question"  # at a question (its text is the request's ``reached``)
    ADVICE = "advice"  # after an advice (its title is ``reached``)
    URGENT_ADVICE = "urgent advice"  # after an advice marked ``urgent: true`` (the crisis advice)


# Requests the caller confirmed: open or closed (the worklist, its export, the figures).
CONFIRMED = tuple(status for status in CallbackStatus if status is not CallbackStatus.TYPED)
# Closed by a staff member: the worklist's history.
CLOSED = tuple(status for status in CONFIRMED if status is not CallbackStatus.OPEN)
# Nobody waits for these any more: ``ivr purge`` may delete them once they are old.
FINISHED = tuple(status for status in CallbackStatus if status is not CallbackStatus.OPEN)
