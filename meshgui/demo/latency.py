"""How long a demo service takes to do its own work: a lognormal distribution per service, so
latency graphs have a body and a tail as real services do, never a flat line."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LatencyModel:
    """Service time in seconds: lognormal around `median_ms`, `sigma` wide, capped at `max_ms`.

    With sigma 0.5 the p99 is about 3.2x the median; the cap keeps a freak sample from looking
    like an outage.
    """

    median_ms: float
    sigma: float = 0.5
    max_ms: float = 2000.0

    def sample(self, rng: random.Random, factor: float = 1.0) -> float:
        """One service time in seconds; `factor` scales it (a latency-spike scenario)."""
        ms = rng.lognormvariate(math.log(self.median_ms), self.sigma) * factor
        return min(ms, self.max_ms * factor) / 1000.0


SERVICE_LATENCY: dict[str, LatencyModel] = {
    "web": LatencyModel(median_ms=4.0, sigma=0.4),
    "cart": LatencyModel(median_ms=3.0, sigma=0.5),
    "inventory": LatencyModel(median_ms=5.0, sigma=0.6),
    "inventory-db": LatencyModel(median_ms=0.8, sigma=0.7, max_ms=200.0),
    "recommendations": LatencyModel(median_ms=18.0, sigma=0.5),
    "recommendations-lite": LatencyModel(median_ms=2.0, sigma=0.3),
    "product-tags": LatencyModel(median_ms=3.0, sigma=0.5),
}
"""Own work per request, dependencies excluded: recommendations is the heavy one."""


def latency_for(service: str) -> LatencyModel:
    """The model of `service`; a modest default for a service not in the table."""
    return SERVICE_LATENCY.get(service, LatencyModel(median_ms=3.0))
