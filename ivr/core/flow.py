"""The call flow: from a step and the caller's reply to the next turn. Pure.

It knows the tree, the prompts and the opening hours; it knows nothing of HTTP or Twilio.
Every method returns a turn that ends by waiting for the caller, moving on, or a goodbye.
The helpdesk (key 0, the last resort, callbacks) is the service the tree names ``helpdesk``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime

from ivr.core import dialogue
from ivr.core.actions import Hangup, Keys, Say, Turn
from ivr.core.call_state import Route, Stage, Step
from ivr.core.callback_flow import CallbackFlow
from ivr.core.callback_request import CallbackStorage, Caller
from ivr.core.dialogue import Hint
from ivr.core.hours import ServiceHours
from ivr.core.language import Language
from ivr.core.language_choice import choice_hints, choice_sentences
from ivr.core.languages import DUTCH
from ivr.core.prompts import Prompts
from ivr.core.replies import Reply
from ivr.core.sms_flow import Sender, SmsFlow, SmsStorage
from ivr.core.speech import Speech
from ivr.core.transfer_flow import TransferFlow
from ivr.core.tree_model import NO, YES, Offering, Tree
from ivr.core.tree_walk import TreeWalk

log = logging.getLogger(__name__)

# Seconds the welcome's Gather waits for a key before the first question follows: Twilio's
# least (its timeout is a positive integer, warning 13313), as it counts in the first 10 s.
WELCOME_TIMEOUT = 1


class CallFlow(TreeWalk):
    """One entry point per webhook (``ivr.core.routes`` names which), on the walk through the
    tree (``TreeWalk``)."""

    def __init__(
        self,
        tree: Tree,
        prompts: Prompts,
        opening_hours: Mapping[str, ServiceHours],
        callback_storage: CallbackStorage | None = None,
        promise_days: int = 0,
        sender: Sender | None = None,
        sms_storage: SmsStorage | None = None,
        language: Language = DUTCH,
        dutch_tree: Tree | None = None,
    ) -> None:
        """``opening_hours``: each service's, by service id; ``callback_storage``: where
        callback requests go (none: no callbacks are offered); ``sender`` and ``sms_storage``:
        the advice by SMS, at most one per call (none: not offered); ``language``: the language
        of ``tree`` and ``prompts``, whose words say numbers and hours; ``dutch_tree``: the
        tree in Dutch, for what staff read of a call in another language (none: ``tree``)."""
        self.tree = tree
        self.helpdesk = tree.helpdesk
        self.say = Speech(tree, prompts, opening_hours, language)
        self.opening_hours = opening_hours
        # Without storage the line offers no callback and works as before.
        self.callbacks = (
            CallbackFlow(
                tree,
                self.say,
                callback_storage,
                self._resume,
                self.operator,
                promise_days,
                back=self._callback_back,
                confirm=self._confirm_callback,
                dutch_tree=dutch_tree,
            )
            if callback_storage
            else None
        )
        self.sms = (
            SmsFlow(tree, self.say, sender, sms_storage, self, keeper=self.callbacks)
            if sender and sms_storage
            else None
        )
        self.transfers = TransferFlow(tree, self.say, self._offer_callback)

    # -- entry points, one per webhook ------------------------------------------------------

    def welcome(self, offers: Sequence[Language] = ()) -> Turn:
        """The welcome in a Gather of its own: any key stops it (``welcome_key``); silence
        falls through to the first question, with the rest of the keys after its text.

        ``offers``: the other languages offered, each named after the welcome sentence in its
        own words and voice; their keys choose them, and so do their names said (the Gather
        then hears speech too: ``ivr.core.language_choice``). Without offers, keys only."""
        texts = (self.say.prompts("welcome"), *choice_sentences(offers))
        hints = choice_hints(offers)
        welcome = Keys(texts, Step(Route.WELCOME), digits=1, timeout=WELCOME_TIMEOUT, hints=hints)
        return (welcome, *self.first_question())

    def first_question(self) -> Turn:
        """The first question, with the rest of the keys after its text: after the welcome's
        silence, and after a caller chose this flow's language at the welcome."""
        first = Step(Route.ANSWER)
        asked = (*self.say.prompt_for(first), self.say.prompts("keys"))
        return dialogue.ask(self.say.prompts, asked, first, Hint.ESCALATING)

    def welcome_key(self, reply: Reply, now: datetime) -> Turn:
        """A key during the welcome: 0 a person, as at a question; any other key the first
        question, not counted as its answer (Twilio cannot tell when in the welcome it came)."""
        if reply is Reply.OPERATOR:
            return self.transfers.put_through(self.helpdesk, "", now)
        return self._ask(Step(Route.ANSWER))

    def answer(self, step: Step, reply: Reply, now: datetime, caller: Caller | None = None) -> Turn:
        """A reply to the question at ``step.path``; ``caller``: who may get the advice by SMS."""
        question = self._question(step.path)
        if reply in (Reply.YES, Reply.NO):
            path = step.path + (YES if reply is Reply.YES else NO)
            return self._arrive(path, now, caller)
        if reply is Reply.HELP:
            p = self.say.prompts
            return (Say(p("help_intro")), Say(question.help), *self._ask(step))
        if reply is Reply.REPEAT:
            return self._ask(step)
        if reply is Reply.BACK:
            if not step.path:
                first = Step(Route.ANSWER)
                return (Say(self.say.prompts("already_first")), *self._ask(first))
            back = Step(Route.ANSWER, step.path[:-1])
            return (Say(self.say.prompts("back")), *self._ask(back))
        if reply is Reply.OPERATOR:
            return self.transfers.put_through(self.helpdesk, step.path, now)
        return self._retry(step, reply, now)

    def menu(self, step: Step, reply: Reply, now: datetime) -> Turn:
        """A reply after an offering: stage ``offer`` (put through?) or ``restart``."""
        offering = self._offering(step.path)
        p = self.say.prompts
        offer = step.stage is Stage.OFFER
        if reply is Reply.REPEAT:
            return self._arrive(step.path, now)
        if reply is Reply.NUMBERS:
            return (*self.say.numbers(offering), *self._ask(step.fresh()))
        if reply is Reply.BACK:
            return self.back(step.path)
        if reply is Reply.OPERATOR or (reply is Reply.YES and offer):
            return self.transfers.put_through(offering.transfer, step.path, now)
        if reply is Reply.NO and offer:
            return self._ask(Step(Route.MENU, step.path, stage=Stage.RESTART))
        if reply is Reply.YES:
            return (Say(p("restart")), *self._ask(Step(Route.ANSWER)))
        if reply is Reply.NO:
            return (Say(p("goodbye")), Hangup())
        if reply is Reply.HELP:
            name = self.tree.services[offering.transfer].name
            said = p("menu_help_offer", service=name) if offer else p("menu_help")
            return (Say(said), *self._ask(step.fresh()))
        return self._retry(step, reply, now)

    def operator(self, path: str, now: datetime) -> Turn:
        """``0`` in a sub-dialogue: the offering's service at an offering, else the helpdesk."""
        node = self._node(path)
        target = node.transfer if isinstance(node, Offering) else self.helpdesk
        return self.transfers.put_through(target, path, now)

    def recover(self, step: Step, reply: Reply, now: datetime) -> Turn:
        """After an apology: 1 starts again, 0 reaches the helpdesk, 2 ends politely; 3 explains,
        9 and ``*`` (there is no question to go back to) say the menu again."""
        if reply is Reply.HELP:
            return (Say(self.say.prompts("recover_help")), *self._ask(step.fresh()))
        if reply in (Reply.REPEAT, Reply.BACK):
            return self._ask(step.fresh())
        if reply is Reply.YES:
            return (Say(self.say.prompts("restart")), *self._ask(Step(Route.ANSWER)))
        if reply is Reply.OPERATOR:
            return self.transfers.put_through(self.helpdesk, "", now)
        if reply is Reply.NO:
            return (Say(self.say.prompts("goodbye")), Hangup())
        return self._retry(step, reply, now)

    def apology(self) -> Turn:
        p = self.say.prompts
        return (
            Say(p("apology", service=self._helpdesk_name(), number=self.say.number(self.helpdesk))),
            *self._ask(Step(Route.RECOVER)),
        )

    def fallback(self) -> Turn:
        """Twilio's fallback URL: apology, the helpdesk number, goodbye. Nothing else."""
        number, name = self.say.number(self.helpdesk), self._helpdesk_name()
        return (Say(self.say.prompts("fallback", service=name, number=number)), Hangup())
