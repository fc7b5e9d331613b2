"""Per-request cost of the policy layers, in ns per call.

A plain script, not a test: `python tests/perf/bench_policy.py`. Prints one line per figure and,
last, one JSON line with all of them.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable

from proxy.policy.balancer import PeakEwmaBalancer, RoundRobinBalancer
from proxy.policy.breaker import CircuitBreaker
from proxy.policy.endpoint import EndpointState
from proxy.policy.retry import RetryBudget

ENDPOINTS = 10
CALLS = 200_000
REPEATS = 5


def ns_per_call(loop: Callable[[int], None]) -> float:
    """Best of REPEATS runs: the minimum is the least disturbed by the rest of the machine."""
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter_ns()
        loop(CALLS)
        best = min(best, (time.perf_counter_ns() - start) / CALLS)
    return best


def make_endpoints(now: float) -> tuple[EndpointState, ...]:
    rng = random.Random(7)
    endpoints = tuple(
        EndpointState(f"ep{i}", "127.0.0.1", 9000 + i, now=now, weight=rng.randint(1, 5))
        for i in range(ENDPOINTS)
    )
    for ep in endpoints:
        # Realistic, unequal estimates and load so the cost comparison really runs.
        ep.rtt_estimate_s = rng.uniform(0.001, 0.010)
        ep.pending = rng.randint(0, 8)
    return endpoints


def main() -> None:
    now = time.monotonic()
    endpoints = make_endpoints(now)
    p2c = PeakEwmaBalancer(endpoints, random.Random(1))
    round_robin = RoundRobinBalancer(endpoints)
    budget = RetryBudget()
    breaker = CircuitBreaker(max_requests=1_000_000, max_pending=1_000_000)
    failed = endpoints[3]

    def loop_empty(n: int) -> None:
        for _ in range(n):
            pass

    def loop_p2c(n: int) -> None:
        pick = p2c.pick
        for _ in range(n):
            pick(now)

    def loop_p2c_retry(n: int) -> None:
        pick = p2c.pick
        for _ in range(n):
            pick(now, failed)

    def loop_round_robin(n: int) -> None:
        pick = round_robin.pick
        for _ in range(n):
            pick(now)

    def loop_budget(n: int) -> None:
        record, withdraw = budget.record_request, budget.try_withdraw
        for _ in range(n):
            record()
            withdraw()

    def loop_endpoint(n: int) -> None:
        ep = endpoints[0]
        start, end = ep.on_request_start, ep.on_request_end
        for _ in range(n):
            start()
            end(0.002, now, False)

    def loop_breaker(n: int) -> None:
        acquire, release = breaker.try_acquire, breaker.release
        for _ in range(n):
            acquire()
            release()

    overhead = ns_per_call(loop_empty)
    figures = {
        "p2c_pick_ns": ns_per_call(loop_p2c) - overhead,
        "p2c_pick_with_exclude_ns": ns_per_call(loop_p2c_retry) - overhead,
        "round_robin_pick_ns": ns_per_call(loop_round_robin) - overhead,
        "budget_record_and_withdraw_ns": ns_per_call(loop_budget) - overhead,
        "endpoint_start_and_end_ns": ns_per_call(loop_endpoint) - overhead,
        "breaker_acquire_and_release_ns": ns_per_call(loop_breaker) - overhead,
    }
    for name, value in figures.items():
        print(f"{name:34} {value:8.1f} ns  ({ENDPOINTS} endpoints, best of {REPEATS})")
    print(json.dumps({name: round(value, 1) for name, value in figures.items()}))


if __name__ == "__main__":
    main()
