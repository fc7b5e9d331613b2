"""Window totals -> the edges' views (`EdgeViewMap`), and which edges changed and how.

Which edges changed is decided in numpy over all edges at once; no Python object is made per
edge here. The ids of the edges whose numbers changed (or that came or went) are collected for
`MeshModel.changed_edges()`, with the ones among them whose line (`restyled`) or anything shown up
close (`relabelled`, see `edge_looks`) looks different: the canvas then touches only those
items, which at 5,000 edges matters more than anything else in a refresh.
"""

from __future__ import annotations

import numpy as np

from meshgui.model.edge_looks import LookKeys
from meshgui.model.edge_view_map import HEALTHS, NO_VALUE, EdgeViewMap, IntArray, Made
from meshgui.model.health import DEGRADED_ERROR_PCT, FAILING_ERROR_PCT
from meshgui.model.sidecar_facts import SidecarFacts
from meshgui.model.sidecar_series import BoolArray
from meshgui.model.topology_index import TopologyIndex
from meshgui.model.types import EdgeKey, FloatArray, NodeHealth
from meshgui.model.window_totals import WindowTotals

_COLUMNS = 9


def error_percent(errors_per_s: FloatArray, rps: FloatArray) -> FloatArray:
    """Errors as a share of calls, 0 where there were no calls."""
    return np.divide(errors_per_s * 100.0, rps, out=np.zeros_like(rps), where=rps > 0.0)


def tries_failed_percents(
    rps: FloatArray, error_pct: FloatArray, retries_per_s: FloatArray
) -> FloatArray:
    """`health.tries_failed_percent` of every edge at once: the same float operations in the
    same order, so the same answers (the label shows it; `edge_looks` must see what it shows)."""
    tries = rps + retries_per_s
    failed: FloatArray = np.divide(
        100.0 * (rps * error_pct / 100.0 + retries_per_s),
        tries,
        out=np.zeros_like(tries),
        where=tries > 0.0,
    )
    return failed


def edge_healths(
    rps: FloatArray, error_pct: FloatArray, retries_per_s: FloatArray, end_gone: BoolArray
) -> list[NodeHealth]:
    """`health.edge_health` of every edge at once (a test holds them together)."""
    tries_failed = tries_failed_percents(rps, error_pct, retries_per_s)
    codes = edge_health_codes(rps, error_pct, tries_failed, end_gone)
    return [HEALTHS[code] for code in codes.tolist()]


def edge_health_codes(
    rps: FloatArray, error_pct: FloatArray, tries_failed_pct: FloatArray, end_gone: BoolArray
) -> IntArray:
    """`edge_healths` as indexes into `HEALTHS`: the same float operations in the same order as
    `health.edge_health`, so the same answers; per edge it cost more than the rest.
    `tries_failed_pct`: `tries_failed_percents` of the same edges."""
    worst = np.maximum(error_pct, tries_failed_pct)
    by_errors = np.where(worst >= FAILING_ERROR_PCT, 4, np.where(worst >= DEGRADED_ERROR_PCT, 3, 2))
    codes: IntArray = np.where(rps <= 0.0, end_gone.astype(np.int64), by_errors)
    return codes


class EdgeViewCache:
    """The edges of the newest refresh, and which ones changed since the owner last asked."""

    def __init__(self, index: TopologyIndex) -> None:
        self._index = index
        self._values = np.zeros((_COLUMNS, 0))
        self._looks: LookKeys | None = None
        self._stamps: IntArray = np.zeros(0, dtype=np.int64)
        self._made: Made = []
        self._refreshes = 0
        self._present: BoolArray = np.zeros(0, dtype=np.bool_)
        self._ids: dict[EdgeKey, int] = {}
        self.changed: set[int] = set()
        """Edge ids whose numbers changed, added or removed since the owner cleared this set."""
        self.restyled: set[int] = set()
        """Of `changed`, those whose line looks different (health, width step), and all added
        or removed."""
        self.relabelled: set[int] = set()
        """Of `changed`, those that look different up close: `restyled`, or label, or idle."""

    def update(self, present: BoolArray, totals: WindowTotals, facts: SidecarFacts) -> EdgeViewMap:
        """The edges in `present` (a mask over edge ids), as of now."""
        index = self._index
        edges = index.edge_count
        self._grow(edges)
        source, destination = index.edge_node_arrays()
        gone = facts.disconnected_nodes
        rps = totals.edge_rps
        error_pct = error_percent(totals.edge_errors_per_s, rps)
        quantiles = totals.edge_quantiles_ms
        in_flight = np.rint(totals.edge_in_flight)
        end_gone = gone[source] | gone[destination]
        values = np.vstack(
            (
                rps,
                error_pct,
                np.nan_to_num(quantiles, nan=NO_VALUE),
                in_flight,
                totals.edge_retries_per_s,
                totals.edge_bytes_per_s,
                end_gone,
            )
        )
        tries_failed = tries_failed_percents(rps, error_pct, totals.edge_retries_per_s)
        codes = edge_health_codes(rps, error_pct, tries_failed, end_gone)
        looks = LookKeys(
            codes,
            rps,
            error_pct,
            tries_failed,
            quantiles[-1],
            totals.edge_bytes_per_s,
            (rps == 0.0) & (totals.edge_bytes_per_s == 0.0) & (in_flight == 0.0),
            index.edge_arrays()[2],
        )
        known = self._values.shape[1]
        differs = np.ones(edges, dtype=np.bool_)
        differs[:known] = (values[:, :known] != self._values).any(axis=0)
        came = present & ~self._present
        changed = present & differs | came
        removed = self._present & ~present
        if self._looks is None:
            restyled = relabelled = changed
        else:
            looks_restyled, looks_relabelled = looks.compare(self._looks)
            restyled = changed & looks_restyled | came
            relabelled = restyled | changed & looks_relabelled
        self._refreshes += 1
        self._stamps[changed] = self._refreshes
        keys, ids = index.edge_keys, self._ids
        for e in np.flatnonzero(came).tolist():
            ids[keys[e]] = e
        for e in np.flatnonzero(removed).tolist():
            ids.pop(keys[e], None)
            self._made[e] = None
        self._values, self._looks, self._present = values, looks, present
        self.changed.update(np.flatnonzero(changed | removed).tolist())
        self.restyled.update(np.flatnonzero(restyled | removed).tolist())
        self.relabelled.update(np.flatnonzero(relabelled | removed).tolist())
        # Copies, so a mapping already handed out never changes under its holder (copying a
        # dict reuses its hashes: far cheaper than building one).
        return EdgeViewMap(ids.copy(), values, codes, self._stamps.copy(), self._made, keys)

    def _grow(self, edges: int) -> None:
        known = len(self._made)
        if edges > known:
            self._made.extend([None] * (edges - known))
            self._stamps = np.concatenate((self._stamps, np.zeros(edges - known, np.int64)))
            self._present = np.concatenate((self._present, np.zeros(edges - known, np.bool_)))
