"""The one place that turns a turn of the call into TwiML (with the ``twilio`` package)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import assert_never

from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from ivr.config.voices import DEFAULT_VOICE
from ivr.core.actions import Ask, Connect, Continue, Hangup, Keys, Say, Turn
from ivr.core.call_state import Step
from ivr.core.normalise import normalise

LANGUAGE = "nl-NL"
SPEECH_TIMEOUT = 2  # seconds of silence that end a spoken answer
# Words the speech recogniser should expect at every question (Twilio ``hints``).
HINTS = "ja, nee, ja hoor, nee dank u, weet ik niet, herhaal, terug, medewerker"

UrlFor = Callable[[Step], str]
AudioFor = Callable[[str], str | None]
Played = list[tuple[str, str]]


def _no_audio(text: str) -> str | None:
    return None


@dataclass(frozen=True)
class Rendered:
    """A turn's TwiML, and the audio it plays (text, URL): checked before the TwiML is reused."""

    xml: str
    played: tuple[tuple[str, str], ...] = ()


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
        voice: str = DEFAULT_VOICE,
    ) -> None:
        self.url_for = url_for
        self.dialling = dialling
        self.gather_timeout = gather_timeout
        self.audio_for = audio_for
        self.voice = voice  # a Dutch voice, checked at start (ivr.config.voices)

    def speak(self, parent: VoiceResponse | Gather, text: str, played: Played) -> None:
        """All Dutch speech goes through here: pre-rendered audio, else ``<Say>`` in nl-NL
        with the configured Dutch voice (Twilio's default voice is ``man``).

        ``<Say>`` speaks the same normalised text the audio was rendered from.
        """
        url = self.audio_for(text)
        if url:
            parent.play(url)
            played.append((text, url))
        else:
            parent.say(normalise(text), language=LANGUAGE, voice=self.voice)

    def still_current(self, rendered: Rendered) -> bool:
        """Whether kept TwiML may be reused: every file it plays is still there to play."""
        return all(self.audio_for(text) == url for text, url in rendered.played)

    def render(self, turn: Turn) -> Rendered:
        response = VoiceResponse()
        played: Played = []
        for action in turn:
            match action:
                case Say(text):
                    self.speak(response, text, played)
                case Ask():
                    self._ask(response, action, played)
                case Keys():
                    self._keys(response, action, played)
                case Connect():
                    response.append(self._dial(action))
                case Continue(then):
                    response.redirect(self.url_for(then), method="POST")
                case Hangup():
                    response.hangup()
                case _:
                    assert_never(action)
        return Rendered(str(response), tuple(played))

    def _ask(self, response: VoiceResponse, action: Ask, played: Played) -> None:
        """One key or a spoken answer; ``finishOnKey`` off, so ``#`` is a key like any other."""
        gather = response.gather(
            input="dtmf speech",
            language=LANGUAGE,
            hints=HINTS,
            num_digits=1,
            timeout=self.gather_timeout,
            # a number, not "auto": Twilio warns (13335) that "auto" does not work with every
            # speech model
            speech_timeout=SPEECH_TIMEOUT,
            finish_on_key="",
            action=self.url_for(action.then),
            method="POST",
        )
        for text in action.texts:
            self.speak(gather, text, played)

    def _keys(self, response: VoiceResponse, action: Keys, played: Played) -> None:
        """Keys only: ``digits`` of them, or any number ending with ``#`` (numDigits unset)."""
        gather = response.gather(
            input="dtmf",
            num_digits=action.digits,
            timeout=action.timeout or self.gather_timeout,
            finish_on_key="" if action.digits else "#",
            action=self.url_for(action.then),
            method="POST",
        )
        for text in action.texts:
            self.speak(gather, text, played)

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
