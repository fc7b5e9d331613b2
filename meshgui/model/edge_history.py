"""Bounded per-edge history: ring buffers stored time-first, one row of every edge per step.

Time-first means one refresh writes one contiguous row (all edges at once) and reading one edge
is a strided gather of a few hundred values. Two tiers keep an hour affordable at 5,000 edges:
a fine ring (`resolution_s` steps over the recent minutes) and a coarse ring whose steps are the
mean of the fine steps they cover. Values are float32 (charts need no more); a slot whose stored
step number is not the one asked for reads as NaN, so missed refreshes become gaps by themselves.
"""

from __future__ import annotations

import math

import numpy as np

from meshgui.model.types import EdgeHistory, FloatArray

METRICS = 6
"""rps, error %, p50, p90, p99, tries failed % (the order of `EdgeHistory`'s value fields)."""
_MIN_CAPACITY = 64
_GROWTH = 1.5


class HistoryRing:
    """`length` steps of `step_s` seconds for `capacity` edges."""

    def __init__(self, step_s: float, length: int) -> None:
        self.step_s = step_s
        self.length = length
        self.steps = np.full(length, -1, dtype=np.int64)
        self.values = np.full((length, METRICS, 0), np.nan, dtype=np.float32)

    @property
    def capacity(self) -> int:
        return int(self.values.shape[2])

    def grow(self, capacity: int) -> None:
        wider = np.full((self.length, METRICS, capacity), np.nan, dtype=np.float32)
        wider[:, :, : self.capacity] = self.values
        self.values = wider

    def write(self, step: int, row: FloatArray) -> None:
        """Set step `step` to `row` (METRICS x edges); edges beyond it stay NaN."""
        position = step % self.length
        if self.steps[position] != step:
            self.values[position] = np.nan
            self.steps[position] = step
        self.values[position, :, : row.shape[1]] = row

    def read(self, edge: int, first: int, last: int) -> tuple[FloatArray, FloatArray]:
        """Times and values (steps x METRICS) of steps first..last for one edge."""
        wanted = np.arange(first, last + 1, dtype=np.int64)
        positions = wanted % self.length
        stored = self.steps[positions] == wanted
        values: FloatArray = np.full((len(wanted), METRICS), np.nan)
        if edge < self.capacity:
            values[stored] = self.values[positions[stored], :, edge]
        times: FloatArray = wanted.astype(np.float64) * self.step_s
        return times, values


class EdgeHistoryStore:
    """The fine ring, and the coarse ring fed with closed fine steps."""

    def __init__(self, *, history_s: float, resolution_s: float, fine_s: float, coarse_s: float):
        fine_span = min(fine_s, history_s)
        self.fine = HistoryRing(resolution_s, max(1, math.ceil(fine_span / resolution_s)))
        self.coarse: HistoryRing | None = None
        if history_s > fine_span and coarse_s > resolution_s:
            self.coarse = HistoryRing(coarse_s, max(1, math.ceil(history_s / coarse_s)))
        self.last_step: int | None = None
        self._open: tuple[int, FloatArray] | None = None
        self._sum = np.zeros((METRICS, 0))
        self._seen = np.zeros((METRICS, 0))
        self._coarse_step: int | None = None

    def record(self, now: float, row: FloatArray) -> None:
        """Store the values of every edge (METRICS x edges) as of model time `now`."""
        step = math.floor(now / self.fine.step_s)
        if self.last_step is not None and step < self.last_step:
            return  # the clock went back; the step it names is already history
        edges = row.shape[1]
        for ring in (self.fine, self.coarse):
            if ring is not None and ring.capacity < edges:
                ring.grow(max(edges, int(ring.capacity * _GROWTH), _MIN_CAPACITY))
        if self._open is not None and self._open[0] != step:
            self._close(*self._open)
        self.fine.write(step, row)
        self._open = (step, row)
        self.last_step = step

    def read(self, edge: int, seconds: float) -> EdgeHistory:
        """The last `seconds` up to the newest step, fine where it reaches, coarse before."""
        if self.last_step is None:
            empty = np.zeros(0)
            return EdgeHistory(empty, empty, empty, empty, empty, empty, empty)
        fine = self.fine
        steps = max(1, math.ceil(seconds / fine.step_s))
        first = self.last_step - steps + 1
        fine_first = max(first, self.last_step - fine.length + 1)
        t, values = fine.read(edge, fine_first, self.last_step)
        if self.coarse is not None and first < fine_first:
            coarse = self.coarse
            start_t = first * fine.step_s
            fine_start_t = fine_first * fine.step_s
            coarse_first = math.floor(start_t / coarse.step_s)
            coarse_last = math.ceil(fine_start_t / coarse.step_s) - 1
            coarse_first = max(coarse_first, coarse_last - coarse.length + 1)
            if coarse_last >= coarse_first:
                old_t, old_values = coarse.read(edge, coarse_first, coarse_last)
                t = np.concatenate((old_t, t))
                values = np.concatenate((old_values, values))
        return EdgeHistory(t, *(values[:, i] for i in range(METRICS)))

    def _close(self, step: int, row: FloatArray) -> None:
        if self.coarse is None:
            return
        coarse_step = math.floor(step * self.fine.step_s / self.coarse.step_s)
        if self._coarse_step is not None and coarse_step != self._coarse_step:
            self._flush()
        self._coarse_step = coarse_step
        edges = row.shape[1]
        if self._sum.shape[1] < edges:
            self._sum, self._seen = _widen(self._sum, edges), _widen(self._seen, edges)
        known = ~np.isnan(row)
        self._sum[:, :edges] += np.where(known, row, 0.0)
        self._seen[:, :edges] += known

    def _flush(self) -> None:
        assert self.coarse is not None and self._coarse_step is not None
        mean = np.divide(
            self._sum, self._seen, out=np.full_like(self._sum, np.nan), where=self._seen > 0
        )
        self.coarse.write(self._coarse_step, mean)
        self._sum[:] = 0.0
        self._seen[:] = 0.0


def _widen(sums: FloatArray, edges: int) -> FloatArray:
    return np.concatenate((sums, np.zeros((METRICS, edges - sums.shape[1]))), axis=1)
