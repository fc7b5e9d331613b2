from __future__ import annotations

import math

import pytest

from proxy.policy.endpoint import DEFAULT_RTT_S, EndpointState


def make(now: float = 100.0) -> EndpointState:
    return EndpointState("inventory-1", "10.0.0.7", 8080, now=now, labels={"version": "v1"})


def test_new_endpoint_starts_at_the_default_rtt_and_is_available() -> None:
    ep = make()
    assert ep.rtt_estimate(100.0) == DEFAULT_RTT_S
    assert ep.is_available(100.0)
    assert ep.labels == {"version": "v1"}
    assert ep.pool is None


def test_weight_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        EndpointState("a", "h", 1, now=0.0, weight=0)


def test_pending_counts_requests_in_flight() -> None:
    ep = make()
    ep.on_request_start()
    ep.on_request_start()
    ep.on_request_end(0.01, 100.0, failed=False)
    assert ep.pending == 1


def test_a_slower_sample_replaces_the_estimate_at_once() -> None:
    ep = make()
    ep.on_request_start()
    ep.on_request_end(0.5, 100.001, failed=False)
    assert ep.rtt_estimate_s == 0.5


def test_a_faster_sample_pulls_the_estimate_down_by_elapsed_time() -> None:
    ep = make()
    ep.on_request_start()
    ep.on_request_end(0.010, 110.0, failed=False)  # 10 s = one decay constant after creation
    decay = math.exp(-1.0)
    assert ep.rtt_estimate_s == pytest.approx(DEFAULT_RTT_S * decay + 0.010 * (1 - decay))
    assert ep.rtt_stamp == 110.0


def test_a_fast_failure_does_not_make_the_endpoint_look_faster() -> None:
    ep = make()
    ep.on_request_start()
    ep.on_request_end(0.001, 150.0, failed=True)
    assert ep.rtt_estimate_s == DEFAULT_RTT_S


def test_a_slow_failure_still_raises_the_estimate() -> None:
    ep = make()
    ep.on_request_start()
    ep.on_request_end(2.0, 101.0, failed=True)
    assert ep.rtt_estimate_s == 2.0


def test_the_estimate_decays_toward_zero_while_nothing_answers() -> None:
    ep = make()
    assert ep.rtt_estimate(120.0) == pytest.approx(DEFAULT_RTT_S * math.exp(-2.0))
    assert ep.rtt_estimate_s == DEFAULT_RTT_S  # reading does not change the stored value


def test_drained_or_ejected_endpoints_are_unavailable_until_the_ejection_ends() -> None:
    ep = make()
    ep.ejected_until = 130.0
    assert not ep.is_available(129.9)
    assert ep.is_ejected(129.9)
    assert ep.is_available(130.0)
    ep.drained = True
    assert not ep.is_available(200.0)
