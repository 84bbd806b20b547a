"""Assembles the line from settings and content: opening hours, call flow, TwiML writer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from ivr.config.content import Content
from ivr.config.services import service_settings
from ivr.config.settings import Settings
from ivr.core.actions import Turn
from ivr.core.call_marks import BOOK, Mark, MarkSink, call_key, observe, start
from ivr.core.call_state import Step, parse_step
from ivr.core.callback_flow import CallbackBook
from ivr.core.flow import CallFlow
from ivr.core.replies import Reply
from ivr.core.sms_flow import SmsBook, SmsFlow
from ivr.core.timeless import timeless
from ivr.core.webhook import PERSONAL, Event, answer
from ivr.outbound.sms import SmsSender
from ivr.web.deadlines import TimedSender
from ivr.web.recorded_outcomes import CALLBACK, SMS, RecordedBook, RecordedSender, noted
from ivr.web.recorder import NoRecorder
from ivr.web.twilio_request import query_args
from ivr.web.twiml import AudioFor, Dialling, TwimlWriter

if TYPE_CHECKING:
    from twilio.http import HttpClient

log = logging.getLogger(__name__)
VOICE_PREFIX = "/voice"
# Rendered TwiML kept per turn, and whole answers per (step, reply). A tree has a few hundred
# distinct turns and a few thousand timeless answers (steps x replies x counts); the caps only
# guard against a flow that one day puts something unbounded in a turn or a step.
RENDERED_LIMIT = 4096
PREPARED_LIMIT = 16384
STEPS_LIMIT = 16384  # steps parsed per distinct webhook URL (only Twilio's signed URLs get here)
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def step_url(step: Step) -> str:
    """The webhook URL that carries a step (path-absolute: Twilio resolves it on our host)."""
    return f"{VOICE_PREFIX}/{step.route}?{urlencode(step.query())}"


@dataclass(frozen=True)
class Prepared:
    """A timeless answer, kept whole: its TwiML, encoded, and the call mark it gives."""

    body: bytes
    mark: Mark | None


class Line:
    def __init__(
        self,
        settings: Settings,
        content: Content,
        clock: Clock = utc_now,
        audio_for: AudioFor | None = None,
        audio_generation: Callable[[], int] | None = None,
        book: CallbackBook | None = None,
        sms_book: SmsBook | None = None,
        sms_http: HttpClient | None = None,
        recorder: MarkSink | None = None,
        call_secret: bytes = b"",
    ) -> None:
        """``recorder``: where the call marks go (none: no figures are kept);
        ``call_secret``: the key of the calls' pseudonyms (``call_key``)."""
        tree = content.tree
        self.settings = settings
        self.clock = clock
        self.recorder: MarkSink = recorder or NoRecorder()
        self._call_secret = call_secret
        self._start = start(tree)
        services = service_settings(settings, tree)
        desks = {sid: found.hours for sid, found in services.items()}
        if book is not None:
            book = RecordedBook(book)
        self.flow = CallFlow(tree, content.prompts, desks, book, settings.callback_promise_days)
        if settings.sms_enabled and sms_book is not None:
            timed = TimedSender(SmsSender(settings, sms_http))
            sender = RecordedSender(timed)
            self.flow.sms = SmsFlow(tree, self.flow.say, sender, sms_book, self.flow)
        dialling = {
            sid: Dialling(found.dial_number, found.ring_timeout, settings.caller_id)
            for sid, found in services.items()
        }
        extra = {"audio_for": audio_for} if audio_for else {}
        self.writer = TwimlWriter(
            step_url, dialling, settings.gather_timeout, voice=settings.say_voice, **extra
        )
        # Built once: these must answer even when everything else is failing.
        self.apology_twiml = self.writer.render(self.flow.apology()).encode()
        self.fallback_twiml = self.writer.render(self.flow.fallback()).encode()
        self._audio_generation = audio_generation or (lambda: 0)
        self._heard = self._audio_generation()
        self._rendered: dict[Turn, str] = {}
        self._prepared: dict[tuple[Step, Reply, bool], Prepared] = {}
        self._steps: dict[tuple[str, str], Step] = {}
        self._welcome = self.writer.render(self.flow.welcome()).encode()

    def _follow_audio(self) -> None:
        """Drop every kept answer when the audio changed (a file lost, a new manifest)."""
        generation = self._audio_generation()
        if generation != self._heard:
            self._rendered, self._prepared = {}, {}
            self._welcome = self.writer.render(self.flow.welcome()).encode()
            self._heard = generation  # only once rendered: a failed render is tried again

    def greet(self, call_sid: str) -> bytes:
        """The welcome's TwiML, encoded (the same for every call, built once), the call's start
        noted in its figures."""
        self._follow_audio()
        self.note(self.call_key(call_sid), self._start)
        return self._welcome

    def step_of(self, route: str, query: str) -> Step:
        """The step a webhook URL carries, parsed once per distinct URL; CallStateError when
        it is not one of this line's steps."""
        key = (route, query)
        step = self._steps.get(key)
        if step is None:
            step = parse_step(route, query_args(query))
            if len(self._steps) < STEPS_LIMIT:
                self._steps[key] = step
        return step

    def prepared(self, step: Step, reply: Reply, spoken: bool, call_sid: str) -> bytes | None:
        """The kept answer to ``reply`` at ``step`` (``spoken``: the reply was words, not keys),
        its mark noted for the call; None when it is not kept (yet)."""
        self._follow_audio()
        prepared = self._prepared.get((step, reply, spoken))
        if prepared is None:
            return None
        self.note(self.call_key(call_sid), prepared.mark)
        return prepared.body

    def answer(
        self, step: Step, reply: Reply, spoken: bool, call_sid: str, event: Callable[[], Event]
    ) -> bytes:
        """The encoded TwiML that answers ``reply`` at ``step``, its mark noted for the call:
        the one place a webhook's answer is made.

        A timeless answer (``ivr.core.timeless``: the same whatever the time, the caller or
        storage) is built once and kept whole with its mark (``prepared``, which
        ``ivr.web.prepared_webhooks`` serves before Flask); the others go through the flow,
        with ``event`` (the webhook's time, caller and form) made only then.
        """
        body = self.prepared(step, reply, spoken, call_sid)
        if body is not None:
            return body
        key = self.call_key(call_sid)  # the call's pseudonym in the figures
        made = event()
        turn = answer(self.flow, made)
        if not timeless(self.flow.tree, step, reply):
            xml = self.render(turn, keep=step.route not in PERSONAL)
            self.note(key, self._mark(made, turn, spoken))
            return xml.encode()
        kept = Prepared(self.writer.render(turn).encode(), self._mark(made, turn, spoken))
        if len(self._prepared) < PREPARED_LIMIT:
            self._prepared[(step, reply, spoken)] = kept
        self.note(key, kept.mark)
        return kept.body

    def call_key(self, call_sid: str) -> str:
        """The call's pseudonym in the figures ("" without a CallSid)."""
        return call_key(self._call_secret, call_sid) if call_sid else ""

    def book_key(self, call_sid: str) -> str:
        """The call's pseudonym in callback requests and SMS records: another key than the
        figures', so a request's phone number cannot be joined to the call's figures."""
        return call_key(self._call_secret, call_sid, BOOK) if call_sid else ""

    def note(self, key: str, mark: Mark | None) -> None:
        """Hand a call's mark to the recorder (which never fails or waits)."""
        if key and mark is not None:
            self.recorder.note(key, self.clock(), mark)

    def _mark(self, event: Event, turn: Turn, spoken: bool) -> Mark | None:
        """The mark of an answered webhook (``spoken``: the reply was words, not keys), with the
        outcomes confirmed while answering it (a callback request stored, an SMS sent). Figures
        are never worth a call: a failure here is logged, and the caller hears nothing of it."""
        try:
            mark = observe(
                self.flow.tree,
                event.step,
                event.reply,
                spoken,
                turn,
                event.dial_status,
                event.bridged,
            )
            outcomes = noted()
            if mark is not None and outcomes:
                mark = replace(mark, callback=CALLBACK in outcomes, sms=SMS in outcomes)
        except Exception:
            log.exception("call figures: no mark for %s", event.step.route.value)
            return None
        return mark

    def render(self, turn: Turn, keep: bool = True) -> str:
        """The TwiML of a turn, built once: a turn is plain frozen data.

        ``keep=False`` for turns that read a caller's phone number back: personal data is not
        kept beyond the request.
        """
        xml = self._rendered.get(turn) if keep else None
        if xml is None:
            xml = self.writer.render(turn)
            if keep and len(self._rendered) < RENDERED_LIMIT:
                self._rendered[turn] = xml
        return xml
