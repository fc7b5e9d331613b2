from __future__ import annotations

import random

import pytest

from proxy.policy.balancer import PeakEwmaBalancer
from proxy.policy.endpoint import NOT_EJECTED, EndpointState
from proxy.policy.outlier import OutlierDetector


def endpoints(count: int) -> tuple[EndpointState, ...]:
    return tuple(EndpointState(f"ep{i}", "10.0.0.1", 8000 + i, now=0.0) for i in range(count))


def fail(detector: OutlierDetector, ep: EndpointState, times: int, now: float) -> list[bool]:
    return [detector.on_failure(ep, now) for _ in range(times)]


def test_the_fifth_consecutive_failure_ejects_for_the_base_time() -> None:
    eps = endpoints(2)
    detector = OutlierDetector(eps)
    assert fail(detector, eps[0], 5, now=100.0) == [False] * 4 + [True]
    assert eps[0].ejected_until == 130.0
    assert eps[0].ejection_count == 1
    assert not eps[0].is_available(129.0)


def test_a_success_breaks_the_streak() -> None:
    eps = endpoints(2)
    detector = OutlierDetector(eps)
    fail(detector, eps[0], 4, now=0.0)
    detector.on_success(eps[0])
    assert fail(detector, eps[0], 4, now=0.0) == [False] * 4
    assert eps[0].is_available(0.0)


def test_each_ejection_lasts_longer_up_to_the_maximum() -> None:
    eps = endpoints(2)
    detector = OutlierDetector(eps, consecutive_failures=1, max_ejection_time=75.0)
    durations = []
    now = 0.0
    for _ in range(4):
        assert detector.on_failure(eps[0], now)
        durations.append(eps[0].ejected_until - now)
        now = eps[0].ejected_until
        detector.readmit_due(now)
    assert durations == [30.0, 60.0, 75.0, 75.0]


def test_the_default_cap_is_300_s_or_the_base_time_when_longer() -> None:
    eps = endpoints(2)
    detector = OutlierDetector(eps, consecutive_failures=1, base_ejection_time=400.0)
    assert detector.on_failure(eps[0], 0.0)
    assert eps[0].ejected_until == 400.0
    assert OutlierDetector(eps).max_ejection_time == 300.0


def test_failures_while_ejected_do_not_eject_again() -> None:
    eps = endpoints(2)
    detector = OutlierDetector(eps, consecutive_failures=1)
    assert detector.on_failure(eps[0], 0.0)
    assert not detector.on_failure(eps[0], 1.0)
    assert eps[0].ejection_count == 1
    assert eps[0].ejected_until == 30.0


def test_no_more_than_max_ejection_percent_are_ejected() -> None:
    eps = endpoints(20)
    detector = OutlierDetector(eps, consecutive_failures=1, max_ejection_percent=10)
    assert [detector.on_failure(ep, 0.0) for ep in eps[:3]] == [True, True, False]
    assert detector.overflowed_ejections == 1


def test_one_endpoint_may_always_be_ejected_when_the_percent_is_above_zero() -> None:
    eps = endpoints(3)
    detector = OutlierDetector(eps, consecutive_failures=1, max_ejection_percent=10)
    assert [detector.on_failure(ep, 0.0) for ep in eps] == [True, False, False]


def test_zero_percent_never_ejects() -> None:
    eps = endpoints(10)
    detector = OutlierDetector(eps, consecutive_failures=1, max_ejection_percent=0)
    assert not detector.on_failure(eps[0], 0.0)


@pytest.mark.parametrize("drain_other", [True, False])
def test_the_last_available_endpoint_is_never_ejected(drain_other: bool) -> None:
    eps = endpoints(2 if drain_other else 1)
    if drain_other:
        eps[1].drained = True
    detector = OutlierDetector(eps, consecutive_failures=1, max_ejection_percent=100)
    assert not detector.on_failure(eps[0], 0.0)
    assert eps[0].is_available(0.0)


def test_a_disabled_detector_counts_failures_but_never_ejects() -> None:
    eps = endpoints(2)
    detector = OutlierDetector(eps, enabled=False)
    assert fail(detector, eps[0], 10, now=0.0) == [False] * 10
    assert eps[0].consecutive_failures == 10


def test_readmit_due_returns_each_ended_ejection_once_and_restarts_the_streak() -> None:
    eps = endpoints(10)
    detector = OutlierDetector(eps, consecutive_failures=2, max_ejection_percent=50)
    fail(detector, eps[0], 2, now=0.0)
    fail(detector, eps[1], 2, now=10.0)
    assert detector.readmit_due(29.0) == []
    assert detector.readmit_due(30.0) == [eps[0]]
    assert detector.readmit_due(31.0) == []
    assert eps[0].ejected_until == NOT_EJECTED
    assert eps[0].consecutive_failures == 0
    assert eps[1].consecutive_failures == 2
    assert detector.readmit_due(40.0) == [eps[1]]


def test_balancers_skip_an_ejected_endpoint_until_its_time_is_up() -> None:
    eps = endpoints(2)
    detector = OutlierDetector(eps, consecutive_failures=1, max_ejection_percent=50)
    balancer = PeakEwmaBalancer(eps, random.Random(4))
    detector.on_failure(eps[0], 0.0)
    assert {balancer.pick(29.9) for _ in range(100)} == {eps[1]}
    assert eps[0] in {balancer.pick(30.0) for _ in range(100)}


def test_invalid_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        OutlierDetector(endpoints(1), consecutive_failures=0)
    with pytest.raises(ValueError):
        OutlierDetector(endpoints(1), max_ejection_percent=101)
