"""Histogram bucketing, and the inlined copies of it on the edges' hot path."""

from __future__ import annotations

from bisect import bisect_left

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proxy.telemetry import BYTES_BUCKETS, LATENCY_BUCKETS_MS, Histogram, HttpEdge, Workload

ENVOY_DEFAULTS = (0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
                  300000, 600000, 1800000, 3600000)  # fmt: skip


def test_bounds_are_envoys_defaults() -> None:
    assert LATENCY_BUCKETS_MS == ENVOY_DEFAULTS
    assert BYTES_BUCKETS == ENVOY_DEFAULTS


@pytest.mark.parametrize(
    ("value", "bucket"),
    [(0.0, 0), (0.5, 0), (0.6, 1), (1, 1), (1.0001, 2), (3600000, 18), (3600000.5, 19), (1e12, 19)],
)
def test_a_value_lands_in_the_first_bucket_whose_bound_it_does_not_exceed(
    value: float, bucket: int
) -> None:
    hist = Histogram(LATENCY_BUCKETS_MS)
    hist.observe(value)
    assert hist.counts[bucket] == 1
    assert sum(hist.counts) == 1
    assert len(hist.counts) == len(LATENCY_BUCKETS_MS) + 1


def test_sum_and_count_accumulate() -> None:
    hist = Histogram()
    for value in (1.5, 2.5, 100.0):
        hist.observe(value)
    assert (hist.sum, hist.count) == (104.0, 3)


def test_merge_adds_and_copy_is_independent() -> None:
    first, second = Histogram(), Histogram()
    first.observe(3)
    second.observe(3)
    second.observe(70)
    clone = first.copy()
    clone.merge(second)
    assert clone.counts[2] == 2 and clone.counts[6] == 1
    assert (clone.sum, clone.count) == (76.0, 3)
    assert (first.counts[2], first.count) == (1, 1)


def test_merge_refuses_different_bounds() -> None:
    with pytest.raises(ValueError, match="bounds"):
        Histogram((1.0, 2.0)).merge(Histogram((1.0, 3.0)))


def _reference_bucket(value: float) -> int:
    return bisect_left(ENVOY_DEFAULTS, value)


@given(
    duration=st.floats(min_value=0, max_value=1e7, allow_nan=False),
    request_bytes=st.one_of(st.integers(0, 20_000), st.integers(0, 10**9)),
    response_bytes=st.one_of(st.sampled_from(ENVOY_DEFAULTS).map(int), st.integers(0, 10**9)),
)
def test_record_buckets_like_a_plain_bisect(
    duration: float, request_bytes: int, response_bytes: int
) -> None:
    edge = HttpEdge("source", Workload("a"), Workload("b"))
    edge.record(200, "-", duration, request_bytes, response_bytes)
    (counter,) = edge.responses()
    assert counter.duration.counts.index(1) == _reference_bucket(duration)
    assert counter.request_bytes.counts.index(1) == _reference_bucket(request_bytes)
    assert counter.response_bytes.counts.index(1) == _reference_bucket(response_bytes)


def test_record_buckets_every_small_size_like_a_plain_bisect() -> None:
    # The size table covers small sizes exhaustively; walk it and a margin past its end.
    edge = HttpEdge("source", Workload("a"), Workload("b"))
    for size in range(12_000):
        edge.record(200, "-", 1.0, size, 0)
    (counter,) = edge.responses()
    expected = [0] * (len(ENVOY_DEFAULTS) + 1)
    for size in range(12_000):
        expected[_reference_bucket(size)] += 1
    assert counter.request_bytes.counts == expected
