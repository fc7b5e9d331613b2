"""The desktop app's model of the mesh: all sidecars' snapshots merged into one live topology.

Qt-free on purpose (import-linter checks it): the client feeds it snapshots and connection
events, the views read `view()`, `changed_edges()` and `history()`. Nothing here waits on I/O.
`set_split_versions(True)` shows each version of a versioned service as a node of its own.
Calls are serialised by a lock, so the client may feed it from its own thread while the GUI
thread reads: at 1,000 sidecars, ingesting is the larger share of the work.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable

import numpy as np

from meshgui.model.edge_history import EdgeHistoryStore
from meshgui.model.edge_views import EdgeViewCache, error_percent, tries_failed_percents
from meshgui.model.node_views import NodeViewCache
from meshgui.model.row_edges import RowEdges
from meshgui.model.shown_topology import shown_topology
from meshgui.model.sidecar_facts import sidecar_facts
from meshgui.model.sidecar_series import SidecarSeries
from meshgui.model.topology_index import TopologyIndex
from meshgui.model.types import EdgeChanges, EdgeHistory, EdgeKey, FloatArray, TopologyView
from meshgui.model.window_totals import WindowTotals, window_totals
from proxy.admin.models import Info, StatsSnapshot
from proxy.telemetry import LATENCY_BUCKETS_MS


class MeshModel:
    """Snapshots in, views out.

    Rates, error % and percentiles are increases of the cumulative counters over the last
    `window_s` seconds (which must exceed the snapshot interval), spaced by the sidecars' own
    `taken_at`. Everything else runs on `clock`: a sidecar whose newest snapshot arrived more
    than `window_s` ago no longer counts, and `at`, `newest_data_at` and history times are on it.

    History keeps one value per edge every `resolution_s` for the last `fine_history_s`, and the
    mean of every `coarse_resolution_s` before that, back to `history_s` (with the defaults:
    5 min at 1 s, then 1 h at 10 s; about 13 KB per edge). `fine_history_s >= history_s` keeps
    the whole span at `resolution_s`. A step is recorded whenever `view()` recomputes, which it
    does at least once per step when called; steps nobody looked at read as NaN.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        window_s: float = 10.0,
        history_s: float = 3600.0,
        resolution_s: float = 1.0,
        fine_history_s: float = 300.0,
        coarse_resolution_s: float = 10.0,
        bounds: tuple[float, ...] = LATENCY_BUCKETS_MS,
    ) -> None:
        if min(window_s, history_s, resolution_s, coarse_resolution_s) <= 0.0:
            raise ValueError("window, history and resolutions must be positive")
        coarse_tier_used = history_s > fine_history_s
        if coarse_tier_used and fine_history_s < coarse_resolution_s:
            raise ValueError("fine_history_s must cover at least one coarse step")
        self._clock = clock
        self._window_s = window_s
        self._resolution_s = resolution_s
        self._bounds = bounds
        self._index = TopologyIndex()
        self._edge_views = EdgeViewCache(self._index)
        self._node_views = NodeViewCache(self._index)
        self._row_edges = RowEdges(self._index)
        self._split_versions = False
        self._history = EdgeHistoryStore(
            history_s=history_s,
            resolution_s=resolution_s,
            fine_s=fine_history_s,
            coarse_s=coarse_resolution_s,
        )
        self._sidecars: dict[str, SidecarSeries] = {}
        self._profile: tuple[str, ...] | None = None
        self._dirty = True
        self._view: TopologyView | None = None
        self._view_step = -1
        self._lock = threading.RLock()

    def set_sidecars(self, sidecar_ids: Iterable[str]) -> None:
        """The profile's sidecars (the m of "n/m connected"); others' data is dropped and their
        later events are ignored."""
        with self._lock:
            self._profile = tuple(dict.fromkeys(sidecar_ids))
            for gone in set(self._sidecars) - set(self._profile):
                del self._sidecars[gone]
            self._row_edges.forget(self._sidecars)
            self._dirty = True

    @property
    def split_versions(self) -> bool:
        with self._lock:
            return self._split_versions

    def set_split_versions(self, on: bool) -> None:
        """Show each version of a service whose instances carry a `version` label as a node of
        its own ("inventory@v1", see `node_ids`), with the edges to and from those nodes.
        Unversioned services stay one node; edges between two of them keep their key (and
        their history). Off by default."""
        with self._lock:
            if on != self._split_versions:
                self._split_versions = on
                self._dirty = True

    def set_info(self, sidecar_id: str, info: Info) -> None:
        """Who the sidecar is; without it, the model infers service and instance from its edges."""
        with self._lock:
            sidecar = self._sidecar(sidecar_id)
            if sidecar is not None:
                sidecar.set_info(info)
                if sidecar.identity >= 0 and sidecar.version:
                    # The sidecar's own label is the instance's version even before any
                    # endpoint list or call names it.
                    record = self._index.instances[sidecar.identity]
                    record.version = record.version or sidecar.version
                self._dirty = True

    def ingest(self, sidecar_id: str, snapshot: StatsSnapshot) -> None:
        """One WatchStats snapshot; a snapshot also means the sidecar is connected."""
        with self._lock:
            sidecar = self._sidecar(sidecar_id)
            if sidecar is None:
                return
            if not sidecar.connected:
                sidecar.connected, sidecar.disconnected_at = True, None
                self._dirty = True
            if sidecar.ingest(snapshot, self._clock()):
                self._dirty = True

    def sidecar_connected(self, sidecar_id: str, at: float) -> None:
        """The client (re)connected; only when sidecars went away is shown, so `at` is unused."""
        with self._lock:
            sidecar = self._sidecar(sidecar_id)
            if sidecar is not None:
                sidecar.connected, sidecar.disconnected_at = True, None
                self._dirty = True

    def sidecar_disconnected(self, sidecar_id: str, at: float) -> None:
        """`at`: when it went away (model clock), shown as "disconnected since"."""
        with self._lock:
            sidecar = self._sidecar(sidecar_id)
            if sidecar is not None and (sidecar.connected or sidecar.disconnected_at is None):
                sidecar.connected, sidecar.disconnected_at = False, at
                self._dirty = True

    def view(self) -> TopologyView:
        """The topology now; recomputed only after new input or when a history step passed."""
        with self._lock:
            now = self._clock()
            step = math.floor(now / self._resolution_s)
            if self._view is None or self._dirty or step != self._view_step:
                self._view = self._compute(now)
                self._view_step = step
                self._dirty = False
            return self._view

    def history(self, key: EdgeKey, seconds: float) -> EdgeHistory:
        """The edge's last `seconds`; empty arrays for an edge the model never saw."""
        with self._lock:
            self.view()
            edge = self._index.edge_ids.get(key)
            if edge is None:
                empty = np.zeros(0)
                return EdgeHistory(empty, empty, empty, empty, empty, empty, empty)
            return self._history.read(edge, seconds)

    def changed_edges(self) -> EdgeChanges:
        """Edges whose view changed (or appeared, or went) since the previous call, with those
        among them that look different (`EdgeChanges`); the first call names every edge. Call it
        once per refresh, before or after `view()`."""
        with self._lock:
            self.view()
            keys, cache = self._index.edge_keys, self._edge_views
            changed = EdgeChanges(
                [keys[e] for e in cache.changed],
                [keys[e] for e in cache.restyled],
                [keys[e] for e in cache.relabelled],
            )
            cache.changed.clear()
            cache.restyled.clear()
            cache.relabelled.clear()
            return changed

    def _sidecar(self, sidecar_id: str) -> SidecarSeries | None:
        sidecar = self._sidecars.get(sidecar_id)
        if sidecar is None:
            if self._profile is not None and sidecar_id not in self._profile:
                return None
            sidecar = SidecarSeries(sidecar_id, self._index, self._bounds, self._window_s)
            self._sidecars[sidecar_id] = sidecar
        return sidecar

    def _compute(self, now: float) -> TopologyView:
        index, horizon = self._index, now - self._window_s
        sidecars = list(self._sidecars.values())
        reporting = [
            s
            for s in sidecars
            if s.connected and s.received_at is not None and s.received_at >= horizon
        ]
        node_map = index.node_map(self._split_versions)
        row_edges = self._row_edges
        row_edges.use(node_map)
        for sidecar in sidecars:  # before counting: mapping rows may add nodes and edges
            row_edges.of(sidecar)
        totals = window_totals(reporting, index, self._bounds, row_edges.of)
        facts = sidecar_facts(sidecars, reporting, node_map, index.node_count)
        shown = shown_topology(index, sidecars, facts, horizon, node_map, row_edges.of)
        nodes = self._node_views.update(shown.nodes, shown.tcp_only, shown.instances, totals, facts)
        edges = self._edge_views.update(shown.edges, totals, facts)
        self._history.record(now, _history_row(totals))
        received = [s.received_at for s in sidecars if s.received_at is not None]
        return TopologyView(
            nodes=nodes,
            edges=edges,
            newest_data_at=max(received) if received else None,
            # Only the profile's sidecars are kept once there is a profile.
            sidecars_connected=sum(1 for s in sidecars if s.connected),
            sidecars_total=len(sidecars) if self._profile is None else len(self._profile),
        )


def _history_row(totals: WindowTotals) -> FloatArray:
    rps = totals.edge_rps
    error_pct = np.where(rps > 0.0, error_percent(totals.edge_errors_per_s, rps), np.nan)
    tries_failed = tries_failed_percents(rps, error_pct, totals.edge_retries_per_s)
    return np.vstack(
        (
            np.where(totals.edge_reported, rps, np.nan),
            error_pct,
            totals.edge_quantiles_ms,
            np.where(rps > 0.0, tries_failed, np.nan),
        )
    )
