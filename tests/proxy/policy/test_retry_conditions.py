from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proxy.policy.retry import RetryConditions, backoff_delay, is_idempotent


class FixedRandom(random.Random):
    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


def retried_statuses(conditions: RetryConditions) -> set[int]:
    return {code for code in range(100, 600) if conditions.for_status(code)}


def test_5xx_retries_every_server_error_and_every_missing_response() -> None:
    conditions = RetryConditions(["5xx"], [])
    assert retried_statuses(conditions) == set(range(500, 600))
    assert conditions.for_reset()
    assert conditions.for_connect_failure()


def test_gateway_error_retries_502_503_504_and_missing_responses() -> None:
    conditions = RetryConditions(["gateway-error"], [])
    assert retried_statuses(conditions) == {502, 503, 504}
    assert conditions.for_reset()
    assert conditions.for_connect_failure()


def test_connect_failure_alone_retries_nothing_else() -> None:
    conditions = RetryConditions(["connect-failure"], [])
    assert retried_statuses(conditions) == set()
    assert conditions.for_connect_failure()
    assert not conditions.for_reset()


def test_reset_covers_connect_failures_but_no_status() -> None:
    conditions = RetryConditions(["reset"], [])
    assert retried_statuses(conditions) == set()
    assert conditions.for_reset()
    assert conditions.for_connect_failure()


def test_retriable_status_codes_apply_only_when_listed_in_retry_on() -> None:
    assert retried_statuses(RetryConditions(["retriable-status-codes"], [429, 503])) == {429, 503}
    assert retried_statuses(RetryConditions(["connect-failure"], [429])) == set()


def test_retriable_4xx_means_409_and_bare_codes_count_as_istio_writes_them() -> None:
    assert retried_statuses(RetryConditions(["retriable-4xx", "503"], [])) == {409, 503}


def test_a_comma_separated_string_is_read_as_envoy_header_form() -> None:
    conditions = RetryConditions("connect-failure, Gateway-Error", [])
    assert retried_statuses(conditions) == {502, 503, 504}


def test_nothing_listed_retries_nothing() -> None:
    conditions = RetryConditions([], [503])
    assert retried_statuses(conditions) == set()
    assert not conditions.for_reset()
    assert not conditions.for_connect_failure()


@pytest.mark.parametrize(
    ("retry_on", "codes"),
    [(["5xx", "refused-strem"], []), (["999"], []), (["retriable-status-codes"], [42])],
)
def test_unknown_conditions_and_impossible_codes_are_refused(
    retry_on: list[str], codes: list[int]
) -> None:
    with pytest.raises(ValueError):
        RetryConditions(retry_on, codes)


@pytest.mark.parametrize("method", [b"GET", b"HEAD", b"OPTIONS", b"TRACE", b"PUT", b"DELETE"])
def test_rfc_9110_idempotent_methods(method: bytes) -> None:
    assert is_idempotent(method)


@pytest.mark.parametrize("method", [b"POST", b"PATCH", b"CONNECT", b"get", b""])
def test_other_methods_are_not_idempotent(method: bytes) -> None:
    assert not is_idempotent(method)


def test_backoff_ceiling_doubles_per_attempt_until_the_maximum() -> None:
    almost_one = FixedRandom(0.999999)
    ceilings = [backoff_delay(n, 0.025, 0.25, almost_one) for n in range(6)]
    assert ceilings == pytest.approx([0.025, 0.05, 0.1, 0.2, 0.25, 0.25], rel=1e-5)


def test_backoff_is_fully_jittered() -> None:
    assert backoff_delay(2, 0.025, 0.25, FixedRandom(0.5)) == pytest.approx(0.05)
    assert backoff_delay(2, 0.025, 0.25, FixedRandom(0.0)) == 0.0


@given(attempt=st.integers(0, 10_000), seed=st.integers(0, 2**32))
def test_backoff_stays_within_zero_and_the_maximum_for_any_attempt(attempt: int, seed: int) -> None:
    delay = backoff_delay(attempt, 0.025, 0.25, random.Random(seed))
    assert 0.0 <= delay <= min(0.25, 0.025 * 2.0 ** min(attempt, 64))


def test_negative_attempt_is_refused() -> None:
    with pytest.raises(ValueError):
        backoff_delay(-1, 0.025, 0.25, random.Random(0))
