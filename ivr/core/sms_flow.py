"""After an offering: "Wilt u dit advies per sms?" — sent at most once per call, failures told.

The ``sms`` route's stage says what follows: ``offer`` (put through?), ``callback`` (after
hours: a callback?) or ``restart``. A caller without a Dutch mobile caller ID (a landline,
withheld) who says "ja" types a mobile number (``mobile``), kept as the callback's typed number
is, read back and confirmed (``mobile_check``) before the SMS goes to it. After a stored
callback request to a mobile, an SMS confirms it (``confirm_callback``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from ivr.core import dialogue
from ivr.core.actions import Confirmed, Continue, Keys, Outcome, Say, Turn
from ivr.core.call_state import Route, Stage, Step
from ivr.core.callback_flow import CallbackFlow
from ivr.core.callback_request import CallbackRequest, Caller, typed_number
from ivr.core.errors import CallStateError, SmsError, StorageError
from ivr.core.phone import DutchNumber, is_dutch_mobile, parse_dutch_number
from ivr.core.replies import Reply
from ivr.core.sms_text import advice_text
from ivr.core.speech import Speech
from ivr.core.tree_model import Offering, Tree

log = logging.getLogger(__name__)
# A callback request's confirmation is claimed apart from the advice's SMS: one of each a call.
CONFIRMATION = ".callback"


class SmsStorage(Protocol):
    """Where the SMS sent per call is kept: at most one per call (``CallbackStore``)."""

    def claim_sms(self, call_key: str, now: datetime) -> bool: ...
    def release_sms(self, call_key: str) -> None: ...


class Sender(Protocol):
    def send(self, to: str, body: str, call_key: str) -> str: ...


class Around(Protocol):
    """What the call flow offers around the SMS question (``CallFlow``)."""

    def after_offering(self, path: str, then: Stage) -> Turn: ...
    def back(self, path: str) -> Turn: ...
    def operator(self, path: str, now: datetime) -> Turn: ...


class SmsFlow:
    def __init__(
        self,
        tree: Tree,
        speech: Speech,
        sender: Sender,
        storage: SmsStorage,
        around: Around,
        keeper: CallbackFlow | None = None,
    ) -> None:
        self.tree = tree
        self.around = around  # what follows the SMS question, and keys * and 0
        self.keeper = keeper  # keeps a typed mobile number (none: SMS only to a caller's mobile)
        self.say = speech
        self.sender = sender
        self.storage = storage
        self._texts = {
            node.id: advice_text(speech, node)
            for node in tree.nodes.values()
            if isinstance(node, Offering)
        }

    @staticmethod
    def can_send(caller: Caller) -> bool:
        return is_dutch_mobile(caller.number)

    def can_offer(self, caller: Caller) -> bool:
        """A caller on a mobile, or any caller when a typed mobile number can be kept."""
        return self.can_send(caller) or self.keeper is not None

    def text_for(self, offering: Offering) -> str:
        return self._texts[offering.id]

    def offer(self, path: str, then: Stage) -> Turn:
        return self._ask(Step(Route.SMS, path, stage=then))

    def reply(self, step: Step, reply: Reply, caller: Caller, now: datetime) -> Turn:
        p = self.say.prompts
        if reply is Reply.YES:
            if not self.can_send(caller) and self.keeper is not None:  # a landline: type a mobile
                return self._ask_mobile(Step(Route.MOBILE, step.path, stage=step.stage))
            return (*self._send(step.path, caller, caller.number, now), *self._menu(step))
        if reply is Reply.NO:
            return self._menu(step)
        if reply is Reply.REPEAT:  # the advice again, then this question
            return (*self.say.offering(self._offering(step.path)), *self._ask(step.fresh()))
        if reply is Reply.NUMBERS:  # only its numbers again, then this question
            return (*self.say.numbers(self._offering(step.path)), *self._ask(step.fresh()))
        if reply is Reply.HELP:
            return (Say(p("sms_help")), *self._ask(step.fresh()))
        if reply is Reply.BACK:
            return self.around.back(step.path)
        if reply is Reply.OPERATOR:
            return self.around.operator(step.path, now)
        silent = reply is Reply.SILENCE
        # after the last try: no SMS, and the call goes on
        return dialogue.retry(p, step, silent, self._ask, lambda: self._menu(step))

    def typed(self, step: Step, digits: str, caller: Caller, now: datetime) -> Turn:
        """The mobile number a caller without one typed (``#`` ends it): read back, or again."""
        if digits == "*":  # back: the SMS question again (a number has no star)
            return self._ask(Step(Route.SMS, step.path, stage=step.stage))
        number = typed_number(digits) if digits else None
        if number is None or not is_dutch_mobile(number.e164) or self.keeper is None:
            p, give_up = self.say.prompts, self._not_sent(step)
            wrong = "sms_bad_mobile"
            return dialogue.retry(p, step, not digits, self._ask_mobile, give_up, wrong=wrong)
        try:
            self.keeper.hold_typed(step.path, caller, number, now)
            kept = self.keeper.held_number(caller)  # not kept beside a callback request
        except StorageError as exc:
            log.error("typed mobile number of call %s not kept: %s", caller.call_key, exc)
            return self._not_sent(step)()
        if kept is None:
            return self._not_sent(step)()
        return self._check(Step(Route.MOBILE_CHECK, step.path, stage=step.stage), kept)

    def check(self, step: Step, reply: Reply, caller: Caller, now: datetime) -> Turn:
        """Is the typed mobile number right? 1 sends the SMS to it, 2 types it again."""
        p = self.say.prompts
        try:
            held = self.keeper.held_number(caller) if self.keeper else None
        except StorageError as exc:
            log.error("typed mobile number of call %s not readable: %s", caller.call_key, exc)
            held = None
        if held is None or reply is Reply.NO:  # nothing kept: type it (again)
            return self._ask_mobile(Step(Route.MOBILE, step.path, stage=step.stage))
        if reply is Reply.YES:
            return (*self._send(step.path, caller, held.e164, now), *self._menu(step))
        if reply is Reply.REPEAT:
            return self._check(step.fresh(), held)
        if reply is Reply.HELP:
            return (Say(p("sms_mobile_help")), *self._check(step.fresh(), held))
        if reply is Reply.BACK:
            return self._ask(Step(Route.SMS, step.path, stage=step.stage))
        if reply is Reply.OPERATOR:
            return self.around.operator(step.path, now)

        def again(nxt: Step) -> Turn:
            return self._check(nxt, held)

        return dialogue.retry(p, step, reply is Reply.SILENCE, again, self._not_sent(step))

    def _check(self, step: Step, number: DutchNumber) -> Turn:
        said = self.say.prompts("callback_typed_number", number=self.say.digits(number))
        return dialogue.ask(self.say.prompts, (said,), step, dialogue.Hint.NAMED)

    def _ask_mobile(self, step: Step) -> Turn:
        return (Keys((self.say.prompts("sms_type_mobile"),), step), Continue(step))

    def _not_sent(self, step: Step) -> Callable[[], Turn]:
        """After the last try at the mobile number: the numbers to write down, and go on."""
        return lambda: (*self._failed(step.path), *self._menu(step))

    def _failed(self, path: str) -> Turn:
        """Not sent: the numbers again, to write down."""
        said = Say(self.say.prompts("sms_failed"))
        return (said, *self.say.numbers(self._offering(path)))

    def _send(self, path: str, caller: Caller, to: str, now: datetime) -> Turn:
        """The advice to ``to`` (the caller's mobile, or the one they typed): one per call."""
        p = self.say.prompts
        node = self._offering(path)
        failed = self._failed(path)
        if not is_dutch_mobile(to):
            return failed
        try:
            if not self.storage.claim_sms(caller.call_key, now):
                return (Say(p("sms_already")),)
        except StorageError as exc:
            log.error("no SMS for call %s: %s", caller.call_key, exc)
            return failed
        try:
            self.sender.send(to, self.text_for(node), caller.call_key)
        except SmsError as exc:
            log.error("no SMS for call %s: %s", caller.call_key, exc)
            self._release(caller.call_key)
            return failed
        return (Confirmed(Outcome.SMS), Say(p("sms_sent")))

    def _offering(self, path: str) -> Offering:
        node = self.tree.reached(path)
        if not isinstance(node, Offering):
            raise CallStateError(f"the SMS question at {path!r}, which is not an offering")
        return node

    def confirm_callback(
        self, request: CallbackRequest, promise: tuple[str, ...], now: datetime
    ) -> Turn:
        """After a stored callback request to a Dutch mobile: an SMS that confirms it (the
        number, and a time only as ``promise`` gives one), once per request; said when sent."""
        if not is_dutch_mobile(request.phone):
            return ()
        key = request.call_key + CONFIRMATION
        try:
            if not self.storage.claim_sms(key, now):
                return ()
        except StorageError as exc:
            log.error("no confirmation SMS for call %s: %s", request.call_key, exc)
            return ()
        p = self.say.prompts
        helpdesk = self.tree.services[self.tree.helpdesk].name
        number = parse_dutch_number(request.phone).written
        lines = (p("sms_callback", service=helpdesk, number=number), *promise)
        text = "\n".join([" ".join(lines), p("sms_signature")])
        try:
            self.sender.send(request.phone, text, request.call_key)
        except SmsError as exc:  # the request is stored: only the SMS is missing
            log.error("no confirmation SMS for call %s: %s", request.call_key, exc)
            self._release(key)
            return ()
        return (Say(p("sms_callback_sent")),)

    def _release(self, call_key: str) -> None:
        """A failed send is not the call's one SMS: a second "ja" tries again."""
        try:
            self.storage.release_sms(call_key)
        except StorageError as exc:
            log.error("SMS claim of call %s kept after a failed send: %s", call_key, exc)

    def _ask(self, step: Step) -> Turn:
        texts = (self.say.prompts("sms_offer"),)
        return dialogue.ask(self.say.prompts, texts, step, dialogue.Hint.NAMED)

    def _menu(self, step: Step) -> Turn:
        return self.around.after_offering(step.path, step.stage or Stage.RESTART)
