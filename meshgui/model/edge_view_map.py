"""The edges of one refresh as a read-only mapping whose `EdgeView`s are made when first read.

A busy mesh changes nearly every edge's numbers every second, but the canvas redraws only the
few that look different, and tooltips and the details dock read one edge at a time: building
thousands of objects a second that nobody reads was the largest part of a refresh. Each
mapping keeps the numbers of its own refresh, so a view already handed out never changes; an
edge whose numbers did not change since an earlier mapping built its view gets that very object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, KeysView, Mapping
from dataclasses import fields
from typing import Any

import numpy as np
import numpy.typing as npt

from meshgui.model.types import EdgeKey, EdgeStats, EdgeView, FloatArray, NodeHealth

IntArray = npt.NDArray[np.int64]
NO_VALUE = -1.0
"""Stands for a missing percentile in the values matrix (no real latency is negative)."""
HEALTHS = (
    NodeHealth.IDLE,
    NodeHealth.DISCONNECTED,
    NodeHealth.HEALTHY,
    NodeHealth.DEGRADED,
    NodeHealth.FAILING,
)
"""What each health code stands for (`edge_views.edge_health_codes`)."""
Made = list[tuple[int, EdgeView] | None]
"""Per edge id: the newest view made and the refresh whose numbers it shows."""


def _slot_setters(cls: type, count: int) -> tuple[Callable[[Any, Any], None], ...]:
    """The slot descriptors' setters of a frozen slots dataclass, in field order.

    A frozen dataclass's `__init__` sets each field through `object.__setattr__`, which for
    thousands of edges costs more than the rest; setting the slots directly makes the very
    same object in under half the time. `count` guards against a field added to the class and
    forgotten here."""
    names = [f.name for f in fields(cls)]
    if len(names) != count:
        raise TypeError(f"{cls.__name__} has {len(names)} fields, expected {count}")
    return tuple(getattr(cls, name).__set__ for name in names)


_new = object.__new__
(_RPS, _ERROR_PCT, _P50, _P90, _P99, _IN_FLIGHT, _RETRIES, _BYTES) = _slot_setters(EdgeStats, 8)
(_KEY, _STATS, _HEALTH) = _slot_setters(EdgeView, 3)


def make_edge_view(key: EdgeKey, column: list[float], health: NodeHealth) -> EdgeView:
    """EdgeStats(...) and EdgeView(...) from one column of the values matrix, slot by slot."""
    rps, error_pct, p50, p90, p99, in_flight, retries, size = column[:8]
    stats = _new(EdgeStats)
    _RPS(stats, rps)
    _ERROR_PCT(stats, error_pct)
    _P50(stats, None if p50 == NO_VALUE else p50)
    _P90(stats, None if p90 == NO_VALUE else p90)
    _P99(stats, None if p99 == NO_VALUE else p99)
    _IN_FLIGHT(stats, int(in_flight))
    _RETRIES(stats, retries)
    _BYTES(stats, size)
    view = _new(EdgeView)
    _KEY(view, key)
    _STATS(view, stats)
    _HEALTH(view, health)
    return view


class EdgeViewMap(Mapping[EdgeKey, EdgeView]):
    """Present edges -> `EdgeView`, each made on first read from this refresh's numbers.

    Safe to read on another thread than the one making the next refresh: everything it reads
    is its own, except `made` and `keys`, which the model only ever extends."""

    __slots__ = ("_codes", "_ids", "_keys", "_made", "_stamps", "_values")

    def __init__(
        self,
        ids: dict[EdgeKey, int],
        values: FloatArray,
        health_codes: IntArray,
        stamps: IntArray,
        made: Made,
        keys: list[EdgeKey],
    ) -> None:
        """`ids`: the present edges' ids (this mapping's own dict); `values`, `health_codes`
        and `stamps` (the refresh that last changed each edge) by edge id, never written after;
        `made`: the views made so far, shared between refreshes; `keys`: every edge's key."""
        self._ids = ids
        self._values = values
        self._codes = health_codes
        self._stamps = stamps
        self._made = made
        self._keys = keys

    def __getitem__(self, key: EdgeKey) -> EdgeView:
        e = self._ids[key]
        stamp = int(self._stamps[e])
        entry = self._made[e]
        if entry is not None and entry[0] == stamp:
            return entry[1]
        view = make_edge_view(
            self._keys[e], self._values[:, e].tolist(), HEALTHS[int(self._codes[e])]
        )
        if entry is None or entry[0] < stamp:
            self._made[e] = (stamp, view)
        return view

    def get(self, key: EdgeKey, default: Any = None) -> Any:
        """As `Mapping.get`, without raising and catching a KeyError for a missing key."""
        return self[key] if key in self._ids else default

    def __contains__(self, key: object) -> bool:
        return key in self._ids

    def __iter__(self) -> Iterator[EdgeKey]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def keys(self) -> KeysView[EdgeKey]:
        """The dict's own view: comparing two of them runs in C."""
        return self._ids.keys()

    def __repr__(self) -> str:
        return f"EdgeViewMap({len(self._ids)} edges)"
