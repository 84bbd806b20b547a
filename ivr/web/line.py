"""The line: a webhook's answer, from Twilio's request through the call flow to TwiML.

``ivr.web.line_assembly.build_line`` assembles it once at start. ``Line.answer`` is the one
place a webhook of a call is answered: the step from the URL, the rest from Twilio's form, the
turn from the flow, the call event for the figures, the TwiML from the writer.

The line speaks each offered language with a call flow and a writer of its own
(``CallLanguage``). The caller's language travels in the webhook URLs (``l=en``; none for
Dutch), so any process answers any webhook: the Dutch welcome offers the other languages and a
key or a name said chooses one (``ivr.core.language_choice``), a called number bound to a
language (``LANGUAGE_BY_NUMBER``) greets in it, and from then on every URL its writer makes
carries its code. The helpdesk's leg of a transfer (the whisper) is always Dutch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from ivr.core.actions import Confirmed, Outcome, Turn
from ivr.core.alerts import FailureRuns
from ivr.core.call_events import (
    CALLBACKS,
    CallEvent,
    EventSink,
    call_key,
    dial_outcome,
    event_of,
    in_language,
    start_event,
)
from ivr.core.call_state import LANGUAGE_ARG, parse_step
from ivr.core.callback_request import Caller
from ivr.core.errors import CallStateError
from ivr.core.flow import CallFlow
from ivr.core.language import SOURCE, Language
from ivr.core.language_choice import chosen
from ivr.core.routes import ROUTES, Route
from ivr.core.twilio_words import Param
from ivr.core.webhook import Webhook, answer
from ivr.web.twilio_request import TwilioRequest, query_args
from ivr.web.twiml import TwimlWriter

log = logging.getLogger(__name__)
# Rendered TwiML kept per turn. A tree has a few hundred distinct turns; the cap only guards
# against a flow that one day puts something unbounded in a turn.
RENDERED_LIMIT = 4096
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CallLanguage:
    """The line in one language: the call flow that answers its webhooks and the writer of its
    TwiML (whose URLs carry the language)."""

    language: Language
    flow: CallFlow
    writer: TwimlWriter


class Line:
    def __init__(
        self,
        languages: Mapping[str, CallLanguage],
        clock: Clock,
        audio_generation: Callable[[], int],
        events: EventSink,
        call_secret: bytes,
        announce: Callable[[], None] | None = None,
        failure_runs: FailureRuns | None = None,
        by_number: Mapping[str, str] | None = None,
    ) -> None:
        """``languages``: the line in each language it offers, by code, Dutch first (the other
        languages are offered at the welcome in this order); ``events``: where the call events
        go (the call figures); ``call_secret``: the key of the calls' pseudonyms
        (``call_key``); ``failure_runs``: told each transfer's outcome; ``by_number``: the
        language of a call by the number called (a language not offered: Dutch)."""
        self.languages = dict(languages)
        dutch = self.languages[SOURCE]
        self.flow = dutch.flow  # Dutch: the source, the whisper, the apology
        self.writer = dutch.writer
        self.offers = tuple(found.language for found in self.languages.values())[1:]
        self.by_number = {n: code for n, code in (by_number or {}).items() if code in languages}
        self.clock = clock
        self.events = events
        self._call_secret = call_secret
        self._announce = announce
        self._failure_runs = failure_runs
        self._start_event = start_event(self.flow.tree)
        # Built once: these must answer even when everything else is failing. In each
        # language; the apology's way on (the recovery's URL) in it too.
        self._apologies = {
            code: found.writer.render(found.flow.apology()).encode()
            for code, found in self.languages.items()
        }
        self._fallbacks = {
            code: found.writer.render(found.flow.fallback()).encode()
            for code, found in self.languages.items()
        }
        self.apology_twiml = self._apologies[SOURCE]
        self.fallback_twiml = self._fallbacks[SOURCE]
        self._audio_generation = audio_generation
        self._heard = audio_generation()
        self._rendered: dict[tuple[str, Turn], bytes] = {}

    def greet(self, call: TwilioRequest) -> bytes:
        """The welcome (``POST /voice``), the call's start added to its events: in the language
        the called number is bound to (no choice offered), else Dutch, offering the others."""
        code = self.by_number.get(call.param(Param.TO), "")
        self.add_event(call.call_sid, in_language(self._start_event, code or SOURCE))
        if code:
            return self.render(self.languages[code].flow.welcome(), code)
        return self.render(self.flow.welcome(self.offers))

    def answer(self, route: str, call: TwilioRequest) -> bytes:
        """The TwiML that answers a webhook of the call at ``/voice/<route>``, in the call's
        language; CallStateError when its URL does not carry a step of this line."""
        args = query_args(call.query)
        step = parse_step(route, args)
        spoken = self._language_of(args.get(LANGUAGE_ARG) or SOURCE)
        choice = None
        if step.route is Route.WELCOME and spoken.language.code == SOURCE:
            choice = chosen(self.offers, call.digits, call.speech)
            spoken = self.languages[choice.code] if choice else spoken
        here = self.languages[SOURCE] if ROUTES[step.route].staff else spoken  # the whisper
        webhook = Webhook(
            step,
            Caller(self.callback_key(call.call_sid), call.param(Param.FROM)),
            self.clock(),
            digits=call.digits,
            speech=call.speech,
            dial_status=call.param(Param.DIAL_STATUS),
            bridged=call.bridged,
            language=spoken.language,
        )
        turn = here.flow.first_question() if choice else answer(here.flow, webhook)
        self.add_event(call.call_sid, self._event(webhook, turn, call.spoken))
        if Confirmed(Outcome.CALLBACK) in turn:
            self._tell_helpdesk()
        if step.route is Route.DIALED and self._failure_runs is not None:
            outcome = dial_outcome(webhook.dial_status, webhook.bridged)
            self._count_transfer(self._failure_runs, step.service, outcome)
        return self.render(turn, here.language.code, keep=not ROUTES[step.route].personal)

    def apology(self, query: str, called: str = "") -> bytes:
        """The apology for a webhook that failed (its URL's ``query``, the ``called`` number),
        in the call's language (``failed_in``): a caller in English stays in English."""
        return self._apologies.get(self.failed_in(query, called), self.apology_twiml)

    def fallback(self, error_url: str, called: str) -> bytes:
        """Twilio's fallback, in the language of the URL that failed (``ErrorUrl``)."""
        query = error_url.partition("?")[2].partition("#")[0]  # any text: never an error
        return self._fallbacks.get(self.failed_in(query, called), self.fallback_twiml)

    def failed_in(self, query: str, called: str) -> str:
        """The language of a call whose webhook failed: the one its URL names (``l=``), else
        the one the called number is bound to (the welcome's URL names none), else Dutch; the
        callers ask for it with ``.get``, so a language the line does not offer is Dutch too."""
        return query_args(query).get(LANGUAGE_ARG) or self.by_number.get(called, SOURCE)

    def _language_of(self, code: str) -> CallLanguage:
        """The line in the language a URL names; CallStateError when the line does not offer
        it (a tampered URL, or a language no longer offered after a restart)."""
        found = self.languages.get(code)
        if found is None:
            raise CallStateError(f"{LANGUAGE_ARG}={code!r} is not a language this line offers")
        return found

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
            event = event_of(
                self.flow.tree,
                webhook.step,
                webhook.reply,
                spoken,
                turn,
                webhook.dial_status,
                webhook.bridged,
            )
            return in_language(event, webhook.language.code) if event else None
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

    def render(self, turn: Turn, language: str = SOURCE, keep: bool = True) -> bytes:
        """The TwiML of a turn in a language (by its writer), encoded, built once: a turn is
        plain frozen data. All kept TwiML is dropped when the audio changed.

        ``keep=False`` for turns that read a caller's phone number back: personal data is not
        kept beyond the request.
        """
        generation = self._audio_generation()
        if generation != self._heard:
            self._rendered = {}
            self._heard = generation
        key = (language, turn)
        xml = self._rendered.get(key) if keep else None
        if xml is None:
            xml = self.languages[language].writer.render(turn).encode()
            if keep and len(self._rendered) < RENDERED_LIMIT:
                self._rendered[key] = xml
        return xml
