"""Call state that travels in the webhook URLs, so any process can answer any webhook.

A state is the route to answer next, the answers so far (``p``: ``j``/``n`` per question), the
silence and wrong-key counts at the current prompt, and a stage (menu stage or service id).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from ivr.core.errors import CallStateError

ROUTES = (
    "answer",
    "menu",
    "transfer",
    "dialed",
    "recover",
    "callback",  # yes/no replies about a callback request (stage: offer, own, typed)
    "number",  # the number a caller types for a callback
    "whisper",  # the agent's leg of a transfer, before the caller is put through
    "accept",  # the agent's key after the whisper
    "sms",  # yes/no to the advice by text message
)
MAX_TRIES = 3  # the third silence or wrong key ends the attempts at a prompt
_PATH = re.compile(r"[jn]{0,24}")
_STAGE = re.compile(r"[a-z_]{0,32}")


@dataclass(frozen=True)
class Step:
    route: str
    path: str = ""
    noinput: int = 0
    nomatch: int = 0
    stage: str = ""

    def query(self) -> dict[str, str]:
        q = {"p": self.path}
        if self.noinput:
            q["ni"] = str(self.noinput)
        if self.nomatch:
            q["nm"] = str(self.nomatch)
        if self.stage:
            q["s"] = self.stage
        return q

    def missed(self, silent: bool) -> Step | None:
        """This prompt again after a silence or a wrong key, counted; None after the last try."""
        tries = (self.noinput if silent else self.nomatch) + 1
        if tries >= MAX_TRIES:
            return None
        return replace(self, noinput=tries) if silent else replace(self, nomatch=tries)

    def miss_prompt(self, silent: bool) -> str:
        """The prompt key for a counted miss: ``noinput_1``, ``nomatch_2`` …"""
        return f"noinput_{self.noinput}" if silent else f"nomatch_{self.nomatch}"

    def fresh(self) -> Step:
        """The same prompt with the counts reset (after an answer that was understood)."""
        return replace(self, noinput=0, nomatch=0)


def _count(args: Mapping[str, str], key: str) -> int:
    raw = args.get(key, "0") or "0"
    if not raw.isdigit() or int(raw) >= MAX_TRIES:
        raise CallStateError(f"{key}={raw!r} is not a try count below {MAX_TRIES}")
    return int(raw)


def parse_step(route: str, args: Mapping[str, str]) -> Step:
    """Rebuild a step from a webhook's route and query; raises CallStateError on garbage."""
    if route not in ROUTES:
        raise CallStateError(f"unknown route {route!r}")
    path, stage = args.get("p", ""), args.get("s", "")
    if not _PATH.fullmatch(path):
        raise CallStateError(f"p={path!r} is not a path of j/n answers")
    if not _STAGE.fullmatch(stage):
        raise CallStateError(f"s={stage!r} is not a stage name")
    return Step(route, path, _count(args, "ni"), _count(args, "nm"), stage)
