"""The one place that turns a turn of the call into TwiML (with the ``twilio`` package)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


def _no_audio(text: str) -> str | None:
    return None


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
    ) -> None:
        """``language``: what the line speaks and hears; ``voice``: one of its voices, checked
        at start (``ivr.config.voices``), else its default."""
        self.url_for = url_for
        self.dialling = dialling
        self.gather_timeout = gather_timeout
        self.audio_for = audio_for
        self.language = language
        self.voice = voice or language.voice
        self.normalise = Normaliser(language)

    def speak(self, parent: VoiceResponse | Gather, text: str, slow: bool = False) -> None:
        """All speech goes through here: pre-rendered audio, else ``<Say>`` in the language
        (nl-NL) with the configured voice (Twilio's default voice is ``man``).

        ``<Say>`` speaks the same normalised text the audio was rendered from.
        """
        language = self.language.twilio_language
        if slow:
            say = parent.say(language=language, voice=self.voice)
            say.prosody(self.normalise(text), rate=SLOW_RATE)
            return
        url = self.audio_for(text)
        if url:
            parent.play(url)
        else:
            parent.say(self.normalise(text), language=language, voice=self.voice)

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
        """One key or a spoken answer; ``finishOnKey`` off, so ``#`` is a key like any other."""
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
        """Keys only: ``digits`` of them, or any number ending with ``#`` (numDigits unset)."""
        gather = response.gather(
            input="dtmf",
            num_digits=action.digits,
            timeout=self._timeout(pace, action.timeout),
            finish_on_key="" if action.digits else "#",
            action=self.url_for(action.then),
            method="POST",
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
