"""The one emulation of Twilio's side of a call: ``ivr simulate`` and the web phone both use it.

It posts the line's real webhooks in process, signed with ``RequestValidator`` exactly as
Twilio signs them, and follows the TwiML as Twilio would:

- ``<Say>``/``<Play>`` are heard in order (also inside a ``<Gather>``);
- a ``<Gather>`` waits: ``numDigits`` keys, or keys up to its ``finishOnKey``, go to its
  action as ``Digits`` (a key that does not finish the Gather is a key like any other, so ``#``
  is a wrong key where ``finishOnKey`` is empty); when the timeout runs out, keys already typed
  are sent, and without any Twilio goes on with the next verb (the ``<Redirect>``);
- a ``<Dial>`` fetches its ``<Number url>`` on a second call leg (the whisper the answering
  person hears), and the chosen ``DialCallStatus`` goes to its action; "completed" is the
  answering person pressing 1 on the whisper, "declined" the whisper left unanswered;
- ``<Redirect>`` is followed at once, ``<Hangup>`` or the end of the document ends the call.

Between two webhooks the whole call is a ``CallState``: plain data that can travel in a request.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime

from flask import Flask
from twilio.request_validator import RequestValidator

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
    Heard,
    Progress,
    Wait,
    new_sid,
)
from ivr.web.tools.stand_ins import Moment

BASE = "http://localhost"
MAX_REDIRECTS = 20  # a line that redirects in a loop is a bug: stop rather than spin


class CallDriver:
    """Plays Twilio for ``app``: signs with ``token``; ``moment`` sets the time the line sees."""

    def __init__(
        self,
        app: Flask,
        token: str,
        moment: Moment | None = None,
        sms_sent: list[str] | None = None,
    ) -> None:
        self.client = app.test_client()
        self.lines = app.extensions["ivr_lines"]  # the line of each content version
        self.validator = RequestValidator(token)
        # Twilio signs the URL it calls: the line's public one when it has one.
        self.base = app.extensions["ivr_signature"].settings.public_base_url or BASE
        self.moment = moment
        self.sms_sent = sms_sent  # where the phone's fake REST client notes each text
        self.hops = 0  # webhooks posted (the whisper leg's included)

    # -- the caller's moves -----------------------------------------------------------------

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

    # -- Twilio's side ------------------------------------------------------------------------

    def _waiting(self, state: CallState, kind: str) -> Wait:
        if state.wait is None or state.wait.kind != kind:
            raise CallStateError(f"the call is not waiting for a {kind}")
        return state.wait

    def _submit(self, state: CallState, digits: str) -> Progress:
        wait = self._waiting(state, "gather")
        if digits:
            return self._post_then(state, wait.action, {Param.DIGITS: digits})
        progress = Progress()
        rest = ET.fromstring(state.rest or "<Response/>")
        self._run(replace(state, wait=None, rest="", digits=""), list(rest), progress)
        return progress

    def _post_then(self, state: CallState, url: str, extra: dict[str, str]) -> Progress:
        return self._go(replace(state, wait=None, rest="", digits=""), url, extra)

    def _go(self, state: CallState, url: str, extra: dict[str, str]) -> Progress:
        progress = Progress()
        doc = self._post(state, url, extra, progress)
        self._run(state, list(doc), progress)
        return progress

    def _post(
        self, state: CallState, url: str, extra: dict[str, str], progress: Progress | None = None
    ) -> ET.Element:
        data = {
            Param.CALL_SID: state.sid,
            "AccountSid": "AC" + "0" * 32,
            Param.FROM: state.caller,
            "To": state.called,
            Param.CALL_STATUS: "in-progress",
            "ApiVersion": "2010-04-01",
            "Direction": "inbound",
            **extra,
        }
        signature = self.validator.compute_signature(self.base + url, data)
        before = len(self.sms_sent) if self.sms_sent is not None else 0
        moment = datetime.fromisoformat(state.moment) if state.moment else None
        with Moment.at(self.moment, moment):
            reply = self.client.post(
                url, data=data, base_url=BASE, headers={"X-Twilio-Signature": signature}
            )
        self.hops += 1
        body = reply.get_data(as_text=True)
        if reply.status_code != 200:
            raise CallStateError(f"{url} answered HTTP {reply.status_code}")
        if progress is not None:
            progress.twiml.append((url, body))
            if self.sms_sent is not None:
                progress.sms.extend(self.sms_sent[before:])
        return ET.fromstring(body)

    def _leg(self, wait: Wait) -> dict[str, str]:
        """The answering person's call leg: Twilio's outbound-dial parameters."""
        return {Param.FROM: LINE_NUMBER, "To": wait.number, "Direction": "outbound-dial"}

    def _run(self, state: CallState, verbs: list[ET.Element], progress: Progress) -> None:
        redirects = 0
        while True:
            for i, verb in enumerate(verbs):
                if verb.tag in ("Say", "Play"):
                    progress.heard.append(self._heard(verb))
                elif verb.tag == "Gather":
                    progress.heard.extend(self._heard(inner) for inner in verb)
                    rest = "".join(ET.tostring(v, encoding="unicode") for v in verbs[i + 1 :])
                    wait = self._gather(verb)
                    progress.state = replace(state, wait=wait, rest=f"<Response>{rest}</Response>")
                    return
                elif verb.tag == "Dial":
                    progress.state = replace(state, wait=self._dial(state, verb, progress))
                    return
                elif verb.tag == "Redirect":
                    redirects += 1
                    if redirects > MAX_REDIRECTS:
                        raise CallStateError("the line keeps redirecting")
                    verbs = list(self._post(state, verb.text or "", {}, progress))
                    break
                elif verb.tag == "Hangup":
                    progress.ended = "hangup"
                    return
                else:
                    raise CallStateError(f"the call driver does not know <{verb.tag}>")
            else:
                progress.ended = "end"
                return

    def _heard(self, verb: ET.Element) -> Heard:
        if verb.tag == "Play":
            url = verb.text or ""
            return Heard("play", self.client.application.extensions["ivr_audio"].text_of(url), url)
        return Heard("say", "".join(verb.itertext()), language=verb.get("language", ""))

    def _gather(self, verb: ET.Element) -> Wait:
        digits = verb.get("numDigits")
        return Wait(
            "gather",
            verb.get("action") or "",
            int(verb.get("timeout") or "5"),
            num_digits=int(digits) if digits else None,
            finish_on_key=verb.get("finishOnKey", "#"),
            speech="speech" in (verb.get("input") or "dtmf"),
        )

    def _dial(self, state: CallState, verb: ET.Element, progress: Progress) -> Wait:
        action = verb.get("action") or ""
        number = verb.find("Number")
        service = dict(p.split("=", 1) for p in action.partition("?")[2].split("&") if "=" in p)
        wait = Wait(
            "dial",
            action,
            int(verb.get("timeout") or "30"),
            service=service.get("s", ""),
            number=(number.text or "") if number is not None else (verb.text or ""),
        )
        url = number.get("url") if number is not None else None
        if not url:
            return wait
        leg = replace(state, sid=new_sid())
        whisper = self._post(leg, url, self._leg(wait), progress)
        texts = tuple(self._heard(v).text for v in whisper.iter() if v.tag in ("Say", "Play"))
        gather = whisper.find("Gather")
        accept = gather.get("action", "") if gather is not None else ""
        return replace(wait, whisper=texts, whisper_url=url, accept_url=accept, leg_sid=leg.sid)
