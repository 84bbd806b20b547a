"""What a tried call uses instead of the real world (the web phone, ``ivr simulate``).

``Moment``: the line's clock, showing the moment the tester chose for the call ("Sunday
evening" tries the after-hours behaviour); it is set around each webhook. ``KeptSms``: the HTTP
layer of Twilio's REST client that keeps each text message instead of sending it: the line
sends exactly as on a real call, gets the answer Twilio gives ("queued"), and the text is shown
(``ivr.outbound.sms.NotSent``, which logs the text instead, is the line's own stand-in in
development mode without SMS settings).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from ivr.outbound.sms import NotSent
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


class KeptSms(NotSent):
    """Keeps the body of every message the line sends (``texts``) to show it; nothing leaves."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def keep(self, text: str, to: str) -> None:
        self.texts.append(text)  # shown on the web phone's page, to logged-in staff only
