"""Fixed-bucket histograms for the sidecar's hot path, with Envoy's default bucket bounds.

Bounds are upper-inclusive (Prometheus `le` semantics) and `+Inf` is the implicit last bucket, so a
histogram with N bounds keeps N + 1 non-cumulative counts; rendering makes them cumulative.
"""

from __future__ import annotations

from bisect import bisect_left

# Envoy's defaults; Istio sets none of its own and uses them for durations and sizes alike.
# Floats, because bisect comparing a float against int bounds takes a slow mixed-type path.
_ENVOY_DEFAULT_BUCKETS: tuple[float, ...] = (
    0.5, 1.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0,
    30000.0, 60000.0, 300000.0, 600000.0, 1800000.0, 3600000.0,
)  # fmt: skip
LATENCY_BUCKETS_MS: tuple[float, ...] = _ENVOY_DEFAULT_BUCKETS
BYTES_BUCKETS: tuple[float, ...] = _ENVOY_DEFAULT_BUCKETS


class Histogram:
    """Counts of observations per bucket, plus their sum and count (all cumulative since start).

    `counts[i]` counts values in `(bounds[i-1], bounds[i]]`; `counts[-1]` counts values above the
    last bound. Hot-path callers may inline `observe` (the edges do); it must stay equivalent.
    """

    __slots__ = ("bounds", "count", "counts", "sum")

    def __init__(self, bounds: tuple[float, ...] = LATENCY_BUCKETS_MS) -> None:
        self.bounds = bounds
        self.counts: list[int] = [0] * (len(bounds) + 1)
        self.sum = 0.0
        self.count = 0

    def observe(self, value: float) -> None:
        """Add one observation; a value equal to a bound lands in that bound's bucket."""
        self.counts[bisect_left(self.bounds, value)] += 1
        self.sum += value
        self.count += 1

    def merge(self, other: Histogram) -> None:
        """Add `other`'s observations into this one (same bounds), e.g. to sum two instances."""
        if other.bounds != self.bounds:
            raise ValueError("cannot merge histograms with different bucket bounds")
        counts = self.counts
        for i, theirs in enumerate(other.counts):
            counts[i] += theirs
        self.sum += other.sum
        self.count += other.count

    def copy(self) -> Histogram:
        """An independent histogram with the same observations."""
        clone = Histogram(self.bounds)
        clone.counts = self.counts.copy()
        clone.sum = self.sum
        clone.count = self.count
        return clone
