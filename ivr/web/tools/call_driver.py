"""The one emulation of Twilio's side of a call: ``ivr simulate`` and the web phone both use it.

``CallDriver`` makes the caller's moves (ring the line, press a key, speak, stay silent, the
transfer's outcome) and ``ivr.web.tools.twilio_side.TwilioSide``, which it extends, does what
Twilio does with them: the signed webhooks, the TwiML followed.

Between two webhooks the whole call is a ``CallState``: plain data that can travel in a request.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime

from ivr.core.call_state import VERSION_ARG, Step, step_url
from ivr.core.errors import CallStateError
from ivr.core.language import SOURCE
from ivr.core.routes import Route
from ivr.core.twilio_words import DialStatus, Param
from ivr.web.tools.emulated_call import (
    DECLINED,
    LINE_NUMBER,
    OUTCOMES,
    CallState,
    Progress,
    new_sid,
)
from ivr.web.tools.twilio_side import TwilioSide


class CallDriver(TwilioSide):
    """The caller's moves in a call to ``app``'s line; ``TwilioSide`` (made with the app, the
    token it signs with and the moment the line sees) answers them as Twilio would."""

    def start(
        self,
        caller: str,
        moment: datetime | None = None,
        path: str = "",
        called: str = LINE_NUMBER,
        language: str = SOURCE,
        version: int | None = None,
    ) -> Progress:
        """Ring the line on ``called`` (a number may be bound to a language); with ``path`` (j/n
        answers) the call starts where that answer lands, in ``language``; with ``version``, a
        content version's line answers (a draft's: the editor's preview), else the newest."""
        state = CallState(new_sid(), caller, moment.isoformat() if moment else "", called)
        if not path:
            start = "/voice" if version is None else f"/voice?{VERSION_ARG}={version}"
            return self._go(state, start, {Param.CALL_STATUS: "ringing"})
        key = {"j": "1", "n": "2"}.get(path[-1], "")
        if not key or any(c not in "jn" for c in path):
            raise CallStateError(f"p={path!r} is not a path of j/n answers")
        if version is None:  # the newest version's line, as a call from the welcome gets
            version = self.lines.newest_in_urls()
        url = step_url(Step(Route.ANSWER, path[:-1]), language, version)
        return self._go(state, url, {Param.DIGITS: key})

    def press(self, state: CallState, key: str) -> Progress:
        """One key at a Gather: sent when it finishes the Gather, else kept for the next."""
        wait = self._waiting(state, "gather")
        if key not in "0123456789*#" or len(key) != 1:
            raise CallStateError(f"{key!r} is not a key of a phone")
        if wait.finish_on_key and key == wait.finish_on_key:
            return self._submit(state, state.digits)
        digits = state.digits + key
        if wait.num_digits is not None and len(digits) >= wait.num_digits:
            return self._submit(state, digits)
        return Progress(state=replace(state, digits=digits))

    def speak(self, state: CallState, words: str) -> Progress:
        """A spoken answer at a Gather that listens (Twilio's SpeechResult)."""
        wait = self._waiting(state, "gather")
        if not wait.speech:
            raise CallStateError("this Gather listens for keys only")
        return self._post_then(state, wait.action, {Param.SPEECH: words, "Confidence": "0.9"})

    def silence(self, state: CallState) -> Progress:
        """The Gather's timeout ran out: typed keys are sent, else the next verb runs."""
        self._waiting(state, "gather")
        return self._submit(state, state.digits)

    def dial_outcome(self, state: CallState, outcome: str) -> Progress:
        """How the transfer went: one of OUTCOMES, posted to the Dial's action."""
        wait = self._waiting(state, "dial")
        if outcome not in OUTCOMES:
            raise CallStateError(f"{outcome!r} is not a dial outcome ({', '.join(OUTCOMES)})")
        progress = Progress()
        status, bridged = outcome, "false"
        if outcome in (DialStatus.COMPLETED, DECLINED):
            status = DialStatus.COMPLETED
            if outcome == DialStatus.COMPLETED and wait.accept_url:
                answering = replace(state, sid=wait.leg_sid)
                leg = self._post(answering, wait.accept_url, {Param.DIGITS: "1", **self._leg(wait)})
                bridged = "true" if len(leg) == 0 else "false"
                progress.twiml.append((wait.accept_url, ET.tostring(leg, encoding="unicode")))
            elif outcome == DialStatus.COMPLETED:
                bridged = "true"
        extra = {Param.DIAL_STATUS: status, Param.DIAL_BRIDGED: bridged, "DialCallSid": new_sid()}
        if status == DialStatus.COMPLETED:
            extra["DialCallDuration"] = "60" if bridged == "true" else "5"
        done = self._go(replace(state, wait=None, rest=""), wait.action, extra)
        done.twiml[:0] = progress.twiml
        return done
