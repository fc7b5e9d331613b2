from __future__ import annotations

import heapq
import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proxy.policy.balancer import PeakEwmaBalancer
from proxy.policy.endpoint import EndpointState


def endpoints(*weights: int) -> tuple[EndpointState, ...]:
    return tuple(
        EndpointState(f"ep{i}", "127.0.0.1", 9000 + i, now=0.0, weight=w)
        for i, w in enumerate(weights)
    )


def pick_counts(balancer: PeakEwmaBalancer, picks: int, now: float = 0.0) -> Counter[str]:
    counts: Counter[str] = Counter()
    for _ in range(picks):
        ep = balancer.pick(now)
        assert ep is not None
        counts[ep.name] += 1
    return counts


def simulate_load(
    balancer: PeakEwmaBalancer, latency_s: dict[str, float], interval_s: float, requests: int
) -> Counter[str]:
    """Open-loop arrivals every `interval_s`, each answered after its endpoint's latency."""
    in_flight: list[tuple[float, int, EndpointState]] = []
    counts: Counter[str] = Counter()
    for n in range(requests):
        now = n * interval_s
        while in_flight and in_flight[0][0] <= now:
            done_at, _, done = heapq.heappop(in_flight)
            done.on_request_end(latency_s[done.name], done_at, failed=False)
        ep = balancer.pick(now)
        assert ep is not None
        ep.on_request_start()
        heapq.heappush(in_flight, (now + latency_s[ep.name], n, ep))
        counts[ep.name] += 1
    return counts


def test_weights_split_90_10_within_two_points_at_equal_latency() -> None:
    balancer = PeakEwmaBalancer(endpoints(90, 10), random.Random(42))
    counts = pick_counts(balancer, 10_000)
    assert counts["ep0"] / 10_000 == pytest.approx(0.90, abs=0.02)


def test_weights_split_90_10_within_two_points_under_load() -> None:
    balancer = PeakEwmaBalancer(endpoints(90, 10), random.Random(42))
    # ~100 requests in flight: in-flight counts, not ties, decide most picks here.
    counts = simulate_load(balancer, {"ep0": 0.01, "ep1": 0.01}, 0.0001, 20_000)
    assert counts["ep0"] / 20_000 == pytest.approx(0.90, abs=0.02)


def test_equal_weights_share_evenly_under_load() -> None:
    balancer = PeakEwmaBalancer(endpoints(1, 1, 1), random.Random(3))
    counts = simulate_load(balancer, {"ep0": 0.01, "ep1": 0.01, "ep2": 0.01}, 0.0001, 15_000)
    assert all(c / 15_000 == pytest.approx(1 / 3, abs=0.02) for c in counts.values())


def test_a_ten_times_slower_endpoint_gets_little_traffic() -> None:
    balancer = PeakEwmaBalancer(endpoints(1, 1), random.Random(5))
    counts = simulate_load(balancer, {"ep0": 0.01, "ep1": 0.1}, 0.001, 20_000)
    assert counts["ep1"] / 20_000 < 0.05


def test_the_endpoint_with_fewer_requests_in_flight_wins_at_equal_latency() -> None:
    eps = endpoints(1, 1)
    eps[0].pending = 5
    balancer = PeakEwmaBalancer(eps, random.Random(1))
    assert pick_counts(balancer, 100) == Counter({"ep1": 100})


def test_an_endpoint_that_looked_slow_is_tried_again_once_its_estimate_has_decayed() -> None:
    eps = endpoints(1, 1)
    eps[1].on_request_start()
    eps[1].on_request_end(3.0, 0.0, failed=False)  # one 3 s stall
    balancer = PeakEwmaBalancer(eps, random.Random(1))
    assert pick_counts(balancer, 50, now=1.0)["ep1"] == 0
    # ep0 has just answered (30 ms); ep1's 3 s has gone unanswered for 60 s: 3 s * e^-6 = 7 ms.
    eps[0].rtt_stamp = 60.0
    assert pick_counts(balancer, 50, now=60.0)["ep1"] == 50


def test_unavailable_endpoints_are_never_picked() -> None:
    eps = endpoints(5, 5, 5, 5)
    eps[0].drained = True
    eps[2].ejected_until = 10.0
    balancer = PeakEwmaBalancer(eps, random.Random(7))
    counts = pick_counts(balancer, 2_000, now=5.0)
    assert set(counts) == {"ep1", "ep3"}
    assert counts["ep1"] / 2_000 == pytest.approx(0.5, abs=0.05)


def test_weights_still_hold_among_the_few_left_available() -> None:
    eps = endpoints(*([1] * 17), 30, 10, 1)
    for ep in eps[:17]:
        ep.drained = True
    balancer = PeakEwmaBalancer(eps, random.Random(11))
    counts = pick_counts(balancer, 10_000)
    assert counts["ep17"] / 10_000 == pytest.approx(30 / 41, abs=0.02)
    assert counts["ep18"] / 10_000 == pytest.approx(10 / 41, abs=0.02)


def test_the_failed_endpoint_is_avoided_while_another_is_available() -> None:
    eps = endpoints(99, 1)
    balancer = PeakEwmaBalancer(eps, random.Random(2))
    assert all(balancer.pick(0.0, exclude=eps[0]) is eps[1] for _ in range(200))


def test_the_failed_endpoint_is_used_when_it_is_the_only_one_available() -> None:
    eps = endpoints(1, 1)
    eps[1].drained = True
    balancer = PeakEwmaBalancer(eps, random.Random(2))
    assert balancer.pick(0.0, exclude=eps[0]) is eps[0]


def test_nothing_available_gives_none() -> None:
    eps = endpoints(1, 1)
    for ep in eps:
        ep.ejected_until = 30.0
    assert PeakEwmaBalancer(eps, random.Random(1)).pick(0.0, exclude=eps[0]) is None
    assert PeakEwmaBalancer((), random.Random(1)).pick(0.0) is None


def test_a_single_endpoint_is_always_picked() -> None:
    eps = endpoints(3)
    assert pick_counts(PeakEwmaBalancer(eps, random.Random(1)), 20) == Counter({"ep0": 20})


@given(
    weights=st.lists(st.integers(1, 50), min_size=1, max_size=12),
    unavailable=st.lists(st.booleans(), min_size=12, max_size=12),
    exclude_index=st.integers(-1, 11),
    seed=st.integers(0, 2**32),
)
def test_picks_an_available_endpoint_and_avoids_the_excluded_one_when_it_can(
    weights: list[int], unavailable: list[bool], exclude_index: int, seed: int
) -> None:
    eps = endpoints(*weights)
    for ep, down in zip(eps, unavailable, strict=False):
        ep.drained = down
    exclude = eps[exclude_index] if 0 <= exclude_index < len(eps) else None
    available = [ep for ep in eps if not ep.drained]
    preferred = [ep for ep in available if ep is not exclude]
    balancer = PeakEwmaBalancer(eps, random.Random(seed))
    for _ in range(5):
        picked = balancer.pick(0.0, exclude)
        if preferred:
            assert picked in preferred
        else:
            assert picked is (exclude if exclude in available else None)
