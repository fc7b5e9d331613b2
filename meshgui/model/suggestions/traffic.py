"""Calls counted over a stretch of time: the numbers every suggestion rule reasons with.

`TrafficStats` sums any set of reported edges (one edge, every caller of a service, one
instance); its percentiles come from the summed histogram buckets with Prometheus'
interpolation, so they agree with a Grafana panel over the sidecars' `/metrics`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from meshgui.model.suggestions.counters import (
    ERRORS,
    RECOVERIES,
    REQUESTS,
    RETRIES,
    SCALARS,
    TIMEOUTS,
)
from meshgui.model.types import FloatArray


@dataclass(frozen=True, slots=True, eq=False)
class TrafficStats:
    """Increases over `span_s` seconds (the longest any summed edge was watched in the window)."""

    bounds: tuple[float, ...]
    requests: int
    errors: int
    """Requests that failed: 5xx, no response, or an error the mesh made itself."""
    timeouts: int
    """Requests the mesh ended at the route's deadline (response flag UT)."""
    retries: int
    recoveries: int
    """Requests that failed a try and then succeeded on a retry."""
    latency: FloatArray
    """Request durations per bucket (ms)."""
    recovery: FloatArray
    """Times from a first failed try to the success, per bucket (ms)."""
    span_s: float

    @classmethod
    def empty(cls, bounds: tuple[float, ...]) -> TrafficStats:
        buckets = len(bounds) + 1
        return cls(bounds, 0, 0, 0, 0, 0, np.zeros(buckets), np.zeros(buckets), 0.0)

    @classmethod
    def from_row(cls, bounds: tuple[float, ...], row: FloatArray, span_s: float) -> TrafficStats:
        buckets = len(bounds) + 1
        return cls(
            bounds,
            requests=round(row[REQUESTS]),
            errors=round(row[ERRORS]),
            timeouts=round(row[TIMEOUTS]),
            retries=round(row[RETRIES]),
            recoveries=round(row[RECOVERIES]),
            latency=row[SCALARS : SCALARS + buckets],
            recovery=row[SCALARS + buckets :],
            span_s=span_s,
        )

    def __add__(self, other: TrafficStats) -> TrafficStats:
        return TrafficStats(
            self.bounds,
            self.requests + other.requests,
            self.errors + other.errors,
            self.timeouts + other.timeouts,
            self.retries + other.retries,
            self.recoveries + other.recoveries,
            self.latency + other.latency,
            self.recovery + other.recovery,
            max(self.span_s, other.span_s),
        )

    def as_tries(self) -> TrafficStats:
        """A caller's view of one endpoint turned into tries there: the caller counts a retry on
        the endpoint whose try failed, and the request's outcome on the endpoint of its last
        try, so tries = requests + retries and failed tries = errors + retries."""
        return TrafficStats(
            self.bounds,
            self.requests + self.retries,
            self.errors + self.retries,
            self.timeouts,
            0,
            0,
            self.latency,
            self.recovery,
            self.span_s,
        )

    @property
    def error_rate(self) -> float:
        return self.errors / self.requests if self.requests else 0.0

    @property
    def timeout_rate(self) -> float:
        return self.timeouts / self.requests if self.requests else 0.0

    @property
    def latency_count(self) -> int:
        return round(float(self.latency.sum()))

    def latency_ms(self, q: float) -> float | None:
        """The `q` quantile of request durations, None without any."""
        return bucket_quantile(self.bounds, self.latency.tolist(), q)

    def recovery_ms(self, q: float) -> float | None:
        """The `q` quantile of recovery times, None without any."""
        return bucket_quantile(self.bounds, self.recovery.tolist(), q)


def bucket_quantile(bounds: Sequence[float], counts: Sequence[float], q: float) -> float | None:
    """`meshgui.model.quantiles.histogram_quantile` for one histogram in plain Python: the rules
    ask for thousands of single quantiles, where numpy's per-call overhead dominates (~20x)."""
    total = sum(max(count, 0.0) for count in counts)
    if total <= 0.0 or not bounds:
        return None
    rank = q * total
    below = 0.0
    for i, upper in enumerate(bounds):
        count = max(counts[i], 0.0)
        if below + count >= rank:
            lower = bounds[i - 1] if i else 0.0
            fraction = (rank - below) / count if count > 0.0 else 0.0
            return lower + (upper - lower) * fraction
        below += count
    return bounds[-1]  # the rank is in the +Inf bucket
