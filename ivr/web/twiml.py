"""The one place that turns a turn of the call into TwiML (with the ``twilio`` package).

A writer speaks the language of its call; a text in another language (``InLanguage``: a
language's choice at the welcome, the Dutch kept where a translation may not be spoken) is
spoken by that language's ``Speaker``: its voice, its ``<Say>`` language and normaliser, its
pre-rendered audio, and for a recorded language its recordings (never ``<Say>``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import assert_never

from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from ivr.core.actions import Ask, Confirmed, Connect, Continue, Hangup, Keys, Pace, Say, Turn
from ivr.core.call_state import Step
from ivr.core.language import Language
from ivr.core.languages import DUTCH
from ivr.core.normalise import Normaliser

TWIML_TYPE = "text/xml; charset=utf-8"  # the Content-Type of every answer to Twilio
SPEECH_TIMEOUT = 2  # seconds of silence that end a spoken answer
# A repeat is spoken slower: SSML <prosody rate> inside <Say> (every accepted voice reads SSML);
# 85 % of the voice's ~150 words a minute is about 128. Pre-rendered audio has no slow variant
# yet, so slow speech is always <Say>.
SLOW_RATE = "85%"
PATIENT = 1.5  # after the caller's second repeat: this much longer to answer (at most 30 s)

UrlFor = Callable[[Step], str]
AudioFor = Callable[[str], str | None]
# A recorded language's recordings of a text, in the order they play: URLs for <Play>. The
# recorded languages' module supplies it (the seam for ``ivr.audio``'s recordings).
Recordings = Callable[[str], tuple[str, ...]]


def _no_audio(text: str) -> str | None:
    return None


@dataclass(frozen=True)
class Speaker:
    """How the line speaks one language. ``voice``: one of its Twilio voices, checked at start
    (``ivr.config.voices``), "" for its default; ``audio_for``: its pre-rendered audio (today
    Dutch only); ``recordings``: a recorded language's (it has no voice)."""

    language: Language
    voice: str = ""
    audio_for: AudioFor = _no_audio
    recordings: Recordings | None = None
    normalise: Normaliser = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.voice and not self.language.recorded:
            object.__setattr__(self, "voice", self.language.voice)
        object.__setattr__(self, "normalise", Normaliser(self.language))

    @property
    def recorded(self) -> bool:
        return self.recordings is not None


@dataclass(frozen=True)
class Dialling:
    """How a service is dialled: E.164 number and ring timeout."""

    number: str
    timeout: int
    caller_id: str | None = None


class TwimlWriter:
    def __init__(
        self,
        url_for: UrlFor,
        dialling: dict[str, Dialling],
        gather_timeout: int = 8,
        audio_for: AudioFor = _no_audio,
        voice: str | None = None,
        language: Language = DUTCH,
        speakers: Mapping[str, Speaker] | None = None,
    ) -> None:
        """``language``: what the call speaks and hears; ``voice``: one of its voices, checked
        at start (``ivr.config.voices``), else its default. ``speakers``: every language the
        line speaks, by code (its entry for ``language``, when there, is this writer's own:
        ``voice`` and ``audio_for`` are then not used); Dutch, the source, is always there."""
        self.url_for = url_for
        self.dialling = dialling
        self.gather_timeout = gather_timeout
        found = dict(speakers or {})
        own = found.get(language.code) or Speaker(language, voice or "", audio_for)
        found[language.code] = own
        found.setdefault(DUTCH.code, Speaker(DUTCH))
        self.speakers: Mapping[str, Speaker] = found
        self.speaker = own
        self.language = language
        self.voice = own.voice
        self.normalise = own.normalise

    def speaker_of(self, text: str) -> Speaker:
        """Who speaks a text: its own language's speaker for an ``InLanguage`` text."""
        code = getattr(text, "language", None)
        if code is None:
            return self.speaker
        found = self.speakers.get(code)
        if found is None:
            raise ValueError(f"a text in {code!r}, a language this line does not speak")
        return found

    def speak(self, parent: VoiceResponse | Gather, text: str, slow: bool = False) -> None:
        """All speech goes through here: a recorded language's recordings; else pre-rendered
        audio, else ``<Say>`` in the text's language (nl-NL) with its voice (Twilio's default
        voice is ``man``).

        ``<Say>`` speaks the same normalised text the audio was rendered from.
        """
        speaker = self.speaker_of(text)
        if speaker.recordings is not None:
            for url in speaker.recordings(text):  # no slow variant of a recording
                parent.play(url)
            return
        language = speaker.language.twilio_language
        if slow:
            say = parent.say(language=language, voice=speaker.voice)
            say.prosody(speaker.normalise(text), rate=SLOW_RATE)
            return
        url = speaker.audio_for(str(text))  # by its words: an InLanguage hashes its language too
        if url:
            parent.play(url)
        else:
            parent.say(speaker.normalise(text), language=language, voice=speaker.voice)

    def render(self, turn: Turn) -> str:
        """A turn's TwiML."""
        response = VoiceResponse()
        pace = Pace(slow=False)
        for action in turn:
            match action:
                case Pace():
                    pace = action  # the rest of the turn is spoken at this pace
                case Say(text):
                    self.speak(response, text, pace.slow)
                case Ask():
                    self._ask(response, action, pace)
                case Keys():
                    self._keys(response, action, pace)
                case Connect():
                    response.append(self._dial(action))
                case Continue(then):
                    response.redirect(self.url_for(then), method="POST")
                case Hangup():
                    response.hangup()
                case Confirmed():
                    pass  # nothing is spoken: the line's figures read it
                case _:
                    assert_never(action)
        return str(response)

    def _timeout(self, pace: Pace, timeout: int | None = None) -> int:
        base = timeout or self.gather_timeout
        return min(30, round(base * PATIENT)) if pace.patient else base

    def _ask(self, response: VoiceResponse, action: Ask, pace: Pace) -> None:
        """One key or a spoken answer; ``finishOnKey`` off, so ``#`` is a key like any other.
        A recorded language hears keys only."""
        if self.speaker.recorded:
            self._keys(response, Keys(action.texts, action.then, digits=1), pace)
            return
        gather = response.gather(
            input="dtmf speech",
            language=self.language.twilio_language,
            hints=self.language.replies.hints,  # what the speech recogniser should expect
            num_digits=1,
            timeout=self._timeout(pace),
            # a number, not "auto": Twilio warns (13335) that "auto" does not work with every
            # speech model
            speech_timeout=SPEECH_TIMEOUT,
            finish_on_key="",
            action=self.url_for(action.then),
            method="POST",
        )
        for text in action.texts:
            self.speak(gather, text, pace.slow)

    def _keys(self, response: VoiceResponse, action: Keys, pace: Pace) -> None:
        """Keys: ``digits`` of them, or any number ending with ``#`` (numDigits unset); and the
        words of ``hints``, heard in the call's language (not in a recorded language)."""
        speech = {}
        if action.hints and not self.speaker.recorded:
            speech = {
                "language": self.language.twilio_language,
                "hints": action.hints,
                "speech_timeout": SPEECH_TIMEOUT,
            }
        gather = response.gather(
            input="dtmf speech" if speech else "dtmf",
            num_digits=action.digits,
            timeout=self._timeout(pace, action.timeout),
            finish_on_key="" if action.digits else "#",
            action=self.url_for(action.then),
            method="POST",
            **speech,
        )
        for text in action.texts:
            self.speak(gather, text, pace.slow)

    def _dial(self, action: Connect) -> Dial:
        how = self.dialling[action.service]
        dial = Dial(
            action=self.url_for(action.then),
            method="POST",
            timeout=how.timeout,
            answer_on_bridge=True,
            caller_id=how.caller_id,
        )
        if action.whisper is None:
            dial.number(how.number)
        else:
            dial.number(how.number, url=self.url_for(action.whisper), method="POST")
        return dial
