"""The call flow: from a step and the caller's reply to the next turn. Pure.

It knows the tree, the prompts and the opening hours; it knows nothing of HTTP or Twilio.
Every method returns a turn that ends by waiting for the caller, moving on, or a goodbye.
"""

from __future__ import annotations

import logging
from datetime import datetime

from ivr.core.actions import Ask, Connect, Continue, Hangup, Keys, Say, Turn
from ivr.core.call_state import Step
from ivr.core.call_summary import whisper
from ivr.core.callback_flow import CallbackBook, CallbackFlow, Caller
from ivr.core.errors import CallStateError
from ivr.core.hours import OpeningHours
from ivr.core.prompts import Prompts
from ivr.core.replies import Reply
from ivr.core.sms_flow import SmsFlow
from ivr.core.speech import Speech
from ivr.core.tree_model import NO, YES, Offering, Question, Tree

log = logging.getLogger(__name__)
HELPDESK = "markant"
WHISPER_TIMEOUT = 5  # seconds the answering person has to press 1 after the whisper
BRIDGED = ("completed", "answered")
DIAL_STATUSES = (*BRIDGED, "busy", "no-answer", "failed", "canceled")


class CallFlow:
    def __init__(
        self,
        tree: Tree,
        prompts: Prompts,
        desks: dict[str, OpeningHours],
        book: CallbackBook | None = None,
    ) -> None:
        self.tree = tree
        self.say = Speech(tree, prompts, desks)
        self.desks = desks
        # Without a book (no storage) the line offers no callback and works as before.
        self.callbacks = (
            CallbackFlow(tree, self.say, book, HELPDESK, self._resume) if book else None
        )
        self.sms: SmsFlow | None = None  # set by the line when SMS is configured

    # -- entry points, one per webhook ------------------------------------------------------

    def welcome(self) -> Turn:
        p = self.say.prompts
        return (Say(p("welcome")), Say(p("keys")), *self._ask(Step("answer")))

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
                return (Say(self.say.prompts("already_first")), *self._ask(Step("answer")))
            return (Say(self.say.prompts("back")), *self._ask(Step("answer", step.path[:-1])))
        if reply is Reply.OPERATOR:
            return self.transfer(Step("transfer", step.path, stage=HELPDESK), now)
        return self._retry(step, reply, now)

    def menu(self, step: Step, reply: Reply, now: datetime) -> Turn:
        """A reply after an offering: stage ``offer`` (put through?) or ``restart``."""
        offering = self._offering(step.path)
        if step.stage not in ("offer", "restart"):
            raise CallStateError(f"menu stage {step.stage!r} is not offer or restart")
        p = self.say.prompts
        if reply is Reply.REPEAT:
            return self._arrive(step.path, now)
        if reply is Reply.BACK:
            return (Say(p("back")), *self._ask(Step("answer", step.path[:-1])))
        if reply is Reply.OPERATOR or (reply is Reply.YES and step.stage == "offer"):
            return self.transfer(Step("transfer", step.path, stage=offering.transfer), now)
        if reply is Reply.NO and step.stage == "offer":
            return self._ask(Step("menu", step.path, stage="restart"))
        if reply is Reply.YES:
            return (Say(p("restart")), *self._ask(Step("answer")))
        if reply is Reply.NO:
            return (Say(p("goodbye")), Hangup())
        if reply is Reply.HELP:
            return (Say(p("menu_help")), *self._ask(step))
        return self._retry(step, reply, now)

    def transfer(self, step: Step, now: datetime) -> Turn:
        """Put the caller through to ``step.stage`` if it is open; otherwise say when it is."""
        service = self.tree.services.get(step.stage)
        if service is None:
            raise CallStateError(f"transfer to unknown service {step.stage!r}")
        self._node(step.path)
        if self.desks[service.id].is_open(now):
            return (
                Say(self.say.prompts("connecting", service=service.name)),
                Connect(
                    service.id,
                    Step("dialed", step.path, stage=service.id),
                    whisper=Step("whisper", step.path, stage=service.id),
                ),
            )
        return (*self.say.closed(service.id), *self._offer_callback(step.path))

    def dialed(self, step: Step, status: str, bridged: bool | None, now: datetime) -> Turn:
        """The outcome of a transfer (Twilio's ``DialCallStatus`` and ``DialBridged``)."""
        if step.stage not in self.tree.services:
            raise CallStateError(f"dial outcome for unknown service {step.stage!r}")
        self._node(step.path)
        if status not in DIAL_STATUSES:
            log.warning("unknown DialCallStatus %r: treated as not answered", status)
        if status in BRIDGED and bridged is not False:
            return (Say(self.say.prompts("goodbye")), Hangup())
        # busy, no-answer, failed, canceled, or a whisper declined (DialBridged=false)
        return (
            Say(self.say.prompts("no_answer")),
            *self.say.call_later(step.stage),
            *self._offer_callback(step.path),
        )

    def whisper(self, step: Step) -> Turn:
        """The answering person's leg: who is calling and why; 1 accepts, silence declines."""
        if step.stage not in self.tree.services:
            raise CallStateError(f"whisper for unknown service {step.stage!r}")
        self._node(step.path)
        texts = whisper(self.tree, self.say.prompts, step.path)
        accept = Step("accept", step.path, stage=step.stage)
        return (Keys(texts, accept, digits=1, timeout=WHISPER_TIMEOUT), Hangup())

    def accept(self, digits: str) -> Turn:
        """The answering person's key: 1 puts the caller through (empty TwiML), else decline."""
        return () if digits == "1" else (Hangup(),)

    def recover(self, step: Step, reply: Reply, now: datetime) -> Turn:
        """After an apology: 1 starts again, 0 reaches the helpdesk, 2 ends politely."""
        if reply is Reply.YES:
            return (Say(self.say.prompts("restart")), *self._ask(Step("answer")))
        if reply is Reply.OPERATOR:
            return self.transfer(Step("transfer", stage=HELPDESK), now)
        if reply is Reply.NO:
            return (Say(self.say.prompts("goodbye")), Hangup())
        return self._retry(step, reply, now)

    def apology(self) -> Turn:
        p = self.say.prompts
        return (
            Say(p("apology", number=self.say.number(HELPDESK))),
            Ask((p("recover_menu"),), Step("recover")),
            Continue(Step("recover")),
        )

    def fallback(self, number: str) -> Turn:
        """Twilio's fallback URL: apology, the helpdesk number, goodbye. Nothing else."""
        return (Say(self.say.prompts("fallback", number=number)), Hangup())

    # -- the building blocks -----------------------------------------------------------------

    def _node(self, path: str) -> Question | Offering:
        node = self.tree.node_at(path)
        if node is None:
            raise CallStateError(f"path {path!r} leads nowhere in the tree")
        return node

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
            return self._ask(Step("answer", path))
        desk_open = self.desks[node.transfer].is_open(now)
        # Open: offer to put the caller through. Closed: offer a callback instead.
        stage = "offer" if desk_open else "callback" if self.callbacks else "restart"
        closed = () if desk_open else self.say.closed(node.transfer)
        if caller is not None and self.sms is not None and self.sms.can_send(caller):
            return (*self.say.offering(node), *closed, *self.sms.offer(path, stage))
        return (*self.say.offering(node), *closed, *self.after_offering(path, stage))

    def after_offering(self, path: str, stage: str) -> Turn:
        """What follows an offering (and its SMS): ``offer``, ``callback`` or ``restart``."""
        if stage == "callback" and self.callbacks:
            return self.callbacks.offer(path, end=False)
        menu_stage = stage if stage in ("offer", "restart") else "restart"
        return self._ask(Step("menu", path, stage=menu_stage))

    def _resume(self, path: str) -> Turn:
        """Back to where the caller was after a transfer that did not happen."""
        if isinstance(self._node(path), Offering):
            return self._ask(Step("menu", path, stage="restart"))
        return (Say(self.say.prompts("continue_question")), *self._ask(Step("answer", path)))

    def _offer_callback(self, path: str) -> Turn:
        """No transfer now: offer a callback (a "nee" resumes), or resume at once."""
        if self.callbacks:
            return self.callbacks.offer(path, end=False)
        return self._resume(path)

    def _ask(self, step: Step) -> Turn:
        texts = self.say.prompt_for(step)
        return (Ask(texts, step), Continue(step))

    def _retry(self, step: Step, reply: Reply, now: datetime) -> Turn:
        silent = reply is Reply.SILENCE
        nxt = step.missed(silent)
        if nxt is None:
            return self._give_up(step, now)
        return (Say(self.say.prompts(nxt.miss_prompt(silent))), *self._ask(nxt))

    def _give_up(self, step: Step, now: datetime) -> Turn:
        """Third silence or wrong key at a question: a person if open, else number and hours.

        After an offering or an apology the caller already has a number: a goodbye.
        """
        p = self.say.prompts
        if step.route != "answer":
            return (Say(p("goodbye")), Hangup())
        if self.desks[HELPDESK].is_open(now):
            return (
                Say(p("give_up")),
                *self.transfer(Step("transfer", step.path, stage=HELPDESK), now),
            )
        if self.callbacks:
            return (
                Say(p("give_up")),
                *self.say.call_later(HELPDESK),
                *self.callbacks.offer(step.path, end=True),
            )
        return (
            Say(p("give_up")),
            *self.say.call_later(HELPDESK),
            Say(p("goodbye")),
            Hangup(),
        )
