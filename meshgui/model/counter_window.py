"""One sidecar's cumulative counters over a sliding window, as increases per row.

A row is one reported edge (see `edge_counters`). Each snapshot is kept as two matrices (scalars,
histogram buckets) for as long as the window needs it; the increase over the window is the newest
matrix minus the oldest one that is still at or before the window's start.

Counters only go down when a sidecar restarted. Such a row's baseline is moved to the new value in
every kept snapshot, so it reads as "no increase" rather than a negative rate, and its span starts
at the reset. A row seen for the first time gets the same treatment: two samples make a rate.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

import numpy as np

from meshgui.model.edge_counters import IN_FLIGHT, SCALARS
from meshgui.model.types import FloatArray

_Sample = tuple[float, FloatArray, FloatArray]


class CounterWindow:
    """Rows of cumulative counters -> `deltas`, `durations` and `spans` over the last window."""

    __slots__ = ("_buckets", "_samples", "_valid_from", "_window_s", "deltas", "durations", "spans")

    def __init__(self, window_s: float, buckets: int) -> None:
        self._window_s = window_s
        self._buckets = buckets
        self._samples: deque[_Sample] = deque()
        self._valid_from: FloatArray = np.empty(0)
        self.deltas: FloatArray = np.zeros((0, SCALARS))
        """Increase of each scalar over the window; the in-flight column is the newest gauge."""
        self.durations: FloatArray = np.zeros((0, buckets))
        """Increase of each histogram bucket over the window."""
        self.spans: FloatArray = np.empty(0)
        """Seconds the increases were counted over; 0 while a row has a single sample."""

    @property
    def rows(self) -> int:
        return len(self._valid_from)

    def accepts(self, t: float) -> bool:
        """False for a snapshot taken when the newest one was (a re-sent message)."""
        return not self._samples or self._samples[-1][0] != t

    def record(
        self,
        t: float,
        rows: int,
        scalar_rows: Sequence[int],
        scalars: Sequence[float],
        hist_rows: Sequence[int],
        hists: Sequence[tuple[int, ...]],
        reset_rows: Sequence[int] = (),
    ) -> None:
        """Add the counters of one snapshot taken at `t` (which `accepts`).

        `scalars` holds `SCALARS` values per row in `scalar_rows`; `hists` the buckets of the rows
        in `hist_rows`. Rows not named keep their previous values; rows beyond the known ones are
        new, and every new row must be in `scalar_rows`. `reset_rows` went down since the
        previous snapshot: their baseline restarts.
        """
        samples = self._samples
        known = self.rows
        if samples:
            last_t, before_s, before_h = samples[-1]
            if t < last_t or t - last_t > self._window_s:
                # A clock step back or a silence longer than the window: the old samples say
                # nothing about the current window, so every row starts a fresh baseline.
                samples.clear()
                self._valid_from[:] = t
        else:
            before_s, before_h = np.zeros((0, SCALARS)), np.zeros((0, self._buckets))
        if rows > known:
            now_s = np.concatenate((before_s, np.zeros((rows - known, SCALARS))))
            now_h = np.concatenate((before_h, np.zeros((rows - known, self._buckets))))
        else:
            now_s, now_h = before_s.copy(), before_h.copy()
        if scalar_rows:
            now_s[scalar_rows] = np.asarray(scalars, dtype=np.float64).reshape(-1, SCALARS)
        if hist_rows:
            now_h[hist_rows] = np.asarray(hists, dtype=np.float64)
        if rows > known:
            self._add_rows(t, now_s[known:], now_h[known:])
        if samples and reset_rows:
            self._rebase(t, now_s, now_h, reset_rows)
        samples.append((t, now_s, now_h))
        horizon = t - self._window_s
        while len(samples) >= 2 and samples[1][0] <= horizon:
            samples.popleft()
        base_t, base_s, base_h = samples[0]
        deltas = now_s - base_s
        deltas[:, IN_FLIGHT] = now_s[:, IN_FLIGHT]
        self.deltas = deltas
        self.durations = now_h - base_h
        self.spans = t - np.maximum(self._valid_from, base_t)

    def _add_rows(self, t: float, new_s: FloatArray, new_h: FloatArray) -> None:
        samples = self._samples
        for i, (at, old_s, old_h) in enumerate(samples):
            samples[i] = (at, np.concatenate((old_s, new_s)), np.concatenate((old_h, new_h)))
        self._valid_from = np.concatenate((self._valid_from, np.full(len(new_s), t)))

    def _rebase(self, t: float, now_s: FloatArray, now_h: FloatArray, rows: Sequence[int]) -> None:
        for _, old_s, old_h in self._samples:
            old_s[rows] = now_s[rows]
            old_h[rows] = now_h[rows]
        self._valid_from[rows] = t
