"""What the suggestion rules reason from: every sidecar's HTTP counters over a sliding window,
and the newest view each sidecar has of its upstream endpoints.

Fed the same `StatsSnapshot`s as the `MeshModel` (Qt-free, no I/O). Samples are timed by the
injected clock when they arrive, so every sidecar's window lines up with the `now` the engine
evaluates at. A sidecar silent for longer than the window is forgotten; so memory is bounded by
the sidecars and edges of the mesh times `window_s / step_s`.

`table(start, end)` sums the increases over [start, end] per reported edge into a
`WindowTable`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from meshgui.model.suggestions.counters import RowKey, SidecarCounters, row_values, row_width
from meshgui.model.suggestions.traffic import TrafficStats
from meshgui.model.suggestions.window_table import WindowTable
from meshgui.model.types import FloatArray
from proxy.admin.models import EndpointStatus, StatsSnapshot
from proxy.telemetry import LATENCY_BUCKETS_MS


@dataclass(frozen=True, slots=True)
class EndpointHealth:
    """One endpoint as the sidecars that balance over it see it now."""

    service: str
    name: str
    version: str | None
    seen_by: int
    ejected_by: int
    """Sidecars whose outlier detection has it ejected right now."""
    drained: bool
    ejection_count: int
    """Most ejections any one sidecar has made of it since that sidecar started."""


class EvidenceCollector:
    """Snapshots in (`ingest`), window tables and endpoint views out. Calls are serialised by a
    lock, so the client may feed it from its own thread while the GUI thread evaluates."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        window_s: float = 300.0,
        step_s: float = 5.0,
        bounds: tuple[float, ...] = LATENCY_BUCKETS_MS,
    ) -> None:
        """`window_s`: how far back the rules can see; `step_s`: the finest time resolution
        kept (the rules split the window into slices no shorter than this)."""
        if not 0.0 < step_s <= window_s:
            raise ValueError("need 0 < step_s <= window_s")
        self._clock = clock
        self.window_s = window_s
        self.step_s = step_s
        self.bounds = bounds
        self._columns = row_width(bounds)
        self._sidecars: dict[str, SidecarCounters] = {}
        self._endpoints: dict[str, tuple[EndpointStatus, ...]] = {}
        self._endpoint_view: dict[str, dict[str, EndpointHealth]] | None = None
        """Every service's endpoints merged over the sidecars; rebuilt after a change."""
        self._lock = threading.RLock()

    @property
    def sidecar_ids(self) -> list[str]:
        return sorted(self._sidecars)

    def ingest(self, sidecar_id: str, snapshot: StatsSnapshot) -> None:
        """Take one snapshot of `sidecar_id`; a repeated one (same `taken_at`) is ignored."""
        rows: dict[RowKey, FloatArray] = {}
        for edge in snapshot.http_edges:
            src, dst = edge.source, edge.destination
            key = RowKey(
                edge.reporter, src.service, src.instance, dst.service, dst.instance, dst.version
            )
            values = row_values(edge, self.bounds)
            previous = rows.get(key)
            # Two edges differing only by namespace are one row: rules look at services.
            rows[key] = values if previous is None else previous + values
        with self._lock:
            now = self._clock()
            counters = self._sidecars.get(sidecar_id)
            if counters is None:
                counters = SidecarCounters(self.window_s, self.step_s, self._columns)
                self._sidecars[sidecar_id] = counters
            if counters.last_taken_at == snapshot.taken_at:
                return
            counters.last_taken_at = snapshot.taken_at
            counters.record(now, rows)
            self._endpoints[sidecar_id] = snapshot.endpoints
            self._endpoint_view = None
            self.prune(now)

    def forget(self, sidecar_id: str) -> None:
        """Drop everything `sidecar_id` reported (it left the profile)."""
        with self._lock:
            self._sidecars.pop(sidecar_id, None)
            self._endpoints.pop(sidecar_id, None)
            self._endpoint_view = None

    def prune(self, now: float) -> None:
        """Forget the sidecars that have been silent for longer than the window."""
        with self._lock:
            horizon = now - self.window_s
            for sidecar_id, counters in list(self._sidecars.items()):
                newest = counters.newest_at
                if newest is None or newest < horizon:
                    self.forget(sidecar_id)

    def data_since(self, now: float) -> float | None:
        """When the oldest sample that still counts for the window ending at `now` was taken."""
        with self._lock:
            starts = [
                max(now - self.window_s, oldest)
                for oldest in (c.oldest_at for c in self._sidecars.values())
                if oldest is not None
            ]
            return min(starts) if starts else None

    def table(self, start: float, end: float) -> WindowTable:
        """Increases over [start, end] of every reported edge, summed over sidecars."""
        with self._lock:
            rows: dict[RowKey, TrafficStats] = {}
            for counters in self._sidecars.values():
                increase = counters.increase(start, end)
                if increase is None:
                    continue
                for key, values, span in zip(
                    increase.keys, increase.values, increase.spans, strict=True
                ):
                    stats = TrafficStats.from_row(self.bounds, values, float(span))
                    previous = rows.get(key)
                    rows[key] = stats if previous is None else previous + stats
            return WindowTable(start, end, rows)

    def endpoints(self, service: str) -> dict[str, EndpointHealth]:
        """Endpoints of `service` as the sidecars' newest snapshots list them."""
        with self._lock:
            if self._endpoint_view is None:
                self._endpoint_view = _merge_endpoints(self._endpoints.values())
            return self._endpoint_view.get(service, {})


def _merge_endpoints(
    per_sidecar: Iterable[tuple[EndpointStatus, ...]],
) -> dict[str, dict[str, EndpointHealth]]:
    merged: dict[str, dict[str, EndpointHealth]] = {}
    for statuses in per_sidecar:
        for status in statuses:
            if not status.service:
                continue  # listed by no service of that sidecar's config
            service = merged.setdefault(status.service, {})
            before = service.get(status.name)
            service[status.name] = EndpointHealth(
                service=status.service,
                name=status.name,
                version=status.labels.get("version"),
                seen_by=(before.seen_by if before else 0) + 1,
                ejected_by=(before.ejected_by if before else 0) + (not status.healthy),
                drained=(before.drained if before else False) or status.drained,
                ejection_count=max(before.ejection_count if before else 0, status.ejection_count),
            )
    return merged
