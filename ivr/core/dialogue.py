"""How every prompt of the line asks, and asks again: the one mechanism for hints and retries.

A prompt is asked with ``ask``: its texts, a key hint after a miss, then a redirect to the same
step, so silence arrives as a no-input event. ``retry`` counts a silence or a wrong key: the
prompt again with what was missed said first, and after the last try whatever the caller gives
up to (a person, the number to call, the rest of the call).
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from ivr.core.actions import Ask, Continue, Say, Turn
from ivr.core.call_state import Step
from ivr.core.prompts import Prompts


class Hint(enum.Enum):
    """The keys said after a miss, after the prompt itself."""

    NONE = enum.auto()  # the prompt names its own keys (the menus after an offering)
    SHORT = enum.auto()  # "1 for ja, 2 for nee" after a miss
    NAMED = enum.auto()  # the prompt names 1 and 2 itself: every key only after two misses
    ESCALATING = enum.auto()  # short after one miss, every key after two (tree questions)


def hint(prompts: Prompts, step: Step, style: Hint) -> tuple[str, ...]:
    missed = max(step.noinput, step.nomatch)
    if style is Hint.NONE or not missed:
        return ()
    if style in (Hint.ESCALATING, Hint.NAMED) and missed >= 2:
        return (prompts("keys_full"),)
    return (prompts("keys_short"),) if style is not Hint.NAMED else ()


def ask(prompts: Prompts, texts: tuple[str, ...], step: Step, style: Hint = Hint.SHORT) -> Turn:
    """Speak ``texts`` (and a hint after a miss) and wait for the caller's reply at ``step``."""
    return (Ask((*texts, *hint(prompts, step, style)), step), Continue(step))


def retry(
    prompts: Prompts,
    step: Step,
    silent: bool,
    again: Callable[[Step], Turn],
    give_up: Callable[[], Turn],
    wrong: str | None = None,
) -> Turn:
    """A counted miss: say what went wrong, then ``again`` at the counted step; after the last
    try, ``give_up``. ``wrong``: the prompt key said for a wrong key instead of ``nomatch_N``."""
    nxt = step.missed(silent)
    if nxt is None:
        return give_up()
    said = nxt.miss_prompt(silent) if silent or wrong is None else wrong
    return (Say(prompts(said)), *again(nxt))
