"""Assembles the line from settings and content: opening hours, call flow, TwiML writer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from ivr.config.content import Content
from ivr.config.services import service_settings
from ivr.config.settings import Settings
from ivr.core.actions import Turn
from ivr.core.call_marks import BOOK, Mark, MarkSink, call_key, observe, start
from ivr.core.call_state import Step
from ivr.core.callback_flow import CallbackBook
from ivr.core.flow import CallFlow
from ivr.core.sms_flow import SmsBook, SmsFlow
from ivr.core.webhook import Event
from ivr.outbound.sms import SmsSender
from ivr.web.deadlines import TimedSender
from ivr.web.recorded_outcomes import CALLBACK, SMS, RecordedBook, RecordedSender, noted
from ivr.web.recorder import NoRecorder
from ivr.web.twiml import AudioFor, Dialling, Rendered, TwimlWriter

if TYPE_CHECKING:
    from twilio.http import HttpClient

log = logging.getLogger(__name__)
VOICE_PREFIX = "/voice"
# Rendered TwiML kept per turn. A tree has a few hundred distinct turns; the cap only guards
# against a flow that one day puts something unbounded (a time, a caller's words) in a turn.
RENDERED_LIMIT = 4096
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def step_url(step: Step) -> str:
    """The webhook URL that carries a step (path-absolute: Twilio resolves it on our host)."""
    return f"{VOICE_PREFIX}/{step.route}?{urlencode(step.query())}"


class Line:
    def __init__(
        self,
        settings: Settings,
        content: Content,
        clock: Clock = utc_now,
        audio_for: AudioFor | None = None,
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
        self.apology_twiml = self.writer.render(self.flow.apology()).xml
        self.fallback_twiml = self.writer.render(self.flow.fallback()).xml
        self._rendered: dict[Turn, Rendered] = {}

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

    def note_start(self, key: str) -> None:
        self.note(key, self._start)

    def note_turn(self, key: str, event: Event, turn: Turn) -> None:
        """The mark of an answered webhook, under the call's figures key.
        Figures are never worth a call: a failure here is logged, and the caller hears nothing."""
        if not key:
            return
        spoken = bool(event.speech) and not event.digits
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
            return
        self.note(key, mark)

    def render(self, turn: Turn, keep: bool = True) -> str:
        """The TwiML of a turn, built once: a turn is plain frozen data.

        Kept TwiML is reused only while the audio it plays is still there; a file lost at run
        time means the turn is built again, with ``<Say>``. ``keep=False`` for turns that read a
        caller's phone number back: personal data is not kept beyond the request.
        """
        rendered = self._rendered.get(turn) if keep else None
        if rendered is None or not self.writer.still_current(rendered):
            rendered = self.writer.render(turn)
            if keep and (turn in self._rendered or len(self._rendered) < RENDERED_LIMIT):
                self._rendered[turn] = rendered
        return rendered.xml
