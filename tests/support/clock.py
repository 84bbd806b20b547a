"""The moment a test's line lives in: a clock the test sets, and the two moments most use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ivr.core.hours import AMSTERDAM

# A Monday morning: both services are open.
OPEN_TIME = datetime(2026, 11, 23, 10, 0, tzinfo=AMSTERDAM)
# A Sunday evening: both services are closed.
CLOSED_TIME = datetime(2026, 11, 22, 22, 0, tzinfo=AMSTERDAM)


@dataclass
class Clock:
    now: datetime = OPEN_TIME

    def __call__(self) -> datetime:
        return self.now
