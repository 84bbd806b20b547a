"""Call state that travels in the webhook URLs, so any process can answer any webhook.

A state is the route to answer next (``ivr.core.routes``), the answers so far (``p``: ``j``/``n``
per question), the silence and wrong-key counts at the current prompt (``ni``, ``nm``), and
``s``: the stage of a menu or sub-dialogue, or the service of a transfer (which one the route's
row says). The URLs look as they always have, so calls in progress during a deploy go on.
``step_url`` writes a step's URL, with the call's language (``l``, absent for Dutch) and the
content version it started with (``v``) after the state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from ivr.core.errors import CallStateError
from ivr.core.language import SOURCE
from ivr.core.routes import ROUTES, Route, Stage

VOICE_PREFIX = "/voice"  # the path of the webhooks
LANGUAGE_ARG = "l"  # the query parameter of a call's language: absent for Dutch
VERSION_ARG = "v"  # the query parameter of a call's content version (ivr.web.content_lines)
MAX_TRIES = 3  # the third silence or wrong key ends the attempts at a prompt
_PATH = re.compile(r"[jn]{0,24}")
# A service id: it names its settings (<ID>_HOURS …) and travels in URLs (the validator checks).
SERVICE_ID = re.compile(r"[a-z][a-z_]{0,31}")
_COUNTS = {str(n): n for n in range(MAX_TRIES)}
_ROUTES = {route.value: route for route in Route}
_STAGE_NAMES = {stage.value: stage for stage in Stage}


@dataclass(frozen=True)
class Step:
    route: Route
    path: str = ""
    noinput: int = 0
    nomatch: int = 0
    stage: Stage | None = None
    service: str = ""
    repeats: int = 0  # ``r``: the caller's repeats so far in the call (9, or asked again), max 2

    def query(self) -> dict[str, str]:
        q = {"p": self.path}
        if self.noinput:
            q["ni"] = str(self.noinput)
        if self.nomatch:
            q["nm"] = str(self.nomatch)
        if self.stage or self.service:
            q["s"] = self.stage or self.service
        if self.repeats:
            q["r"] = str(self.repeats)
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
    raw = args.get(key) or "0"
    if raw not in _COUNTS:  # ASCII digits only: "²".isdigit() is True
        raise CallStateError(f"{key}={raw!r} is not a try count below {MAX_TRIES}")
    return _COUNTS[raw]


def parse_step(route: str, args: Mapping[str, str]) -> Step:
    """Rebuild a step from a webhook's route and query; raises CallStateError on garbage."""
    found = _ROUTES.get(route)
    if found is None:
        raise CallStateError(f"unknown route {route!r}")
    path, s = args.get("p", ""), args.get("s", "")
    if not _PATH.fullmatch(path):
        raise CallStateError(f"p={path!r} is not a path of j/n answers")
    noinput, nomatch = _count(args, "ni"), _count(args, "nm")
    repeats = _count(args, "r")  # absent in URLs from before the adaptive pace: 0
    row = ROUTES[found]
    if row.service:
        if not SERVICE_ID.fullmatch(s):
            raise CallStateError(f"s={s!r} is not a service id")
        return Step(found, path, noinput, nomatch, service=s, repeats=repeats)
    if not s and not row.stages:
        return Step(found, path, noinput, nomatch, repeats=repeats)
    if s not in row.stages:
        raise CallStateError(f"s={s!r} is not a stage of route {found.value!r}")
    return Step(found, path, noinput, nomatch, stage=_STAGE_NAMES[s], repeats=repeats)


def step_url(step: Step, language: str = SOURCE, version: int | None = None) -> str:
    """The webhook URL that carries a step (path-absolute: Twilio resolves it on our host), and
    the call's language when it is not Dutch (last: Dutch URLs stay as they always were), and
    the content version the call started with (``ivr.web.content_lines``)."""
    query = step.query()
    if language != SOURCE:
        query[LANGUAGE_ARG] = language
    if version is not None:
        query[VERSION_ARG] = str(version)
    return f"{VOICE_PREFIX}/{step.route}?{urlencode(query)}"


def url_maker(language: str, version: int | None = None) -> Callable[[Step], str]:
    """The URLs of one language's writer: every one carries the language (and the version)."""
    return lambda step: step_url(step, language, version)
