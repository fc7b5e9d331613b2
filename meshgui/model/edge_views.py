"""Window totals -> `EdgeView`s, rebuilding only the edges whose numbers changed.

Which edges changed is decided in numpy over all edges at once; Python objects are made only for
those. Unchanged edges keep the very same `EdgeView` object, and the ids of changed ones are
collected for `MeshModel.changed_edges()`: the canvas then touches only those items, which at
5,000 edges matters more than anything else in a refresh.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

import numpy as np

from meshgui.model.health import DEGRADED_ERROR_PCT, FAILING_ERROR_PCT
from meshgui.model.sidecar_facts import SidecarFacts
from meshgui.model.sidecar_series import BoolArray
from meshgui.model.topology_index import TopologyIndex
from meshgui.model.types import EdgeKey, EdgeStats, EdgeView, FloatArray, NodeHealth
from meshgui.model.window_totals import WindowTotals

_COLUMNS = 9
_NO_VALUE = -1.0
"""Stands for a missing percentile in the comparison matrix (no real latency is negative)."""


def _slot_setters(cls: type, count: int) -> tuple[Callable[[Any, Any], None], ...]:
    """The slot descriptors' setters of a frozen slots dataclass, in field order.

    A frozen dataclass's `__init__` sets each field through `object.__setattr__`, which at
    4,000 edges a tick costs more than everything else in `update`; setting the slots
    directly makes the very same object in under half the time. `count` guards against a
    field added to the class and forgotten here."""
    names = [f.name for f in fields(cls)]
    if len(names) != count:
        raise TypeError(f"{cls.__name__} has {len(names)} fields, expected {count}")
    return tuple(getattr(cls, name).__set__ for name in names)


_new = object.__new__
(_RPS, _ERROR_PCT, _P50, _P90, _P99, _IN_FLIGHT, _RETRIES, _BYTES) = _slot_setters(EdgeStats, 8)
(_KEY, _STATS, _HEALTH) = _slot_setters(EdgeView, 3)


_HEALTHS = (
    NodeHealth.IDLE,
    NodeHealth.DISCONNECTED,
    NodeHealth.HEALTHY,
    NodeHealth.DEGRADED,
    NodeHealth.FAILING,
)


def error_percent(errors_per_s: FloatArray, rps: FloatArray) -> FloatArray:
    """Errors as a share of calls, 0 where there were no calls."""
    return np.divide(errors_per_s * 100.0, rps, out=np.zeros_like(rps), where=rps > 0.0)


def edge_healths(
    rps: FloatArray, error_pct: FloatArray, retries_per_s: FloatArray, end_gone: BoolArray
) -> list[NodeHealth]:
    """`health.edge_health` of every edge at once (the same float operations in the same order,
    so the same answers; a test holds them together): per edge it cost more than the rest."""
    tries = rps + retries_per_s
    tries_failed = np.divide(
        100.0 * (rps * error_pct / 100.0 + retries_per_s),
        tries,
        out=np.zeros_like(tries),
        where=tries > 0.0,
    )
    worst = np.maximum(error_pct, tries_failed)
    by_errors = np.where(worst >= FAILING_ERROR_PCT, 4, np.where(worst >= DEGRADED_ERROR_PCT, 3, 2))
    codes = np.where(rps <= 0.0, end_gone.astype(np.int64), by_errors)
    return [_HEALTHS[code] for code in codes.tolist()]


class EdgeViewCache:
    """The current `EdgeView` of every present edge, and which ones changed."""

    def __init__(self, index: TopologyIndex) -> None:
        self._index = index
        self._values = np.zeros((_COLUMNS, 0))
        self._views: list[EdgeView | None] = []
        self._present: BoolArray = np.zeros(0, dtype=np.bool_)
        self._current: dict[EdgeKey, EdgeView] = {}
        self.changed: set[int] = set()
        """Edge ids changed, added or removed since the owner last cleared this set."""

    def update(
        self, present: BoolArray, totals: WindowTotals, facts: SidecarFacts
    ) -> dict[EdgeKey, EdgeView]:
        """A fresh mapping of the edges in `present` (a mask over edge ids)."""
        index = self._index
        edges = index.edge_count
        self._grow(edges)
        source, destination = index.edge_node_arrays()
        gone = facts.disconnected_nodes
        rps = totals.edge_rps
        quantiles = np.nan_to_num(totals.edge_quantiles_ms, nan=_NO_VALUE)
        values = np.vstack(
            (
                rps,
                error_percent(totals.edge_errors_per_s, rps),
                quantiles,
                np.rint(totals.edge_in_flight),
                totals.edge_retries_per_s,
                totals.edge_bytes_per_s,
                gone[source] | gone[destination],
            )
        )
        fresh = np.array([view is None for view in self._views], dtype=np.bool_)
        differs = (values != self._values).any(axis=0) | fresh
        rebuild = np.flatnonzero(present & differs)
        removed = np.flatnonzero(self._present & ~present)
        current, keys = self._current, index.edge_keys
        changing = values[:, rebuild]
        healths = edge_healths(changing[0], changing[1], changing[6], changing[8] != 0.0)
        rows = zip(rebuild.tolist(), changing.T.tolist(), healths, strict=True)
        for e, (r, error_pct, p50, p90, p99, in_flight, retries, size, _), health in rows:
            # EdgeStats(...) and EdgeView(...), field by field (see `_slot_setters`).
            stats = _new(EdgeStats)
            _RPS(stats, r)
            _ERROR_PCT(stats, error_pct)
            _P50(stats, None if p50 == _NO_VALUE else p50)
            _P90(stats, None if p90 == _NO_VALUE else p90)
            _P99(stats, None if p99 == _NO_VALUE else p99)
            _IN_FLIGHT(stats, int(in_flight))
            _RETRIES(stats, retries)
            _BYTES(stats, size)
            view, key = _new(EdgeView), keys[e]
            _KEY(view, key)
            _STATS(view, stats)
            _HEALTH(view, health)
            self._views[e] = view
            current[key] = view
        for e in removed.tolist():
            self._views[e] = None
            current.pop(keys[e], None)
        self._values[:, rebuild] = values[:, rebuild]
        self._present = present
        self.changed.update(rebuild.tolist(), removed.tolist())
        # A copy, so a view already handed out never changes under its holder (copying a dict
        # reuses its hashes: far cheaper than building one).
        return current.copy()

    def _grow(self, edges: int) -> None:
        known = len(self._views)
        if edges > known:
            self._views.extend([None] * (edges - known))
            grown = np.zeros((_COLUMNS, edges))
            grown[:, :known] = self._values
            self._values = grown
            self._present = np.concatenate((self._present, np.zeros(edges - known, np.bool_)))
