"""Percentiles interpolated within buckets the way Prometheus' histogram_quantile does."""

from __future__ import annotations

import math
from bisect import bisect_left

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from meshgui.model.quantiles import histogram_quantile, histogram_quantiles

BOUNDS = (1.0, 5.0, 10.0, 25.0, 50.0, 100.0)


def counts_of(values: list[float]) -> list[int]:
    counts = [0] * (len(BOUNDS) + 1)
    for value in values:
        counts[bisect_left(BOUNDS, value)] += 1
    return counts


def test_interpolates_linearly_inside_the_bucket_that_holds_the_rank() -> None:
    counts = [0, 0, 0, 100, 0, 0, 0]  # all in (10, 25]
    assert histogram_quantile(BOUNDS, counts, 0.5) == 17.5
    assert histogram_quantile(BOUNDS, counts, 0.9) == 10.0 + 15.0 * 0.9


def test_rank_spanning_buckets_uses_the_counts_below() -> None:
    counts = [10, 30, 60, 0, 0, 0, 0]  # 10 in (0,1], 30 in (1,5], 60 in (5,10]
    # rank 50 is the 10th of 60 in (5, 10]
    assert histogram_quantile(BOUNDS, counts, 0.5) == 5.0 + 5.0 * (10 / 60)
    # The first bucket starts at 0.
    assert histogram_quantile(BOUNDS, counts, 0.05) == 0.5


def test_rank_in_the_overflow_bucket_reads_as_the_largest_bound() -> None:
    assert histogram_quantile(BOUNDS, [0, 0, 0, 0, 0, 10, 90], 0.5) == 100.0


def test_empty_histogram_has_no_percentile() -> None:
    assert histogram_quantile(BOUNDS, [0] * 7, 0.99) is None
    rows = histogram_quantiles(BOUNDS, np.zeros((3, 7)), (0.5, 0.99))
    assert rows.shape == (2, 3)
    assert np.isnan(rows).all()


def test_rows_are_independent() -> None:
    rows = np.array([[0, 0, 0, 100, 0, 0, 0], [0] * 7, [10, 30, 60, 0, 0, 0, 0]], dtype=float)
    result = histogram_quantiles(BOUNDS, rows, (0.5,))[0]
    assert result[0] == 17.5
    assert math.isnan(result[1])
    assert result[2] == histogram_quantile(BOUNDS, rows[2].tolist(), 0.5)


@given(
    st.lists(st.floats(min_value=0.01, max_value=100.0), min_size=1, max_size=300),
    st.sampled_from([0.5, 0.9, 0.99]),
)
def test_estimate_lies_within_the_bucket_of_the_true_quantile(
    values: list[float], q: float
) -> None:
    estimate = histogram_quantile(BOUNDS, counts_of(values), q)
    assert estimate is not None
    ordered = sorted(values)
    true = ordered[max(0, math.ceil(q * len(ordered)) - 1)]
    bucket = bisect_left(BOUNDS, true)
    lower = 0.0 if bucket == 0 else BOUNDS[bucket - 1]
    assert lower <= estimate <= BOUNDS[bucket]
