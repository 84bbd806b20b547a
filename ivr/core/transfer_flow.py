"""Putting a caller through to a service: the transfer, its outcome, and the answering person's
whisper and accept key. Pure.

A service that agreed to screening (``screening: whisper`` in the tree) hears a whisper first
and takes the call with key 1; a public line gets a plain transfer, nothing played into its
menu. A closed service while the helpdesk is open (the Sociaal loket after four, Markant until
five): the closed notice, then the helpdesk. When nobody takes the call, or both are closed, the
caller hears what happened and when to call, and is offered a callback (``offer_callback``: the
call flow's, which resumes the call without one).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from ivr.core.actions import Connect, Hangup, Keys, Say, Turn
from ivr.core.call_state import Route, Step
from ivr.core.call_summary import whisper
from ivr.core.errors import CallStateError
from ivr.core.language import Language
from ivr.core.languages import DUTCH
from ivr.core.speech import Speech
from ivr.core.tree_model import Service, Tree
from ivr.core.twilio_words import BRIDGED, DIAL_STATUSES, DialStatus

log = logging.getLogger(__name__)
WHISPER_TIMEOUT = 5  # seconds the answering person has to press 1 after the whisper
# What the caller hears when a transfer did not happen, by DialCallStatus (else: no reason).
_NOT_THROUGH = {DialStatus.BUSY: "transfer_busy", DialStatus.NO_ANSWER: "no_answer"}


class TransferFlow:
    def __init__(self, tree: Tree, speech: Speech, offer_callback: Callable[[str], Turn]) -> None:
        self.tree = tree
        self.say = speech
        self.offer_callback = offer_callback

    def put_through(self, service_id: str, path: str, now: datetime) -> Turn:
        """Key 0, the last resort, an offering's "ja": the caller at ``path`` to a service."""
        return self.transfer(Step(Route.TRANSFER, path, service=service_id), now)

    def transfer(self, step: Step, now: datetime) -> Turn:
        """Put the caller through to ``step.service`` if it is open; otherwise say when it is."""
        service = self._service(step)
        if self._open(service.id, now):
            return self._connect(service, step.path)
        helpdesk = self.tree.services[self.tree.helpdesk]
        closed = self.say.closed(service.id, now)
        if service.id != helpdesk.id and self._open(helpdesk.id, now):
            return (*closed, *self._connect(helpdesk, step.path))  # key 0 at a question does too
        return (*closed, *self.offer_callback(step.path))

    def dialed(self, step: Step, status: str, bridged: bool | None, now: datetime) -> Turn:
        """The outcome of a transfer (Twilio's ``DialCallStatus`` and ``DialBridged``): what
        happened, the number, and (only when the service has closed by now) when it opens."""
        service = self._service(step)
        if status not in DIAL_STATUSES:
            log.warning("unknown DialCallStatus %r: treated as not answered", status)
        if status in BRIDGED and bridged is not False:
            return (Say(self.say.prompts("goodbye")), Hangup())
        # busy, no-answer, failed, canceled, or a whisper declined (DialBridged=false)
        # Twilio says DialBridged=false for every call not bridged: the status says why; a
        # completed or answered one not bridged is a whisper nobody took (nobody answered)
        reason = "no_answer" if status in BRIDGED else _NOT_THROUGH.get(status, "transfer_failed")
        closed = () if self._open(service.id, now) else self.say.closed(service.id, now)
        return (
            Say(self.say.prompts(reason)),
            *self.say.call_later(service.id, hours=False),
            *closed,
            *self.offer_callback(step.path),
        )

    def whisper(self, step: Step, language: Language = DUTCH) -> Turn:
        """The answering person's leg: who is calling and why (and in which ``language``, the
        caller's, when not Dutch); 1 accepts, silence declines."""
        service = self._service(step)
        texts = whisper(self.tree, self.say.prompts, step.path, language)
        accept = Step(Route.ACCEPT, step.path, service=service.id)
        return (Keys(texts, accept, digits=1, timeout=WHISPER_TIMEOUT), Hangup())

    def _open(self, service_id: str, now: datetime) -> bool:
        return self.say.opening_hours[service_id].is_open(now)

    def _connect(self, service: Service, path: str) -> Turn:
        screen = Step(Route.WHISPER, path, service=service.id) if service.screened else None
        return (
            Say(self.say.prompts("connecting", service=service.name)),
            Connect(service.id, Step(Route.DIALED, path, service=service.id), screen),
        )

    @staticmethod
    def accept(digits: str) -> Turn:
        """The answering person's key: 1 puts the caller through (empty TwiML), else decline."""
        return () if digits == "1" else (Hangup(),)

    def _service(self, step: Step) -> Service:
        """The step's service, its path checked: CallStateError for a URL that does not fit."""
        service = self.tree.services.get(step.service)
        if service is None:
            raise CallStateError(f"{step.route.value} for unknown service {step.service!r}")
        self.tree.reached(step.path)
        return service
