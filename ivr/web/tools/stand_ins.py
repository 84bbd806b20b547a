"""What a tried call uses instead of the real world (the web phone, ``ivr simulate``).

``Moment``: the line's clock, showing the moment the tester chose for the call ("Sunday
evening" tries the after-hours behaviour); it is set around each webhook. ``KeptSms``: the HTTP
layer of Twilio's REST client that keeps each text message instead of sending it: the line
sends exactly as on a real call, gets the answer Twilio gives ("queued"), and the text is shown.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from twilio.http import HttpClient
from twilio.http.response import Response

from ivr.web.line import Clock, utc_now

_CHOSEN: ContextVar[datetime | None] = ContextVar("ivr_call_moment", default=None)


class Moment:
    """The line's clock: the moment chosen for the current webhook, else ``fallback``."""

    def __init__(self, fallback: Clock = utc_now) -> None:
        self.fallback = fallback

    def __call__(self) -> datetime:
        return _CHOSEN.get() or self.fallback()

    @staticmethod
    @contextmanager
    def at(moment: Moment | None, when: datetime | None) -> Iterator[None]:
        """While a webhook runs: ``moment`` shows ``when`` (nothing changes without either)."""
        if moment is None or when is None:
            yield
            return
        token = _CHOSEN.set(when)
        try:
            yield
        finally:
            _CHOSEN.reset(token)


class KeptSms(HttpClient):
    """Keeps the body of every message the line sends (``texts``); nothing leaves."""

    def __init__(self) -> None:
        super().__init__(logger=None, is_async=False)  # type: ignore[arg-type]
        self.texts: list[str] = []

    def request(self, method: str, uri: str, **kwargs: Any) -> Response:  # type: ignore[override]
        data = kwargs.get("data") or {}
        self.texts.append(str(data.get("Body", "")))
        sid = f"SM{len(self.texts):032d}"
        return Response(201, json.dumps({"sid": sid, "status": "queued", "to": data.get("To")}))
