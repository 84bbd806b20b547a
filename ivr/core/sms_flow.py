"""After an offering: "Wilt u dit advies per sms?" — sent at most once per call, failures told.

The ``sms`` route's stage says what follows: ``offer`` (put through?), ``callback`` (after
hours: a callback?) or ``restart``.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Protocol

from ivr.core import dialogue
from ivr.core.actions import Confirmed, Outcome, Say, Turn
from ivr.core.call_state import Route, Stage, Step
from ivr.core.callback_flow import CallbackRequest, Caller
from ivr.core.errors import CallStateError, SmsError, StorageError
from ivr.core.phone import is_dutch_mobile, parse_dutch_number
from ivr.core.replies import Reply
from ivr.core.speech import Speech
from ivr.core.tree_model import Offering, Tree

log = logging.getLogger(__name__)


# GSM 03.38: the characters one SMS segment carries 160 of (153 each when split); any other
# character makes the whole message UCS-2 (70, split 67). The extension table counts twice.
_GSM = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = "^{}\\[~]|€"
MAX_SEGMENTS = 3  # Dutch advice in GSM-7: up to 3 x 153 characters
# A callback request's confirmation is claimed apart from the advice's SMS: one of each a call.
CONFIRMATION = ".terugbellen"


def sms_segments(text: str) -> int:
    """How many SMS segments ``text`` takes (GSM 03.38 when it can, else UCS-2)."""
    if all(ch in _GSM or ch in _GSM_EXTENDED for ch in text):
        length = sum(2 if ch in _GSM_EXTENDED else 1 for ch in text)
        return 1 if length <= 160 else -(-length // 153)
    length = len(text.encode("utf-16-le")) // 2
    return 1 if length <= 70 else -(-length // 67)


def advice_text(speech: Speech, offering: Offering) -> str:
    """The offering's name and what to do (its ``sms``), whom to call (every number the advice
    reads, with its hours), and the seed's web address if it fits in ``MAX_SEGMENTS``; in GSM
    characters (the language's letters outside them written plainly: Cliëntenbelang as
    Clientenbelang). The tree's texts are written to fit (tests/test_sms.py checks each)."""
    prompts = speech.prompts
    plain = str.maketrans(*speech.language.sms_plain_letters)
    lines = [f"{offering.title}.", *([offering.sms] if offering.sms else [])]
    for contact in offering.contacts:
        if contact.phone is None:
            continue
        hours = speech.contact_hours(contact)
        values = {"service": contact.name, "number": contact.phone.written}
        if hours:
            lines.append(prompts("sms_contact_hours", hours=hours, **values))
        else:
            lines.append(prompts("sms_contact", **values))
    signature = prompts("sms_signature")
    web = prompts("sms_web", web=offering.web) if offering.web else None
    if web and sms_segments("\n".join([*lines, web, signature]).translate(plain)) <= MAX_SEGMENTS:
        lines.append(web)  # the web address only where it fits
    return "\n".join([*lines, signature]).translate(plain)


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
    ) -> None:
        self.tree = tree
        self.around = around  # what follows the SMS question, and keys * and 0
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

    def text_for(self, offering: Offering) -> str:
        return self._texts[offering.id]

    def offer(self, path: str, then: Stage) -> Turn:
        return self._ask(Step(Route.SMS, path, stage=then))

    def reply(self, step: Step, reply: Reply, caller: Caller, now: datetime) -> Turn:
        p = self.say.prompts
        if reply is Reply.YES:
            return (*self._send(step.path, caller, now), *self._menu(step))
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

    def _send(self, path: str, caller: Caller, now: datetime) -> Turn:
        p = self.say.prompts
        node = self._offering(path)
        # not sent: the numbers again, to write down
        failed = (Say(p("sms_failed")), *self.say.numbers(node))
        if not self.can_send(caller):
            return failed
        try:
            if not self.storage.claim_sms(caller.call_key, now):
                return (Say(p("sms_already")),)
        except StorageError as exc:
            log.error("no SMS for call %s: %s", caller.call_key, exc)
            return failed
        try:
            self.sender.send(caller.number, self.text_for(node), caller.call_key)
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
