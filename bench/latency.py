"""Percentiles of response times, and the line a bench script prints for them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True)
class Throughput:
    """What one load run achieved: completed requests, failures, duration, latencies in ms."""

    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @classmethod
    def from_samples(cls, latencies_s: Sequence[float], errors: int, seconds: float) -> Throughput:
        ms = [t * 1000 for t in latencies_s]
        return cls(
            len(ms), errors, seconds, percentile(ms, 50), percentile(ms, 99), max(ms, default=0.0)
        )

    def line(self, name: str) -> str:
        return (
            f"{name:<6} {self.per_second:8.0f} req/s  p50 {self.p50_ms:6.2f} ms  "
            f"p99 {self.p99_ms:6.2f} ms  ({self.requests} requests, {self.errors} errors)"
        )
