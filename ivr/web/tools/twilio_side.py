"""Twilio's side of an emulated call (``TwilioSide``): the line's real webhooks posted in
process, signed with ``RequestValidator`` exactly as Twilio signs them, and the TwiML followed as
Twilio would:

- ``<Say>``/``<Play>`` are heard in order (also inside a ``<Gather>``);
- a ``<Gather>`` waits: ``numDigits`` keys, or keys up to its ``finishOnKey``, go to its
  action as ``Digits`` (a key that does not finish the Gather is a key like any other, so ``#``
  is a wrong key where ``finishOnKey`` is empty); when the timeout runs out, keys already typed
  are sent, and without any Twilio goes on with the next verb (the ``<Redirect>``);
- a ``<Dial>`` fetches its ``<Number url>`` on a second call leg (the whisper the answering
  person hears), and the chosen ``DialCallStatus`` goes to its action; "completed" is the
  answering person pressing 1 on the whisper, "declined" the whisper left unanswered;
- ``<Redirect>`` is followed at once, ``<Hangup>`` or the end of the document ends the call.

``ivr.web.tools.call_driver.CallDriver`` adds the caller's moves (ring, press, speak, stay
silent, the transfer's outcome).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime

from flask import Flask
from twilio.request_validator import RequestValidator

from ivr.core.errors import CallStateError
from ivr.core.twilio_words import Param
from ivr.web.tools.emulated_call import LINE_NUMBER, CallState, Heard, Progress, Wait, new_sid
from ivr.web.tools.stand_ins import Moment

BASE = "http://localhost"
MAX_REDIRECTS = 20  # a line that redirects in a loop is a bug: stop rather than spin


class TwilioSide:
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
