"""Which webhooks always get the same answer: the rule that lets the web edge prepare them. Pure.

An answer can be built once and kept when it depends on nothing but its step and the caller's
reply: not on the time (a desk open or closed), not on the caller (the advice by SMS goes to
mobiles only, a callback reads the number back), not on storage (callback requests). The rule is
explicit, route by route, from what ``ivr.core.flow`` does with each reply; a test explores
every step of the tree and checks it against answers at other times and from other callers.

- ``answer`` (a question of the tree): ja/nee that lead to another question, 3, 9, ``*``, and a
  first or second silence or wrong key. Not: an answer that reaches an offering (the desk's
  hours, the SMS offer), 0 (a transfer), the third miss (a person or the hours).
- ``menu`` (after an offering) and ``recover`` (after an apology): every reply but those that
  put the caller through or speak the offering again (0; ja at ``offer``; 9 at a menu).
"""

from __future__ import annotations

from ivr.core.call_state import Route, Stage, Step
from ivr.core.replies import Reply
from ivr.core.tree_model import NO, YES, Offering, Question, Tree

_MISSES = (Reply.SILENCE, Reply.UNKNOWN)
_ANSWER_AT_ONCE = (Reply.HELP, Reply.REPEAT, Reply.BACK)


def timeless(tree: Tree, step: Step, reply: Reply) -> bool:
    """True when the answer to ``reply`` at ``step`` is the same at any time, for any caller,
    whatever is stored; False when it may differ (or when the step does not fit the tree)."""
    if step.route is Route.ANSWER:
        return _at_question(tree, step, reply)
    if step.route is Route.MENU:
        if not isinstance(tree.node_at(step.path), Offering):
            return False
        if reply in (Reply.OPERATOR, Reply.REPEAT):
            return False  # a transfer; the offering again (with the desk's hours)
        return not (reply is Reply.YES and step.stage is Stage.OFFER)  # YES there: a transfer
    if step.route is Route.RECOVER:
        return reply is not Reply.OPERATOR
    return False


def _at_question(tree: Tree, step: Step, reply: Reply) -> bool:
    if not isinstance(tree.node_at(step.path), Question):
        return False
    if reply in (Reply.YES, Reply.NO):
        reached = tree.node_at(step.path + (YES if reply is Reply.YES else NO))
        return isinstance(reached, Question)
    if reply in _ANSWER_AT_ONCE:
        return True
    if reply in _MISSES:
        return step.missed(reply is Reply.SILENCE) is not None  # not the last try
    return False  # OPERATOR: a transfer, or the hours when closed
