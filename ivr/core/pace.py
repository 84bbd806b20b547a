"""A pace that adapts to the caller: a repeat is spoken slower, and after the second repeat in a
call the slower pace and more time to answer stay for the rest of the call. Pure.

A repeat is key 9 (or "herhaal") or a prompt asked again after a silence. The count travels in
the webhook URLs (``r``: 0, 1, 2) like the rest of the call state, so any process can answer;
URLs without ``r`` (calls in progress during a deploy) count as 0. The person who answers a
transfer (the whisper) always hears the normal pace.
"""

from __future__ import annotations

from dataclasses import replace

from ivr.core.actions import Action, Ask, Connect, Continue, Keys, Pace, Turn
from ivr.core.call_state import Step
from ivr.core.replies import Reply
from ivr.core.routes import ROUTES

STAYS_SLOW = 2  # from the caller's second repeat on, the whole call is slower and more patient


def repeats_after(step: Step, reply: Reply) -> tuple[int, bool]:
    """The caller's repeats after this reply, and whether this reply was a repeat."""
    repeat = ROUTES[step.route].replied and reply in (Reply.REPEAT, Reply.SILENCE)
    count = min(STAYS_SLOW, step.repeats + 1) if repeat else step.repeats
    return count, repeat


def adapt(turn: Turn, step: Step, reply: Reply) -> Turn:
    """``turn`` at the caller's pace: the count carried into every next step, and a ``Pace``
    first when this turn answers a repeat or the call has stayed slow."""
    if ROUTES[step.route].staff:
        return turn
    count, repeat = repeats_after(step, reply)
    if not count:
        return turn
    carried = tuple(_carry(action, count) for action in turn)
    if repeat or count >= STAYS_SLOW:
        return (Pace(slow=True, patient=count >= STAYS_SLOW), *carried)
    return carried


def _carry(action: Action, count: int) -> Action:
    match action:
        # Connect: the whisper leg keeps 0
        case Ask(then=then) | Keys(then=then) | Continue(then=then) | Connect(then=then):
            carried = _with(then, count)
            return action if carried is then else replace(action, then=carried)
    return action


def _with(step: Step, count: int) -> Step:
    """``step`` with the count carried (itself when it has it already: no copy)."""
    if ROUTES[step.route].staff or step.repeats >= count:
        return step
    return replace(step, repeats=count)
