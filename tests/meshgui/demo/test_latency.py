"""Service times: a distribution with a body and a tail, scaled by a latency-spike."""

from __future__ import annotations

import random
import statistics

from meshgui.demo.latency import SERVICE_LATENCY, LatencyModel, latency_for
from meshgui.demo.plan import SHOP


def samples(model: LatencyModel, factor: float = 1.0, n: int = 4000) -> list[float]:
    rng = random.Random(42)
    return sorted(model.sample(rng, factor) * 1000 for _ in range(n))


def test_samples_centre_on_the_median_and_have_a_tail() -> None:
    ms = samples(LatencyModel(median_ms=10.0, sigma=0.5))
    assert 9.0 < statistics.median(ms) < 11.0
    p99 = ms[int(len(ms) * 0.99)]
    assert 2.5 < p99 / statistics.median(ms) < 4.0  # sigma 0.5: p99 is ~3.2x the median
    assert len(set(ms)) > len(ms) * 0.99  # not a constant


def test_a_factor_scales_service_time_and_the_cap() -> None:
    model = LatencyModel(median_ms=10.0, sigma=0.5, max_ms=12.0)
    assert max(samples(model)) <= 12.0
    slow = samples(model, factor=10.0)
    assert max(slow) <= 120.0 and statistics.median(slow) > 90.0


def test_every_service_of_the_shop_has_its_own_model() -> None:
    assert {spec.name for spec in SHOP} == set(SERVICE_LATENCY)
    assert latency_for("nobody").median_ms > 0
