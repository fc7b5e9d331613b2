"""The users' own view: success rate and percentiles per window and for the whole run."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from meshgui.demo.loadgen import LoadGenerator, LoadStats, percentile


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_percentile_is_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) == 0.0


@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=300), st.floats(0.1, 100))
def test_a_percentile_is_one_of_the_values_and_ordered(values: list[float], q: float) -> None:
    ordered = sorted(values)
    assert percentile(ordered, q) in ordered
    assert percentile(ordered, q) <= percentile(ordered, 100)


def test_windows_report_what_happened_since_the_last_one() -> None:
    clock = FakeClock()
    stats = LoadStats(clock)
    for ms in (10.0, 20.0, 30.0):
        stats.record("ok", ms)
    stats.record("502", 40.0)
    clock.now += 2.0
    first = stats.take_window()
    assert (first.requests, first.ok, first.rate) == (4, 3, 2.0)
    assert first.success_percent == 75.0 and first.failures == {"502": 1}
    assert (first.p50_ms, first.p99_ms) == (20.0, 40.0)
    stats.record("timeout", 5000.0)
    clock.now += 1.0
    second = stats.take_window()
    assert (second.requests, second.ok, second.failures) == (1, 0, {"timeout": 1})
    whole = stats.whole_run()
    assert (whole.requests, whole.ok, whole.seconds) == (5, 3, 3.0)
    assert whole.failures == {"502": 1, "timeout": 1}


def test_an_empty_window_is_all_well_not_a_division_by_zero() -> None:
    report = LoadStats(FakeClock()).take_window()
    assert report.requests == 0 and report.success_percent == 100.0 and report.rate == 0.0


def test_users_mostly_view_products_and_sometimes_use_their_cart() -> None:
    users = LoadGenerator("http://x", 50.0, random.Random(5), LoadStats(FakeClock()))
    kinds: Counter[str] = Counter()
    for _ in range(2000):
        method, path = users.next_request()
        kinds[f"{method} {path.split('/')[1]}"] += 1
    assert set(kinds) == {"GET product", "GET cart", "POST cart"}
    assert kinds["GET product"] > 0.6 * 2000
    assert kinds["POST cart"] > 0.05 * 2000
