"""Recordings of a recorded language for the tests, made in tmp_path only (never in the checkout),
and the turns of a whole call in it.

espeak-ng's Arabic voice says the digits, which the line plays a phone number from; every other
piece is a copy of the recording of zero: the line names and serves files, it never listens.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from ivr.core.actions import Ask, Connect, Continue, Keys, Turn
from ivr.core.call_state import Route, Step
from ivr.core.callback_request import CallbackRequest, Caller
from ivr.core.flow import CallFlow
from ivr.core.recorded import Piece
from ivr.core.webhook import Webhook, answer

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng; .ci/run does this)",
)
DIGITS = frozenset(f"numbers.{n}" for n in range(10))


def espeak_arabic(text: str) -> bytes:
    """``text`` said by espeak-ng's Arabic voice, as WAV."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "said.wav"
        subprocess.run(["espeak-ng", "-v", "ar", "-w", str(out), text], check=True, timeout=30)
        return out.read_bytes()


def record(folder: Path, pieces: Iterable[Piece], made: dict[str, bytes] | None = None) -> None:
    """A recording of each piece under its name (``<id>.<hash>.wav``): ``made``'s sound for
    its id, else the same few bytes (a file the tests only name)."""
    folder.mkdir(parents=True, exist_ok=True)
    for piece in pieces:
        sound = (made or {}).get(piece.id, b"RIFF test")
        (folder / f"{piece.stem}.wav").write_bytes(sound)


def record_with_espeak(folder: Path, pieces: tuple[Piece, ...]) -> None:
    """Every piece: the digits by espeak-ng, the rest a copy of zero's recording."""
    digits = {piece.id: espeak_arabic(piece.text) for piece in pieces if piece.id in DIGITS}
    zero = digits["numbers.0"]
    record(folder, pieces, {piece.id: digits.get(piece.id, zero) for piece in pieces})


class WorkingWorld:
    """Callback storage and SMS that work, for a whole call through the flow; the number a
    caller typed is 020 123 4567."""

    def hold(self, request: CallbackRequest) -> None:
        pass

    def held(self, call_key: str) -> CallbackRequest | None:
        return CallbackRequest(call_key, "+31201234567", "-", "-", "-", datetime(2026, 1, 5))

    def add(self, request: CallbackRequest) -> int:
        return 1

    def claim_sms(self, call_key: str, now: datetime) -> bool:
        return True

    def release_sms(self, call_key: str) -> None:
        pass

    def send(self, to: str, body: str, call_key: str) -> str:
        return "SM0"


# What a caller does at a step: keys (each reply, a wrong key, silence), a typed number, or how
# a transfer ended. The helpdesk's own leg (the whisper) is not the caller's.
_KEYS = tuple({"digits": key} for key in ("1", "2", "3", "9", "8", "*", "0", "7", ""))
_TYPED = tuple({"digits": digits} for digits in ("", "0201234567", "0612345678"))
_ANSWERS: dict[Route, tuple[dict[str, str], ...]] = {
    Route.NUMBER: _TYPED,
    Route.MOBILE: _TYPED,
    Route.DIALED: tuple({"dial_status": s} for s in ("completed", "no-answer", "busy", "failed")),
    Route.WHISPER: (),
    Route.ACCEPT: (),
}


def caller_turns(flow: CallFlow, caller: Caller, now: datetime) -> set[Turn]:
    """The distinct turns a caller hears in a call through ``flow``: every step each answer
    leads to, each (route, node, stage) once (a second miss or repeat is not followed again)."""
    heard = {flow.welcome(), flow.apology(), flow.fallback()}
    todo = [step for turn in heard for step in _next(turn)]
    seen: set[Step] = set()
    while todo:
        step = todo.pop()
        key = replace(step, noinput=0, nomatch=0, repeats=0)
        if key in seen:
            continue
        seen.add(key)
        for answer_with in _ANSWERS.get(step.route, _KEYS):
            webhook = Webhook(step, caller, now, language=flow.say.language, **answer_with)
            turn = answer(flow, webhook)
            if turn not in heard:
                heard.add(turn)
                todo.extend(_next(turn))
    return heard


def _next(turn: Turn) -> list[Step]:
    return [a.then for a in turn if isinstance(a, Ask | Keys | Continue | Connect)]
