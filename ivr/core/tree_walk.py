"""The walk through the tree that every entry point of the call flow takes (``TreeWalk``). Pure.

Where a call goes next within the tree: arriving at a node (its question asked, or its offering
said with what can follow: a transfer, a callback, the SMS), a prompt asked again after a
silence or a wrong key and given up after the third, ``*`` back to the question before, and the
way back after a transfer or a callback that did not happen. ``ivr.core.flow.CallFlow`` extends
it with one entry point per webhook and sets what it reads: the tree, the words (``say``), the
opening hours and the sub-dialogues.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ivr.core import dialogue
from ivr.core.actions import Hangup, Say, Turn
from ivr.core.call_state import Route, Stage, Step
from ivr.core.callback_flow import CallbackFlow
from ivr.core.callback_request import CallbackRequest, Caller
from ivr.core.dialogue import Hint
from ivr.core.errors import CallStateError
from ivr.core.hours import ServiceHours
from ivr.core.replies import Reply
from ivr.core.sms_flow import SmsFlow
from ivr.core.speech import Speech
from ivr.core.transfer_flow import TransferFlow
from ivr.core.tree_model import Offering, Question, Tree


class TreeWalk:
    """Where a call goes next within the tree; ``CallFlow`` sets its attributes."""

    tree: Tree
    helpdesk: str
    say: Speech
    opening_hours: Mapping[str, ServiceHours]
    callbacks: CallbackFlow | None
    sms: SmsFlow | None
    transfers: TransferFlow

    def back(self, path: str) -> Turn:
        """``*`` after an offering (its menu, the SMS question): the question before it."""
        return (Say(self.say.prompts("back")), *self._ask(Step(Route.ANSWER, path[:-1])))

    def _helpdesk_name(self) -> str:
        return self.tree.services[self.helpdesk].name

    def _node(self, path: str) -> Question | Offering:
        return self.tree.reached(path)

    def _question(self, path: str) -> Question:
        node = self._node(path)
        if not isinstance(node, Question):
            raise CallStateError(f"path {path!r} ends on an offering, not a question")
        return node

    def _offering(self, path: str) -> Offering:
        node = self._node(path)
        if not isinstance(node, Offering):
            raise CallStateError(f"path {path!r} ends on a question, not an offering")
        return node

    def _arrive(self, path: str, now: datetime, caller: Caller | None = None) -> Turn:
        """Ask the question at ``path``, or speak the offering there and what can follow."""
        node = self._node(path)
        if isinstance(node, Question):
            return self._ask(Step(Route.ANSWER, path))
        service_open = self.opening_hours[node.transfer].is_open(now)
        # Open: offer to put the caller through. Closed: offer a callback instead.
        then = Stage.OFFER if service_open else Stage.CALLBACK if self.callbacks else Stage.RESTART
        closed = () if service_open else self.say.closed(node.transfer, now)
        if caller is not None and self.sms is not None and self.sms.can_offer(caller):
            return (*self.say.offering(node), *closed, *self.sms.offer(path, then))
        return (*self.say.offering(node), *closed, *self.after_offering(path, then))

    def after_offering(self, path: str, then: Stage) -> Turn:
        """What follows an offering (and its SMS): ``offer``, ``callback`` or ``restart``."""
        if then is Stage.CALLBACK and self.callbacks:
            return self.callbacks.offer(path, end=False)
        stage = then if then is Stage.OFFER else Stage.RESTART
        return self._ask(Step(Route.MENU, path, stage=stage))

    def _resume(self, path: str) -> Turn:
        """Back to where the caller was after a transfer that did not happen."""
        if isinstance(self._node(path), Offering):
            return self._ask(Step(Route.MENU, path, stage=Stage.RESTART))
        resume = Step(Route.ANSWER, path)
        return (Say(self.say.prompts("continue_question")), *self._ask(resume))

    def _callback_back(self, path: str) -> Turn:
        """``*`` at the callback offer: after an advice the question before it, as ``*`` after
        an advice does everywhere; at a question, that question (both say where they go)."""
        if isinstance(self._node(path), Offering):
            return self.back(path)
        return self._resume(path)

    def _confirm_callback(self, request: CallbackRequest, now: datetime) -> Turn:
        """A stored callback request: its confirmation by SMS, where the line sends SMS."""
        if self.sms is None or self.callbacks is None:
            return ()
        return self.sms.confirm_callback(request, self.callbacks.promise, now)

    def _offer_callback(self, path: str) -> Turn:
        """No transfer now: offer a callback (a "nee" resumes), or resume at once."""
        if self.callbacks:
            return self.callbacks.offer(path, end=False)
        return self._resume(path)

    def _ask(self, step: Step) -> Turn:
        style = Hint.ESCALATING if step.route is Route.ANSWER else Hint.NONE
        return dialogue.ask(self.say.prompts, self.say.prompt_for(step), step, style)

    def _retry(self, step: Step, reply: Reply, now: datetime) -> Turn:
        silent = reply is Reply.SILENCE
        return dialogue.retry(
            self.say.prompts, step, silent, self._ask, lambda: self._give_up(step, now)
        )

    def _give_up(self, step: Step, now: datetime) -> Turn:
        """Third silence or wrong key at a question: a person if open, else number and hours.

        After an offering or an apology the caller already has a number: a goodbye.
        """
        p = self.say.prompts
        if step.route is not Route.ANSWER:
            return (Say(p("goodbye")), Hangup())
        if self.opening_hours[self.helpdesk].is_open(now):
            return (
                Say(p("give_up")),
                *self.transfers.put_through(self.helpdesk, step.path, now),
            )
        # nobody to put through: the crisis line first (the caller may not have heard it yet)
        crisis = Say(p("give_up_crisis"))
        later = (Say(p("give_up")), crisis, *self.say.call_later(self.helpdesk))
        if self.callbacks:
            return (*later, *self.callbacks.offer(step.path, end=True))
        return (*later, Say(p("goodbye")), Hangup())
