"""``ivr simulate``: a call in the terminal, through the real webhooks (signed as Twilio signs).

Twilio's side of the call is the web phone's call driver (``ivr.web.tools.call_driver``). Each
Gather waits for a line: keys (1, 2, 3, 9, *, 0, #; pressed one by one), words ("ja hoor"), or an
empty line for silence (the Gather's timeout). A Dial shows the whisper (when it has one) and
asks how the transfer went (completed, declined, busy, no-answer, failed).

Like the web phone, the simulated line keeps its callback requests in a throw-away database of
its own (``TryLine``: never the helpdesk's worklist, no e-mail about them) unless
``real_worklist`` (``ivr simulate --real-worklist``); its first line says which. Text messages
are shown, never sent.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable
from typing import TextIO

from ivr.core.twilio_words import DialStatus
from ivr.web.app import create_app
from ivr.web.line import Clock, utc_now
from ivr.web.tools.call_driver import CallDriver
from ivr.web.tools.emulated_call import CALLERS, OUTCOMES, CallState, Progress
from ivr.web.tools.phone.try_line import TryLine
from ivr.web.tools.stand_ins import KeptSms

THROW_AWAY = (
    "Terugbelverzoeken gaan naar een tijdelijke database, niet naar de werklijst "
    "(--real-worklist: wel)."
)
REAL_WORKLIST = "Terugbelverzoeken gaan naar de echte werklijst (de database van de instellingen)."


def run_simulation(
    stdin: TextIO,
    echo: Callable[[str], None],
    env: dict[str, str] | None = None,
    clock: Clock = utc_now,
    caller: str = CALLERS["anoniem"],
    real_worklist: bool = False,
) -> int:
    """Play one call; returns the number of webhooks it took. ``real_worklist``: callback
    requests go to the line's own database (its worklist), not to a throw-away one."""
    env = dict(os.environ if env is None else env)
    # A simulation runs on this machine: development mode. Its webhooks are signed and checked
    # like every real call's: with a throw-away token if need be.
    env.setdefault("IVR_DEV_MODE", "1")
    echo(REAL_WORKLIST if real_worklist else THROW_AWAY)
    driver = _real_driver(env, clock) if real_worklist else _throw_away_driver(env, clock)
    progress = driver.start(caller)
    while True:
        _show(progress, echo)
        state = progress.state
        if state is None:
            echo("☎️  opgehangen" if progress.ended == "hangup" else "☎️  einde van het gesprek")
            return driver.hops
        answer = _read(stdin, echo, state)
        if answer is None:
            return driver.hops
        progress = _move(driver, state, answer)


def _real_driver(env: dict[str, str], clock: Clock) -> CallDriver:
    """The line on its own database (the instance's SQLite file unless configured)."""
    if not env.get("TWILIO_AUTH_TOKEN"):
        env["TWILIO_AUTH_TOKEN"] = secrets.token_hex(16)
    sms = KeptSms()  # the line's text messages are shown, never sent
    app = create_app(env, clock=clock, sms_http=sms, simulated=True)  # no alerts, no Sentry
    return CallDriver(app, env["TWILIO_AUTH_TOKEN"], sms_sent=sms.texts)


def _throw_away_driver(env: dict[str, str], clock: Clock) -> CallDriver:
    """The web phone's line: a throw-away database, no mail, text messages kept and shown."""
    line = TryLine(env, clock, lambda e, c, h: create_app(e, c, h, simulated=True))
    with line.driver() as driver:  # one caller: the lock guards nothing here
        return driver


def _move(driver: CallDriver, state: CallState, answer: str) -> Progress:
    if state.wait is not None and state.wait.kind == "dial":
        return driver.dial_outcome(state, answer or DialStatus.NO_ANSWER)
    if not answer:
        return driver.silence(state)
    if not re.fullmatch(r"[0-9*#]+", answer):
        return driver.speak(state, answer)
    progress = Progress(state=state)
    for key in answer:  # one key at a time, as a phone sends them
        if progress.state is None or progress.state.wait is None:
            break
        if progress.state.wait.kind != "gather":
            break
        progress = _joined(progress, driver.press(progress.state, key))
    return progress


def _joined(before: Progress, after: Progress) -> Progress:
    after.heard[:0] = before.heard
    return after


def _show(progress: Progress, echo: Callable[[str], None]) -> None:
    for heard in progress.heard:
        echo(f"🔊 {heard.text or heard.url}")
    for text in progress.sms:
        echo(f"✉️  sms (niet verstuurd): {text}")
    wait = progress.state.wait if progress.state else None
    if wait is not None and wait.kind == "dial":
        echo(f"📞 doorverbinden met {wait.number}")
        for text in wait.whisper:
            echo(f"👂 {text}")


def _read(stdin: TextIO, echo: Callable[[str], None], state: CallState) -> str | None:
    dial = state.wait is not None and state.wait.kind == "dial"
    echo(f"uitkomst ({'/'.join(OUTCOMES)})> " if dial else "toets> ")
    line = stdin.readline()
    return None if line == "" else line.strip()
