"""Percentiles from bucketed latency counts, for many histograms at once.

The interpolation is Prometheus' `histogram_quantile`, so the app and a Grafana panel over the
sidecars' `/metrics` agree: linear within the bucket that holds the rank, 0 as the lower edge of
the first bucket, and the largest finite bound when the rank falls into the +Inf bucket.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from meshgui.model.types import FloatArray


def histogram_quantiles(
    bounds: Sequence[float], counts: FloatArray, quantiles: Sequence[float]
) -> FloatArray:
    """Quantiles of each row of `counts`, shaped (len(quantiles), rows); NaN for empty rows.

    `counts` holds per-bucket (not cumulative) counts, `len(bounds) + 1` columns, the last one
    for values above every bound. Negative counts (never expected) are read as zero.
    """
    rows = counts.shape[0]
    out = np.full((len(quantiles), rows), np.nan)
    if rows == 0 or not bounds:
        return out
    upper = np.asarray(bounds, dtype=np.float64)
    lower = np.concatenate(([0.0], upper[:-1]))
    cumulative = np.cumsum(np.maximum(counts, 0.0), axis=1)
    total = cumulative[:, -1]
    has_data = total > 0.0
    finite = cumulative[:, :-1]
    below = np.concatenate((np.zeros((rows, 1)), finite[:, :-1]), axis=1)
    row_index = np.arange(rows)
    last_finite = len(bounds)
    for i, q in enumerate(quantiles):
        rank = q * total
        # First finite bucket whose cumulative count reaches the rank (cumulative is sorted).
        bucket = np.count_nonzero(finite < rank[:, None], axis=1)
        in_inf = bucket == last_finite
        b = np.minimum(bucket, last_finite - 1)
        start = lower[b]
        below_b = below[row_index, b]
        in_bucket = finite[row_index, b] - below_b
        fraction = np.divide(rank - below_b, in_bucket, out=np.zeros(rows), where=in_bucket > 0.0)
        value = start + (upper[b] - start) * fraction
        value = np.where(in_inf, upper[-1], value)
        out[i] = np.where(has_data, value, np.nan)
    return out


def histogram_quantile(bounds: Sequence[float], counts: Sequence[float], q: float) -> float | None:
    """One quantile of one histogram, None when it is empty (a convenience over the array form)."""
    row = np.asarray([counts], dtype=np.float64)
    value = float(histogram_quantiles(bounds, row, (q,))[0, 0])
    return None if np.isnan(value) else value
