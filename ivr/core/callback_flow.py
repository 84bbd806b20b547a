"""The callback conversation: offer, the number read back and confirmed, stored, "genoteerd".

Reached after hours (key 0, or accepting a transfer), after a transfer nobody answered, and after
the third failed try at a question when the helpdesk is closed. The request is committed before
the caller hears the confirmation; a failed write is said, with the helpdesk number. The
request and the caller are ``ivr.core.callback_request``'s.

Stages of the ``callback`` route: ``offer`` / ``offer_end`` (yes/no to a callback; a "nee"
resumes the call, or ends it for ``offer_end``), ``own`` (is the caller's own number right?),
``typed`` (is the typed number right?). The ``number`` route takes the typed number.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from ivr.core import dialogue
from ivr.core.actions import Confirmed, Continue, Hangup, Keys, Outcome, Say, Turn
from ivr.core.call_state import Route, Stage, Step
from ivr.core.callback_request import (
    CallbackRequest,
    CallbackStorage,
    Caller,
    request_at,
    typed_number,
)
from ivr.core.dialogue import Hint
from ivr.core.errors import StorageError
from ivr.core.phone import DutchNumber, parse_dutch_number
from ivr.core.replies import Reply
from ivr.core.speech import Speech
from ivr.core.tree_model import Offering, Question, Tree

log = logging.getLogger(__name__)
OFFER_STAGES = (Stage.OFFER, Stage.OFFER_END)


class CallbackFlow:
    def __init__(
        self,
        tree: Tree,
        speech: Speech,
        storage: CallbackStorage,
        resume: Callable[[str], Turn],
        operator: Callable[[str, datetime], Turn],
        promise_days: int = 0,
        back: Callable[[str], Turn] | None = None,
        confirm: Callable[[CallbackRequest, datetime], Turn] | None = None,
        dutch_tree: Tree | None = None,
    ) -> None:
        """``dutch_tree``: the tree in Dutch when ``tree`` is a translation: staff read a
        request's summary in Dutch (none: ``tree`` is Dutch)."""
        self.tree = tree
        self.dutch_tree = dutch_tree or tree
        self.say = speech
        self.storage = storage
        self.helpdesk = tree.helpdesk
        self.resume = resume  # a "nee" to the offer: back where the caller was (path) -> turn
        self.back = back or resume  # ``*`` at the offer: one step back, said (path) -> turn
        self.confirm = confirm  # after a stored request: its SMS to a mobile (what is said)
        self.operator = operator  # key 0: a person, as at the caller's place in the tree
        self.promise_days = promise_days  # CALLBACK_PROMISE_DAYS; 0: no promise is spoken
        self.promise = self._promise(promise_days)
        self._helpdesk_name = tree.services[tree.helpdesk].name

    def offer(self, path: str, end: bool) -> Turn:
        """Ask whether the helpdesk should call back; ``end``: a "nee" ends the call."""
        return self._ask(Step(Route.CALLBACK, path, stage=Stage.OFFER_END if end else Stage.OFFER))

    def reply(self, step: Step, reply: Reply, caller: Caller, now: datetime) -> Turn:
        """A yes/no at a stage of the ``callback`` route."""
        p = self.say.prompts
        if step.stage is Stage.GO_ON:
            return self._go_on(step, reply, now)
        if reply is Reply.YES:
            if step.stage in OFFER_STAGES:
                own = caller.own_number()
                if own is None:
                    ask = self._ask_number(Step(Route.NUMBER, step.path))
                    return (Say(p("callback_withheld")), *ask)
                return self._ask(Step(Route.CALLBACK, step.path, stage=Stage.OWN), own)
            return self._store(step, caller, now)
        if reply is Reply.NO:
            if step.stage is Stage.OFFER:
                return self.resume(step.path)
            if step.stage is Stage.OFFER_END:
                return (Say(p("goodbye")), Hangup())
            return self._ask_number(Step(Route.NUMBER, step.path))
        node = self.tree.node_at(step.path)
        after_advice = step.stage in OFFER_STAGES and isinstance(node, Offering)
        if reply is Reply.REPEAT:
            again = self._ask(step.fresh(), self._number_for(step, caller))
            if after_advice:
                return (*self.say.offering(node), *again)  # the advice again, then the offer
            return again
        if reply is Reply.NUMBERS and after_advice:
            return (*self.say.numbers(node), *self._ask(step.fresh()))  # the advice's numbers
        if reply is Reply.HELP:
            key = "callback_help" if step.stage in OFFER_STAGES else "callback_number_help"
            said = Say(p(key, service=self._helpdesk_name))
            return (said, *self._ask(step.fresh(), self._number_for(step, caller)))
        if reply is Reply.BACK:
            if step.stage in OFFER_STAGES:
                return self.back(step.path)  # the question before the advice, or the question
            return self._ask(Step(Route.CALLBACK, step.path, stage=Stage.OFFER))
        if reply is Reply.OPERATOR:
            return self.operator(step.path, now)
        return self._retry(step, reply, caller)

    def number(self, step: Step, digits: str, caller: Caller, now: datetime) -> Turn:
        """The number the caller typed (``#`` ends it): read it back, or try again."""
        p = self.say.prompts
        if digits == "*":  # back: the offer again (a number has no star)
            return self._ask(Step(Route.CALLBACK, step.path, stage=Stage.OFFER))
        typed = typed_number(digits) if digits else None
        if typed is None:
            return dialogue.retry(
                p, step, not digits, self._ask_number, self._stop, wrong="callback_bad_number"
            )
        try:
            self.hold_typed(step.path, caller, typed, now)
        except StorageError as exc:
            return self._failed(caller, exc)
        return self._ask(Step(Route.CALLBACK, step.path, stage=Stage.TYPED), typed)

    def hold_typed(self, path: str, caller: Caller, typed: DutchNumber, now: datetime) -> None:
        """Keep a number the caller typed until they confirm it (also the mobile number for the
        advice's SMS: one mechanism for typed numbers); raises StorageError."""
        self.storage.hold(self._request(path, caller, typed.e164, now, typed=True))

    def held_number(self, caller: Caller) -> DutchNumber | None:
        """The number this call typed and has not confirmed yet; None when none is kept."""
        return self._number_for(Step(Route.CALLBACK, stage=Stage.TYPED), caller)

    # -- building blocks ---------------------------------------------------------------------

    def _store(self, step: Step, caller: Caller, now: datetime) -> Turn:
        p = self.say.prompts
        try:
            if step.stage is Stage.TYPED:
                held = self.storage.held(caller.call_key)
                if held is None:
                    raise StorageError("the typed number of this call is no longer there")
                request = held
            else:
                own = caller.own_number()
                if own is None:
                    return self._ask_number(Step(Route.NUMBER, step.path))
                request = self._request(step.path, caller, own.e164, now, typed=False)
            request_id = self.storage.add(request)
        except StorageError as exc:
            return self._failed(caller, exc)
        log.info("callback request %s stored for call %s", request_id, caller.call_key)
        saved = (
            Confirmed(Outcome.CALLBACK),
            Say(p("callback_saved", service=self._helpdesk_name)),
            *map(Say, self.promise),
            *(self.confirm(request, now) if self.confirm else ()),  # stored first, then the SMS
        )
        if isinstance(self.tree.node_at(step.path), Question):  # mid-questions: go on?
            return (*saved, *self._ask(Step(Route.CALLBACK, step.path, stage=Stage.GO_ON)))
        return (*saved, Say(p("goodbye")), Hangup())

    def _go_on(self, step: Step, reply: Reply, now: datetime) -> Turn:
        """After "genoteerd" mid-questions: 1 (or ``*``) back to the question, 2 goodbye."""
        p = self.say.prompts
        if reply in (Reply.YES, Reply.BACK):
            return self.resume(step.path)
        if reply is Reply.NO:
            return (Say(p("goodbye")), Hangup())
        if reply is Reply.OPERATOR:
            return self.operator(step.path, now)
        if reply is Reply.HELP:
            return (Say(p("callback_go_on_help")), *self._ask(step.fresh()))
        if reply is Reply.REPEAT:
            return self._ask(step.fresh())
        goodbye = (Say(p("goodbye")), Hangup())
        return dialogue.retry(p, step, reply is Reply.SILENCE, self._ask, lambda: goodbye)

    def _failed(self, caller: Caller, exc: StorageError) -> Turn:
        log.error("callback request for call %s not stored: %s", caller.call_key, exc)
        p = self.say.prompts
        number = self.say.number(self.helpdesk)
        said = p("callback_failed", service=self._helpdesk_name, number=number)
        return (Say(said), Say(p("goodbye")), Hangup())

    def _request(
        self, path: str, caller: Caller, e164: str, now: datetime, typed: bool
    ) -> CallbackRequest:
        language = self.say.language.code
        return request_at(self.tree, self.dutch_tree, path, caller, e164, now, typed, language)

    def _number_for(self, step: Step, caller: Caller) -> DutchNumber | None:
        if step.stage is Stage.OWN:
            return caller.own_number()
        if step.stage is Stage.TYPED:
            try:
                held = self.storage.held(caller.call_key)
            except StorageError as exc:
                log.error("typed number of call %s not readable: %s", caller.call_key, exc)
                return None
            return parse_dutch_number(held.phone) if held else None
        return None

    def _ask(self, step: Step, number: DutchNumber | None = None) -> Turn:
        p = self.say.prompts
        if step.stage in OFFER_STAGES:
            offer = p("callback_offer", service=self._helpdesk_name)
            texts: tuple[str, ...] = (offer, *self.promise, p("keys_short"))
        elif step.stage is Stage.GO_ON:
            texts = (p("callback_go_on"), p("keys_short"))
        elif number is not None:
            key = "callback_own_number" if step.stage is Stage.OWN else "callback_typed_number"
            texts = (p(key, number=self.say.digits(number)),)
        else:
            return self._ask_number(Step(Route.NUMBER, step.path))
        return dialogue.ask(p, texts, step, Hint.NAMED)

    def _promise(self, days: int) -> tuple[str, ...]:
        """When the helpdesk calls back: only what the configuration promises (0: nothing)."""
        if days == 0:
            return ()
        if days == 1:
            return (self.say.prompts("callback_next_workday"),)
        days_said = self.say.language.numbers[days]
        return (self.say.prompts("callback_within_workdays", days=days_said),)

    def _ask_number(self, step: Step) -> Turn:
        return (Keys((self.say.prompts("callback_type_number"),), step), Continue(step))

    def _retry(self, step: Step, reply: Reply, caller: Caller) -> Turn:
        def again(nxt: Step) -> Turn:
            return self._ask(nxt, self._number_for(step, caller))

        silent = reply is Reply.SILENCE
        return dialogue.retry(self.say.prompts, step, silent, again, self._stop)

    def _stop(self) -> Turn:
        """The third failed try: the number and hours to call, and goodbye."""
        return (*self.say.call_later(self.helpdesk), Say(self.say.prompts("goodbye")), Hangup())
