from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proxy.policy.clock import FakeClock
from proxy.policy.retry import RetryBudget


def withdraw_all(budget: RetryBudget, limit: int = 10_000) -> int:
    taken = 0
    while taken < limit and budget.try_withdraw():
        taken += 1
    return taken


def test_an_idle_budget_allows_min_per_second_times_ttl_retries() -> None:
    budget = RetryBudget(ratio=0.2, min_per_second=10.0, ttl=10.0, clock=FakeClock())
    assert withdraw_all(budget) == 100
    assert budget.retries_allowed == 100
    assert budget.retries_refused == 1


def test_requests_add_ratio_retries_each() -> None:
    budget = RetryBudget(ratio=0.2, min_per_second=0.0, ttl=10.0, clock=FakeClock())
    for _ in range(1_000):
        budget.record_request()
    assert budget.available() == 200
    assert withdraw_all(budget) == 200


def test_deposits_expire_after_ttl() -> None:
    clock = FakeClock()
    budget = RetryBudget(ratio=0.5, min_per_second=0.0, ttl=10.0, clock=clock)
    for _ in range(10):
        budget.record_request()
    clock.advance(9.5)
    assert budget.available() == 5
    clock.advance(1.0)
    assert budget.available() == 0
    assert not budget.try_withdraw()


def test_withdrawals_expire_after_ttl_so_the_reserve_refills() -> None:
    clock = FakeClock()
    budget = RetryBudget(ratio=0.0, min_per_second=1.0, ttl=10.0, clock=clock)
    assert withdraw_all(budget) == 10
    clock.advance(5.0)
    assert budget.available() == 0
    clock.advance(5.5)
    assert budget.available() == 10


def test_a_long_silence_clears_the_window() -> None:
    clock = FakeClock()
    budget = RetryBudget(ratio=1.0, min_per_second=0.0, ttl=10.0, clock=clock)
    for _ in range(7):
        budget.record_request()
    clock.advance(1_000.0)
    assert budget.available() == 0
    budget.record_request()
    assert budget.available() == 1


def test_invalid_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        RetryBudget(ttl=0.0, clock=FakeClock())
    with pytest.raises(ValueError):
        RetryBudget(ratio=-0.1, clock=FakeClock())


Step = tuple[str, float]
steps = st.lists(
    st.one_of(
        st.tuples(st.just("advance"), st.sampled_from([0.25, 0.5, 1.0, 3.0, 9.75, 12.0])),
        st.tuples(st.just("request"), st.just(0.0)),
        st.tuples(st.just("retry"), st.just(0.0)),
    ),
    max_size=200,
)


@given(steps)
def test_matches_a_reference_window_of_whole_one_second_slots(script: list[Step]) -> None:
    """Reference: retries allowed = 2 + 0.5 * requests - retries, over the last 10 slots."""
    clock = FakeClock()
    budget = RetryBudget(ratio=0.5, min_per_second=0.2, ttl=10.0, clock=clock)
    events: list[tuple[int, float]] = []  # (slot, tokens in retries)
    for action, seconds in script:
        if action == "advance":
            clock.advance(seconds)
            continue
        slot = int(clock())
        in_window = sum(tokens for at, tokens in events if at > slot - 10)
        if action == "request":
            budget.record_request()
            events.append((slot, 0.5))
        else:
            expected = 2 + in_window >= 1
            assert budget.try_withdraw() is expected
            if expected:
                events.append((slot, -1.0))
