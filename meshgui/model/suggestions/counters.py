"""One sidecar's HTTP counters as the suggestion rules need them: kept over a sliding window at a
coarse step, monotonic across sidecar restarts.

Each reported HTTP edge is a row of `COLUMNS` numbers: requests, failed requests, mesh timeouts,
retries, recoveries, then the latency histogram's buckets, then the recovery-time histogram's.
A sample (all rows at one time) is kept every `step_s` at most; the newest one is replaced until
the step has passed, so memory is bounded by `window_s / step_s + 2` samples per sidecar.

A restarted sidecar starts counting from zero. Instead of dropping the window's history, the
row's last raw values become an offset added to everything it reports afterwards, so the series
stays monotonic and the calls before and after the restart both count.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from meshgui.model.types import FloatArray
from proxy.admin.models import HttpEdge

REQUESTS, ERRORS, TIMEOUTS, RETRIES, RECOVERIES = range(5)
SCALARS = 5
_NO_FLAGS = ("-", "")
_TIMEOUT_FLAG = "UT"
"""Response flag of a request the mesh itself ended because its route's deadline passed."""


@dataclass(frozen=True, slots=True)
class RowKey:
    """One reported HTTP edge: who reported it, from which caller to which callee instance."""

    reporter: str
    source_service: str
    source_instance: str | None
    destination_service: str
    destination_instance: str | None
    destination_version: str | None


def row_width(bounds: tuple[float, ...]) -> int:
    """How many numbers a row holds with latency histograms of `bounds`."""
    return SCALARS + 2 * (len(bounds) + 1)


def row_values(edge: HttpEdge, bounds: tuple[float, ...]) -> FloatArray:
    """The row of `edge`: scalars, then latency buckets, then recovery buckets. Histograms with
    other bounds than `bounds` cannot be summed with the rest and count as empty."""
    buckets = len(bounds) + 1
    values = np.zeros(row_width(bounds))
    latency = values[SCALARS : SCALARS + buckets]
    for response in edge.responses:
        count = response.count
        values[REQUESTS] += count
        code, flags = response.code, response.flags
        if code >= 500 or code == 0 or flags not in _NO_FLAGS:
            values[ERRORS] += count
        if flags == _TIMEOUT_FLAG:
            values[TIMEOUTS] += count
        histogram = response.duration_ms
        if histogram.bounds == bounds and len(histogram.counts) == buckets:
            latency += histogram.counts
    values[RETRIES] = edge.retries
    recovery = edge.recovery_ms
    values[RECOVERIES] = recovery.count
    if recovery.bounds == bounds and len(recovery.counts) == buckets:
        values[SCALARS + buckets :] = recovery.counts
    return values


@dataclass(frozen=True, slots=True)
class Increase:
    """Rows' increases between two kept samples, and how many seconds each row covers."""

    keys: tuple[RowKey, ...]
    values: FloatArray
    spans: FloatArray


class SidecarCounters:
    """Cumulative rows of one sidecar, sampled every `step_s` over the last `window_s`."""

    def __init__(self, window_s: float, step_s: float, columns: int) -> None:
        self._window_s = window_s
        self._step_s = step_s
        self._columns = columns
        self._rows: dict[RowKey, int] = {}
        self._keys: list[RowKey] = []
        self._first_seen: FloatArray = np.empty(0)
        self._raw: FloatArray = np.zeros((0, columns))
        """The newest values the sidecar reported, per row (before offsets)."""
        self._offset: FloatArray = np.zeros((0, columns))
        self._samples: deque[tuple[float, FloatArray]] = deque()
        self.last_taken_at: float | None = None

    @property
    def newest_at(self) -> float | None:
        return self._samples[-1][0] if self._samples else None

    @property
    def oldest_at(self) -> float | None:
        return self._samples[0][0] if self._samples else None

    @property
    def sample_count(self) -> int:
        return len(self._samples)

    def record(self, t: float, rows: dict[RowKey, FloatArray]) -> None:
        """The sidecar's rows as of time `t` (rows it did not report keep their values)."""
        samples = self._samples
        if samples and t < samples[-1][0]:
            samples.clear()  # the clock stepped back: older samples would read as the future
        known = len(self._keys)
        fresh = [key for key in rows if key not in self._rows]
        if fresh:
            self._add_rows(t, fresh, rows)
        raw = self._raw
        for key, values in rows.items():
            row = self._rows[key]
            if row < known and _went_down(values, raw[row]):
                self._offset[row] += raw[row]
            raw[row] = values
        adjusted = raw + self._offset
        if len(samples) >= 2 and samples[-1][0] - samples[-2][0] < self._step_s:
            samples[-1] = (t, adjusted)  # the newest sample stays open until a step old
        else:
            samples.append((t, adjusted))
        horizon = t - self._window_s
        while len(samples) >= 2 and samples[1][0] <= horizon:
            samples.popleft()

    def increase(self, start: float, end: float) -> Increase | None:
        """Increases from the newest sample at or before `start` (else the oldest) to the newest
        at or before `end`; None without two such samples."""
        base = last = None
        for sample in self._samples:
            if sample[0] <= start or base is None:
                base = sample
            if sample[0] <= end:
                last = sample
        if base is None or last is None or last[0] <= base[0]:
            return None
        values = last[1] - base[1]
        spans = last[0] - np.maximum(self._first_seen, base[0])
        return Increase(tuple(self._keys), values, np.maximum(spans, 0.0))

    def _add_rows(self, t: float, fresh: list[RowKey], rows: dict[RowKey, FloatArray]) -> None:
        start = len(self._keys)
        for offset, key in enumerate(fresh):
            self._rows[key] = start + offset
            self._keys.append(key)
        new_values = np.stack([rows[key] for key in fresh])
        samples = self._samples
        # A row first seen in a later snapshot began counting after the previous one: its
        # baseline is zero there. In the first snapshot, a row's history is unknown: it counts
        # from its value at first sight, so an hour of past calls is not read as one window.
        baseline = np.zeros_like(new_values) if samples else new_values
        seen_from = samples[-1][0] if samples else t
        for i, (at, old) in enumerate(samples):
            samples[i] = (at, np.concatenate((old, baseline)))
        self._raw = np.concatenate((self._raw, baseline))
        self._offset = np.concatenate((self._offset, np.zeros_like(new_values)))
        self._first_seen = np.concatenate((self._first_seen, np.full(len(fresh), seen_from)))


def _went_down(values: FloatArray, before: FloatArray) -> bool:
    # Requests, retries and recoveries only ever grow in one sidecar process.
    return bool(
        values[REQUESTS] < before[REQUESTS]
        or values[RETRIES] < before[RETRIES]
        or values[RECOVERIES] < before[RECOVERIES]
    )
