"""The line's assembly at start: ``build_line`` builds it once per content version from the
settings, the content and the outside parts (storage within its deadline, the SMS sender, the
audio, the call figures); ``call_flow`` is the call flow in one language, each service's opening
hours said in its words; each language's speaker (pre-rendered Dutch audio, a recorded
language's recordings, or a voice). The answering of a webhook is ``ivr.web.line.Line``'s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from ivr.config.content import Content
from ivr.config.services import ServiceSettings, service_settings
from ivr.config.settings import Settings
from ivr.core.alerts import FailureRuns
from ivr.core.call_events import EventSink
from ivr.core.call_state import url_maker
from ivr.core.errors import ConfigError
from ivr.core.flow import CallFlow
from ivr.core.hours import OpeningHours
from ivr.core.language import SOURCE
from ivr.core.translated import LineLanguage
from ivr.outbound.sms import SmsSender
from ivr.web.deadlines import TimedSender, TimedStore
from ivr.web.line import CallLanguage, Clock, Line
from ivr.web.twiml import AudioFor, Dialling, Recordings, Speaker, TwimlWriter

# A recorded language's recordings for the writer (ivr.audio.recordings makes it); None: none.
RecordingsOf = Callable[[LineLanguage], Recordings]


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
    recordings: RecordingsOf | None = None,
    version: int | None = None,
) -> Line:
    """The line, assembled once per content version (``version``, carried in its URLs; None:
    the repository's content), in every language ``content`` offers. ``store``: callback
    requests and the one-SMS-per-call record (none: no callbacks, no SMS); ``sms``: the advice
    by SMS (none: not offered); ``announce``: tells the helpdesk a callback request waits (the
    e-mail); ``failure_runs``: told how transfers and SMS went (the operator's alerts);
    ``recordings``: what a recorded language plays (none: no recorded language is offered)."""
    services = service_settings(settings, content.tree)
    sender = TimedSender(sms, failure_runs=failure_runs) if sms and store else None
    dialling = {
        sid: Dialling(found.dial_number, found.ring_timeout, settings.caller_id)
        for sid, found in services.items()
    }
    speakers = {
        code: _speaker(offered, audio, recordings) for code, offered in content.languages.items()
    }
    languages = {
        code: CallLanguage(
            offered.language,
            call_flow(settings, content, store, sender, services, offered),
            TwimlWriter(
                url_maker(code, version),
                dialling,
                settings.gather_timeout,
                language=offered.language,
                speakers=speakers,
            ),
        )
        for code, offered in content.languages.items()
    }
    return Line(
        languages,
        clock,
        audio.generation,
        events,
        call_secret,
        announce,
        failure_runs,
        by_number=settings.language_by_number,
    )


def _speaker(offered: LineLanguage, audio: Audio, recordings: RecordingsOf | None) -> Speaker:
    """How a language is spoken: Dutch with the pre-rendered audio (audio/ is Dutch), a
    recorded language by its recordings, any other by its voice alone."""
    language = offered.language
    if language.code == SOURCE:
        return Speaker(language, offered.voice, audio.url_for)
    if not language.recorded:
        return Speaker(language, offered.voice)
    if recordings is None:
        raise ConfigError("LANGUAGES", f"{language.name} is recorded: the line has no recordings")
    return Speaker(language, recordings=recordings(offered))


def call_flow(
    settings: Settings,
    content: Content,
    store: TimedStore | None = None,
    sender: TimedSender | None = None,
    services: Mapping[str, ServiceSettings] | None = None,
    language: LineLanguage | None = None,
) -> CallFlow:
    """The call flow with each service's opening hours from the settings (``services``, when
    the caller has read them already); without ``store`` no callbacks, without ``sender`` no
    SMS; in ``language`` (one of ``content.languages``; none: Dutch), its hours said in its
    words."""
    if services is None:
        services = service_settings(settings, content.tree)
    spoken = language or content.languages[SOURCE]
    return CallFlow(
        spoken.tree,
        spoken.prompts,
        {sid: _hours_in(found.hours, spoken, sid) for sid, found in services.items()},
        callback_storage=store,
        promise_days=settings.callback_promise_days,
        sender=sender,
        sms_storage=store if sender else None,
        language=spoken.language,
        dutch_tree=content.tree,
    )


def _hours_in(hours: OpeningHours, spoken: LineLanguage, service_id: str) -> OpeningHours:
    """A service's hours said in a language: its words, and its translation of hours that are
    only assumed (``hours_said``)."""
    if spoken.language.code == SOURCE:
        return hours
    said = spoken.tree.services[service_id].hours_said if hours.said else None
    return replace(hours, language=spoken.language, said=said)
