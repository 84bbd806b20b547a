"""The moment of the call: a clock for the line whose time a caller of the web phone may choose.

The web phone runs one line for every call; each call may say "it is Sunday evening" to try the
after-hours behaviour. The chosen time is set around each webhook and read by the line's clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

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
