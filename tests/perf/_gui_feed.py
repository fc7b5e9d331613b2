"""The GUI benchmark's sidecars: once a second, the WatchStats snapshot every sidecar of a
synthetic mesh (`_gui_mesh`) would send, with cumulative counters that grow.

Nothing here touches the network. Snapshots are built the way the real client builds them
(`model_construct`, a fresh bounds tuple per round, see `proxy/admin/from_proto.py`), so the
model's ingest does the same work as in the app. Building them is the client thread's work, not
the GUI thread's, so the benchmark builds them outside its timings.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
from _gui_mesh import MeshShape

from proxy.admin.models import (
    EndpointStatus,
    Histogram,
    HttpEdge,
    Info,
    Listener,
    ResponseStats,
    StatsSnapshot,
    TcpEdge,
    Workload,
)
from proxy.telemetry import BYTES_BUCKETS, LATENCY_BUCKETS_MS

BUCKETS = len(LATENCY_BUCKETS_MS) + 1


class SnapshotFeed:
    """Every sidecar's snapshot, second after second; counters grow by Poisson-ish traffic.

    Most calls succeed; a few edges fail some of the time, and each edge's rate wanders a little,
    so nearly every edge's numbers change every second, as on a busy mesh (the canvas then has to
    touch nearly every edge: the honest case, not the best one).
    """

    def __init__(self, shape: MeshShape, seed: int = 2) -> None:
        self.shape = shape
        self._rng = np.random.default_rng(seed)
        n, e = len(shape.services), shape.edge_count
        self._rate = self._rng.lognormal(math.log(8.0), 1.0, e)
        self._error_share = self._rng.choice([0.001, 0.03, 0.3], size=e, p=[0.9, 0.07, 0.03])
        self._latency_ms = self._rng.lognormal(math.log(15.0), 0.8, e)
        self._ok = np.zeros(e, dtype=np.int64)
        self._failed = np.zeros(e, dtype=np.int64)
        self._ok_hist = np.zeros((e, BUCKETS), dtype=np.int64)
        self._failed_hist = np.zeros((e, BUCKETS), dtype=np.int64)
        self._latency_sum = np.zeros(e)
        self._retries = np.zeros(e, dtype=np.int64)
        self._workloads = [
            Workload.model_construct(
                service=name, namespace="default", version="v1", instance=f"{name}-1"
            )
            for name in shape.services
        ]
        self._outgoing: list[list[int]] = [[] for _ in range(n)]
        self._incoming: list[list[int]] = [[] for _ in range(n)]
        for edge, (s, d) in enumerate(zip(shape.sources, shape.destinations, strict=True)):
            self._outgoing[s].append(edge)
            self._incoming[d].append(edge)
        self._endpoints = [self._endpoint(i) for i in range(n)]
        bounds = np.array(LATENCY_BUCKETS_MS)
        # Where each edge's calls fall: a log-normal spread around its typical latency.
        spread = self._rng.lognormal(0.0, 0.5, (e, 64)) * self._latency_ms[:, None]
        buckets = np.searchsorted(bounds, spread)
        self._bucket_share = np.stack(
            [np.bincount(row, minlength=BUCKETS) / row.size for row in buckets]
        )

    @property
    def sidecar_ids(self) -> list[str]:
        return [f"{name}-1" for name in self.shape.services]

    def infos(self) -> list[tuple[str, Info]]:
        """GetInfo of every sidecar, as the client delivers it once per connection."""
        return [
            (
                f"{name}-1",
                Info.model_construct(
                    service=name,
                    namespace="default",
                    instance=f"{name}-1",
                    labels={"version": "v1"},
                    sidecar_version="bench",
                    listeners=(Listener.model_construct(name="inbound", address="10.0.0.1:80"),),
                    config_version=1,
                    started_at=0.0,
                    state="ready",
                ),
            )
            for name in self.shape.services
        ]

    def advance(self, seconds: float = 1.0) -> None:
        """Let `seconds` of traffic happen on every edge."""
        rng = self._rng
        wander = rng.uniform(0.8, 1.2, self._rate.size)
        calls = rng.poisson(self._rate * wander * seconds)
        failed = rng.binomial(calls, self._error_share)
        ok = calls - failed
        self._ok += ok
        self._failed += failed
        self._ok_hist += np.rint(ok[:, None] * self._bucket_share).astype(np.int64)
        self._failed_hist += np.rint(failed[:, None] * self._bucket_share).astype(np.int64)
        self._latency_sum += calls * self._latency_ms
        self._retries += rng.binomial(failed, 0.5)

    def snapshots(self, taken_at: float) -> Iterator[tuple[str, StatsSnapshot]]:
        """(sidecar id, snapshot) of every sidecar as of `taken_at`, each edge reported by both
        ends as real sidecars do. Yielded one by one: the client converts and hands over one
        snapshot at a time, so only a few are alive at once (which matters to the GC's work)."""
        # A fresh bounds tuple per round, as the client makes one per snapshot: equal to the
        # model's bounds but not the same object.
        latency = tuple(float(b) for b in LATENCY_BUCKETS_MS)
        shape = self.shape
        for service, name in enumerate(shape.services):
            http: list[HttpEdge] = []
            tcp: list[TcpEdge] = []
            for reporter, edges in (("source", self._outgoing), ("destination", self._incoming)):
                for e in edges[service]:
                    if shape.tcp[e]:
                        tcp.append(self._tcp_report(e, reporter, latency))
                    else:
                        http.append(self._http_report(e, reporter, latency))
            endpoints = tuple(
                self._endpoints[int(shape.destinations[e])] for e in self._outgoing[service]
            )
            snapshot = StatsSnapshot.model_construct(
                taken_at=taken_at,
                config_version=1,
                http_edges=tuple(http),
                tcp_edges=tuple(tcp),
                endpoints=endpoints,
            )
            yield f"{name}-1", snapshot

    def _http_report(self, e: int, reporter: str, latency: tuple[float, ...]) -> HttpEdge:
        ok, failed = int(self._ok[e]), int(self._failed[e])
        responses = [_response(200, ok, latency, self._ok_hist[e], self._latency_sum[e])]
        if failed:
            responses.append(_response(503, failed, latency, self._failed_hist[e], 0.0))
        return HttpEdge.model_construct(
            reporter=reporter,
            source=self._workloads[int(self.shape.sources[e])],
            destination=self._workloads[int(self.shape.destinations[e])],
            responses=tuple(responses),
            in_flight=int(self._rate[e] * self._latency_ms[e] / 1000.0),
            retries=int(self._retries[e]) if reporter == "source" else 0,
            recovery_ms=_histogram(latency, np.zeros(BUCKETS, dtype=np.int64), 0.0),
        )

    def _tcp_report(self, e: int, reporter: str, latency: tuple[float, ...]) -> TcpEdge:
        opened = int(self._ok[e] + self._failed[e])
        return TcpEdge.model_construct(
            reporter=reporter,
            source=self._workloads[int(self.shape.sources[e])],
            destination=self._workloads[int(self.shape.destinations[e])],
            opened=opened,
            closed=opened,
            in_flight=2,
            sent_bytes=opened * 300,
            received_bytes=opened * 1500,
            duration_ms=_histogram(latency, self._ok_hist[e], self._latency_sum[e]),
        )

    def _endpoint(self, service: int) -> EndpointStatus:
        name = self.shape.services[service]
        return EndpointStatus.model_construct(
            name=f"{name}-1",
            service=name,
            address=f"10.{service // 250}.{service % 250}.1:80",
            healthy=True,
            ejected_until=None,
            ejection_count=0,
            drained=False,
            pending=0,
            weight=1,
            labels={"version": "v1"},
            rtt_estimate_ms=1.0,
        )


def _histogram(bounds: tuple[float, ...], counts: np.ndarray, total: float) -> Histogram:
    values = tuple(counts.tolist())
    return Histogram.model_construct(bounds=bounds, counts=values, sum=total, count=sum(values))


def _response(
    code: int, count: int, latency: tuple[float, ...], hist: np.ndarray, latency_sum: float
) -> ResponseStats:
    size_counts = np.zeros(len(BYTES_BUCKETS) + 1, dtype=np.int64)
    size_counts[3] = count
    sizes = _histogram(BYTES_BUCKETS, size_counts, count * 800.0)
    return ResponseStats.model_construct(
        code=code,
        flags="-",
        count=count,
        duration_ms=_histogram(latency, hist, latency_sum),
        request_bytes=sizes,
        response_bytes=sizes,
    )
