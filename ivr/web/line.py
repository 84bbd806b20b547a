"""The line: a webhook's answer, from Twilio's request through the call flow to TwiML.

``build_line`` assembles it once at start from the settings, the content and the outside parts
(storage within its deadline, the SMS sender, the audio, the call figures). ``Line.answer`` is
the one place a webhook of a call is answered: the step from the URL, the rest from Twilio's
form, the turn from the flow, the call event for the figures, the TwiML from the writer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from ivr.config.content import Content
from ivr.config.services import ServiceSettings, service_settings
from ivr.config.settings import Settings
from ivr.core.actions import Confirmed, Outcome, Turn
from ivr.core.alerts import FailureRuns
from ivr.core.call_events import (
    CALLBACKS,
    CallEvent,
    EventSink,
    call_key,
    dial_outcome,
    event_of,
    start_event,
)
from ivr.core.call_state import Step, parse_step
from ivr.core.callback_flow import Caller
from ivr.core.flow import CallFlow
from ivr.core.routes import ROUTES, Route
from ivr.core.twilio_words import Param
from ivr.core.webhook import Webhook, answer
from ivr.outbound.sms import SmsSender
from ivr.web.deadlines import TimedSender, TimedStore
from ivr.web.twilio_request import TwilioRequest, query_args
from ivr.web.twiml import AudioFor, Dialling, TwimlWriter

log = logging.getLogger(__name__)
VOICE_PREFIX = "/voice"
# Rendered TwiML kept per turn. A tree has a few hundred distinct turns; the cap only guards
# against a flow that one day puts something unbounded in a turn.
RENDERED_LIMIT = 4096
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def step_url(step: Step) -> str:
    """The webhook URL that carries a step (path-absolute: Twilio resolves it on our host)."""
    return f"{VOICE_PREFIX}/{step.route}?{urlencode(step.query())}"


@dataclass(frozen=True)
class Audio:
    """The pre-rendered prompts: the URL of a text's audio, and a number that changes when
    the audio does (a file lost, a new manifest)."""

    url_for: AudioFor
    generation: Callable[[], int]


def build_line(
    settings: Settings,
    content: Content,
    clock: Clock,
    audio: Audio,
    events: EventSink,
    call_secret: bytes,
    store: TimedStore | None = None,
    sms: SmsSender | None = None,
    announce: Callable[[], None] | None = None,
    failure_runs: FailureRuns | None = None,
) -> Line:
    """The line, assembled once. ``store``: callback requests and the one-SMS-per-call record
    (none: no callbacks, no SMS); ``sms``: the advice by SMS (none: not offered);
    ``announce``: tells the helpdesk a callback request waits (the e-mail); ``failure_runs``: told
    how transfers and SMS went (the operator's alerts)."""
    services = service_settings(settings, content.tree)
    sender = TimedSender(sms, failure_runs=failure_runs) if sms and store else None
    flow = call_flow(settings, content, store, sender, services)
    dialling = {
        sid: Dialling(found.dial_number, found.ring_timeout, settings.caller_id)
        for sid, found in services.items()
    }
    writer = TwimlWriter(
        step_url, dialling, settings.gather_timeout, audio.url_for, voice=settings.say_voice
    )
    return Line(flow, writer, clock, audio.generation, events, call_secret, announce, failure_runs)


def call_flow(
    settings: Settings,
    content: Content,
    store: TimedStore | None = None,
    sender: TimedSender | None = None,
    services: Mapping[str, ServiceSettings] | None = None,
) -> CallFlow:
    """The call flow with each service's opening hours from the settings (``services``, when
    the caller has read them already); without ``store`` no callbacks, without ``sender`` no
    SMS."""
    if services is None:
        services = service_settings(settings, content.tree)
    return CallFlow(
        content.tree,
        content.prompts,
        {sid: found.hours for sid, found in services.items()},
        callback_storage=store,
        promise_days=settings.callback_promise_days,
        sender=sender,
        sms_storage=store if sender else None,
    )


class Line:
    def __init__(
        self,
        flow: CallFlow,
        writer: TwimlWriter,
        clock: Clock,
        audio_generation: Callable[[], int],
        events: EventSink,
        call_secret: bytes,
        announce: Callable[[], None] | None = None,
        failure_runs: FailureRuns | None = None,
    ) -> None:
        """``events``: where the call events go (the call figures); ``call_secret``: the key of
        the calls' pseudonyms (``call_key``); ``failure_runs``: told each transfer's outcome."""
        self.flow = flow
        self.writer = writer
        self.clock = clock
        self.events = events
        self._call_secret = call_secret
        self._announce = announce
        self._failure_runs = failure_runs
        self._start_event = start_event(flow.tree)
        # Built once: these must answer even when everything else is failing.
        self.apology_twiml = writer.render(flow.apology()).encode()
        self.fallback_twiml = writer.render(flow.fallback()).encode()
        self._audio_generation = audio_generation
        self._heard = audio_generation()
        self._rendered: dict[Turn, bytes] = {}

    def greet(self, call: TwilioRequest) -> bytes:
        """The welcome (``POST /voice``), the call's start added to its events."""
        self.add_event(call.call_sid, self._start_event)
        return self.render(self.flow.welcome())

    def answer(self, route: str, call: TwilioRequest) -> bytes:
        """The TwiML that answers a webhook of the call at ``/voice/<route>``; CallStateError
        when its URL does not carry a step of this line."""
        step = parse_step(route, query_args(call.query))
        webhook = Webhook(
            step,
            Caller(self.callback_key(call.call_sid), call.param(Param.FROM)),
            self.clock(),
            digits=call.digits,
            speech=call.speech,
            dial_status=call.param(Param.DIAL_STATUS),
            bridged=call.bridged,
        )
        turn = answer(self.flow, webhook)
        self.add_event(call.call_sid, self._event(webhook, turn, call.spoken))
        if Confirmed(Outcome.CALLBACK) in turn:
            self._tell_helpdesk()
        if step.route is Route.DIALED and self._failure_runs is not None:
            outcome = dial_outcome(webhook.dial_status, webhook.bridged)
            self._count_transfer(self._failure_runs, step.service, outcome)
        return self.render(turn, keep=not ROUTES[step.route].personal)

    def call_key(self, call_sid: str) -> str:
        """The call's pseudonym in the figures ("" without a CallSid)."""
        return call_key(self._call_secret, call_sid) if call_sid else ""

    def callback_key(self, call_sid: str) -> str:
        """The call's pseudonym in callback requests and SMS records: another key than the
        figures', so a request's phone number cannot be joined to the call's figures."""
        return call_key(self._call_secret, call_sid, CALLBACKS) if call_sid else ""

    def add_event(self, call_sid: str, event: CallEvent | None) -> None:
        """Hand a call's event to the figures (which never fail or wait)."""
        if call_sid and event is not None:
            self.events.add(self.call_key(call_sid), self.clock(), event)

    def _event(self, webhook: Webhook, turn: Turn, spoken: bool) -> CallEvent | None:
        """The call event of an answered webhook (``spoken``: the reply was words, not keys).
        Figures are never worth a call: a failure here is logged, and the caller hears nothing
        of it."""
        try:
            return event_of(
                self.flow.tree,
                webhook.step,
                webhook.reply,
                spoken,
                turn,
                webhook.dial_status,
                webhook.bridged,
            )
        except Exception:
            log.exception("call figures: no event for %s", webhook.step.route.value)
            return None

    def _tell_helpdesk(self) -> None:
        """A callback request was stored: start the e-mail to the helpdesk. Never fails the
        call: the request is stored all the same."""
        if self._announce is None:
            return
        try:
            self._announce()
        except Exception:  # a thread that cannot start
            log.exception("could not start the e-mail to the helpdesk")

    @staticmethod
    def _count_transfer(failure_runs: FailureRuns, service: str, outcome: str) -> None:
        """A transfer's outcome, for the operator's alerts: never fails the call."""
        try:
            failure_runs.transfer(service, outcome)
        except Exception:
            log.exception("operator alerts: transfer outcome not counted")

    def render(self, turn: Turn, keep: bool = True) -> bytes:
        """The TwiML of a turn, encoded, built once: a turn is plain frozen data. All kept
        TwiML is dropped when the audio changed.

        ``keep=False`` for turns that read a caller's phone number back: personal data is not
        kept beyond the request.
        """
        generation = self._audio_generation()
        if generation != self._heard:
            self._rendered = {}
            self._heard = generation
        xml = self._rendered.get(turn) if keep else None
        if xml is None:
            xml = self.writer.render(turn).encode()
            if keep and len(self._rendered) < RENDERED_LIMIT:
                self._rendered[turn] = xml
        return xml
