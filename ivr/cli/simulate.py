"""``ivr simulate``: a call in the terminal, through the real webhooks (signed when a token is set).

Each Gather waits for a line: a key (1, 2, 3, 9, *, 0), words ("ja hoor"), or an empty line for
silence. A Dial asks which outcome to pretend (completed, no-answer, busy, failed).

As on Twilio: each simulated call has its own CallSid; a Gather with ``numDigits`` takes only that
many keys (``12`` at a question is ``1``); ``#`` is a key like any other unless the Gather ends
on it (``finishOnKey``), and then it is dropped. ``caller`` is the ``From`` number (default
withheld) and ``clock`` the moment of the call.
"""

from __future__ import annotations

import os
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import TextIO

from twilio.request_validator import RequestValidator

from ivr.web.app import create_app
from ivr.web.line import Clock, utc_now

TO = "+3120000000"
WITHHELD = "anonymous"
BASE = "http://localhost"


def run_simulation(
    stdin: TextIO,
    echo: Callable[[str], None],
    env: dict[str, str] | None = None,
    clock: Clock = utc_now,
    caller: str = WITHHELD,
) -> int:
    """Play one call; returns the number of webhooks it took."""
    env = dict(os.environ if env is None else env)
    # A simulation runs on this machine: development mode (the instance's SQLite file); with a
    # token its requests are still signed and checked.
    env.setdefault("IVR_DEV_MODE", "1")
    app = create_app(env, clock=clock)
    client = app.test_client()
    token = env.get("TWILIO_AUTH_TOKEN")
    validator = RequestValidator(token) if token else None
    call = {"CallSid": f"CA{uuid.uuid4().hex}", "From": caller, "To": TO}

    def post(url: str, extra: dict[str, str]) -> ET.Element:
        data = {**call, **extra}
        headers = {}
        if validator:
            headers["X-Twilio-Signature"] = validator.compute_signature(BASE + url, data)
        reply = client.post(url, data=data, headers=headers, base_url=BASE)
        return ET.fromstring(reply.data)

    doc, hops = post("/voice", {"CallStatus": "ringing"}), 1
    while True:
        next_url, extra = None, {}
        for verb in doc:
            if verb.tag in ("Say", "Play"):
                echo(f"🔊 {''.join(verb.itertext())}")
            elif verb.tag == "Gather":
                for inner in verb:
                    echo(f"🔊 {''.join(inner.itertext())}")
                answer = _read(stdin, echo, "toets> ")
                if answer is None:
                    return hops
                if answer:
                    if re.fullmatch(r"[0-9*#]+", answer):
                        next_url, extra = verb.get("action"), {"Digits": _keys(verb, answer)}
                    else:
                        next_url, extra = verb.get("action"), {"SpeechResult": answer}
                    break
            elif verb.tag == "Dial":
                echo(f"📞 doorverbinden met {verb.findtext('Number')}")
                outcome = _read(stdin, echo, "uitkomst (completed/no-answer/busy/failed)> ")
                next_url = verb.get("action")
                extra = {"DialCallStatus": outcome or "no-answer"}
                break
            elif verb.tag == "Redirect":
                next_url = verb.text
                break
            elif verb.tag == "Hangup":
                echo("☎️  opgehangen")
                return hops
        if next_url is None:
            echo("☎️  einde van het gesprek")
            return hops
        doc, hops = post(next_url, extra), hops + 1


def _keys(gather: ET.Element, typed: str) -> str:
    """The ``Digits`` Twilio would send for keys typed at this Gather."""
    finish = gather.get("finishOnKey", "#")
    if finish and finish in typed:
        typed = typed[: typed.index(finish)]  # input ends at the finish key, which is dropped
    digits = gather.get("numDigits")
    return typed[: int(digits)] if digits else typed


def _read(stdin: TextIO, echo: Callable[[str], None], prompt: str) -> str | None:
    echo(prompt)
    line = stdin.readline()
    return None if line == "" else line.strip()
