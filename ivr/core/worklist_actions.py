"""What a worklist action does to a phone number's open requests: the changes, or why none. Pure.

The worklist shows the open requests from one number as one item, so a click on it ("Ik bel",
"Niet bereikt", "Gebeld — geholpen", ...) acts on all of that number's open requests at once:
``plan`` says what each one becomes and which event its audit trail records, and
``ivr.storage.worklist`` applies that in one transaction. A closed request (the history) is
reopened on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ivr.core.callback_status import CallbackStatus
from ivr.core.worklist import Action, Change, Outcome, Result, after_attempt

OPEN = CallbackStatus.OPEN


@dataclass(frozen=True)
class Row:
    """A request as an action finds it."""

    id: int
    status: CallbackStatus
    claimed_by: str | None
    attempts: int
    closed_by: str | None = None

    def change(
        self,
        event: Action,
        claimed_by: str | None,
        status: CallbackStatus = OPEN,
        attempts: int | None = None,
    ) -> Change:
        kept = self.attempts if attempts is None else attempts
        return Change(self.id, event, status, claimed_by, kept)


def plan(
    action: Action,
    target: Row | None,
    rows: Sequence[Row],
    staff: str,
    max_attempts: int,
    seen: frozenset[int] | None = None,
) -> Outcome:
    """``action`` by ``staff`` on the request ``target``; ``rows``: the open requests from its
    number (``target`` among them when it is open), by id. ``seen``: the requests of the number
    the worker's page showed (None: not known). Closing as helped, or an attempt (which may
    close), is refused while the number has an open request the page did not show (it came in
    meanwhile, maybe after the crisis advice): nobody closes a request they never saw."""
    if target is None:
        return Outcome(Result.NOT_FOUND, action)
    if action is Action.REOPEN:
        if target.status is OPEN:
            return Outcome(Result.STILL_OPEN, action)
        left = min(target.attempts, max_attempts - 1)  # one attempt left at most
        return _ok(action, (target.change(Action.REOPEN, None, attempts=left),))
    if action is Action.NOTE:  # on any request; on an open one: on all from its number
        noted = rows if target.status is OPEN else (target,)
        return _ok(action, tuple(row.change(action, row.claimed_by, row.status) for row in noted))
    if target.status is not OPEN:
        return Outcome(Result.CLOSED, action, by=target.closed_by)
    closing = action in (Action.DONE, Action.ATTEMPT)
    if closing and seen is not None and any(row.id not in seen for row in rows):
        return Outcome(Result.NEW_REQUEST, action)
    others = [row.claimed_by for row in rows if row.claimed_by not in (None, staff)]
    if others and action is not Action.TAKE_OVER:
        return Outcome(Result.CLAIMED_BY_OTHER, action, by=others[0])
    match action:
        case Action.CLAIM:
            free = [row.change(action, staff) for row in rows if row.claimed_by is None]
            return _ok(action, tuple(free)) if free else _refused(Result.CLAIMED_BY_YOU, staff)
        case Action.TAKE_OVER:
            return _ok(action, tuple(row.change(action, staff) for row in rows))
        case Action.RELEASE:
            mine = [row.change(action, None) for row in rows if row.claimed_by == staff]
            return _ok(action, tuple(mine)) if mine else Outcome(Result.NOT_CLAIMED, action)
        case Action.DONE:
            done = CallbackStatus.DONE
            return _ok(action, tuple(row.change(action, row.claimed_by, done) for row in rows))
        case Action.ATTEMPT | Action.UNREACHED:
            return _attempt(target, rows, max_attempts)
    raise ValueError(f"no plan for {action}")


def _attempt(target: Row, rows: Sequence[Row], max_attempts: int) -> Outcome:
    """Called, nobody answered: one more attempt on each; a request at its last attempt closes
    as unreached. The claim is let go, so any colleague can try again later."""
    changes = []
    for row in rows:
        attempts, last = after_attempt(row.attempts, max_attempts)
        event, status = (
            (Action.UNREACHED, CallbackStatus.UNREACHED) if last else (Action.ATTEMPT, OPEN)
        )
        changes.append(row.change(event, None, status, attempts))
    mine = next(change for change in changes if change.id == target.id)
    return Outcome(Result.OK, mine.event, attempts=mine.attempts, changes=tuple(changes))


def _ok(action: Action, changes: tuple[Change, ...]) -> Outcome:
    return Outcome(Result.OK, action, changes=changes)


def _refused(result: Result, by: str) -> Outcome:
    return Outcome(result, Action.CLAIM, by=by)
