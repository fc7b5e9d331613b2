from __future__ import annotations

import pytest

from proxy.policy.breaker import CircuitBreaker


def test_admits_up_to_max_requests_and_counts_the_overflow() -> None:
    breaker = CircuitBreaker(max_requests=2, max_pending=1)
    assert [breaker.try_acquire() for _ in range(4)] == [True, True, False, False]
    assert breaker.request_overflows == 2
    breaker.release()
    assert breaker.try_acquire()
    assert breaker.active == 2


def test_pending_has_its_own_limit_and_counter() -> None:
    breaker = CircuitBreaker(max_requests=10, max_pending=1)
    assert breaker.try_enter_pending()
    assert not breaker.try_enter_pending()
    breaker.leave_pending()
    assert breaker.try_enter_pending()
    assert breaker.pending_overflows == 1
    assert breaker.request_overflows == 0


def test_zero_pending_refuses_every_queued_request() -> None:
    breaker = CircuitBreaker(max_requests=10, max_pending=0)
    assert not breaker.try_enter_pending()


def test_unmatched_release_is_a_bug_reported_where_it_happens() -> None:
    breaker = CircuitBreaker(max_requests=1, max_pending=1)
    with pytest.raises(RuntimeError):
        breaker.release()
    with pytest.raises(RuntimeError):
        breaker.leave_pending()
    assert breaker.try_acquire()
    assert not breaker.try_acquire()


def test_invalid_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        CircuitBreaker(max_requests=0, max_pending=1)
