"""Synthetic sidecar histories with known answers: flows of calls per step, turned into the
cumulative snapshots real sidecars send, fed to an `EvidenceCollector` on a hand-moved clock."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from meshgui.demo.mesh_config import mesh_config
from meshgui.demo.plan import DemoPlan
from meshgui.model.suggestions import EvidenceCollector
from proxy.admin.models import EndpointStatus, HttpEdge, ResponseStats, StatsSnapshot, Workload
from proxy.config import MeshConfig
from tests.meshgui.model.snapshots import FakeClock, endpoint, histogram, workload

START = 1_000_000.0


def demo_mesh() -> MeshConfig:
    """The demo shop's mesh config (ports are made up; nothing listens)."""
    return mesh_config(DemoPlan.allocate(allocate_ports=lambda n: list(range(21000, 21000 + n))))


@dataclass(frozen=True)
class Flow:
    """Calls per step on one reported edge."""

    ok: int = 0
    failed: int = 0
    """Answered 503 by the app."""
    timeouts: int = 0
    """Ended by the mesh at the route's deadline (504, flags UT)."""
    latency_ms: float = 10.0
    failed_latency_ms: float = 5.0
    retries: int = 0
    recoveries: tuple[tuple[float, int], ...] = ()
    """(recovery time ms, how many) per step."""


@dataclass
class _Cumulative:
    responses: dict[tuple[int, str], list[tuple[float, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    retries: int = 0
    recoveries: list[tuple[float, int]] = field(default_factory=list)

    def add(self, flow: Flow) -> None:
        if flow.ok:
            self.responses[(200, "-")].append((flow.latency_ms, flow.ok))
        if flow.failed:
            self.responses[(503, "-")].append((flow.failed_latency_ms, flow.failed))
        if flow.timeouts:
            self.responses[(504, "UT")].append((flow.latency_ms * 100, flow.timeouts))
        self.retries += flow.retries
        self.recoveries.extend(flow.recoveries)

    def edge(self, reporter: str, source: Workload, destination: Workload) -> HttpEdge:
        responses = tuple(
            ResponseStats(
                code=code,
                flags=flags,
                count=sum(n for _, n in values),
                duration_ms=histogram(values),
                request_bytes=histogram([(100.0, sum(n for _, n in values))]),
                response_bytes=histogram([(100.0, sum(n for _, n in values))]),
            )
            for (code, flags), values in self.responses.items()
        )
        return HttpEdge(
            reporter=reporter,  # type: ignore[arg-type]
            source=source,
            destination=destination,
            responses=responses,
            in_flight=0,
            retries=self.retries,
            recovery_ms=histogram(self.recoveries),
        )


_EdgeKey = tuple[str, Workload, Workload]


class History:
    """Sidecars by id; each reports the flows set on it, every `step_s`."""

    def __init__(self, window_s: float = 300.0, step_s: float = 5.0) -> None:
        self.clock = FakeClock(START)
        self.collector = EvidenceCollector(clock=self.clock, window_s=window_s, step_s=step_s)
        self.step_s = step_s
        self._flows: dict[str, dict[_EdgeKey, Flow]] = defaultdict(dict)
        self._counts: dict[str, dict[_EdgeKey, _Cumulative]] = defaultdict(dict)
        self._endpoints: dict[str, tuple[EndpointStatus, ...]] = {}

    def flow(
        self, sidecar: str, reporter: str, source: Workload, destination: Workload, flow: Flow
    ) -> None:
        """From now on, each step adds `flow` to this edge of `sidecar` (replacing its flow)."""
        self._flows[sidecar][(reporter, source, destination)] = flow
        self._counts[sidecar].setdefault((reporter, source, destination), _Cumulative())

    def endpoints(self, sidecar: str, statuses: Iterable[EndpointStatus]) -> None:
        self._endpoints[sidecar] = tuple(statuses)

    def restart(self, sidecar: str) -> None:
        """The sidecar restarted: its counters start again from zero."""
        self._counts[sidecar] = {key: _Cumulative() for key in self._flows[sidecar]}

    def stop(self, sidecar: str) -> None:
        self._flows.pop(sidecar, None)
        self._counts.pop(sidecar, None)

    def run(self, seconds: float) -> None:
        """Let `seconds` pass, one step at a time; every sidecar reports after each step."""
        for _ in range(round(seconds / self.step_s)):
            self.clock.now += self.step_s
            self.report()

    def report(self) -> None:
        for sidecar, flows in self._flows.items():
            counts = self._counts[sidecar]
            for key, flow in flows.items():
                counts[key].add(flow)
            self.collector.ingest(sidecar, self.snapshot(sidecar))

    def snapshot(self, sidecar: str) -> StatsSnapshot:
        edges = tuple(cumulative.edge(*key) for key, cumulative in self._counts[sidecar].items())
        return StatsSnapshot(
            taken_at=self.clock.now,
            config_version=1,
            http_edges=edges,
            tcp_edges=(),
            endpoints=self._endpoints.get(sidecar, ()),
        )


# -- the demo shop's callers of inventory -----------------------------------------------------

WEB = workload("web", "web-1")
INV1 = workload("inventory", "inventory-1", "v1")
INV2 = workload("inventory", "inventory-2", "v2")


def inventory_endpoints(*, ejected: bool = False) -> list[EndpointStatus]:
    return [
        endpoint("inventory", "inventory-1", version="v1", healthy=not ejected),
        endpoint("inventory", "inventory-2", version="v2"),
    ]


def calls_to_inventory(
    history: History,
    inv1: Flow,
    inv2: Flow,
    *,
    inv1_own: Flow | None = None,
    inv2_own: Flow | None = None,
) -> None:
    """web calls both inventory instances (as web's sidecar counts it); each instance's own
    sidecar counts its tries (by default what the caller saw, retries as failed tries)."""
    history.flow("web-1", "source", WEB, INV1, inv1)
    history.flow("web-1", "source", WEB, INV2, inv2)
    history.endpoints("web-1", inventory_endpoints())
    for sidecar, target, own, seen in (
        ("inventory-1", INV1, inv1_own, inv1),
        ("inventory-2", INV2, inv2_own, inv2),
    ):
        tries = own or Flow(
            ok=seen.ok, failed=seen.failed + seen.retries, latency_ms=seen.latency_ms
        )
        history.flow(sidecar, "destination", WEB, target, tries)
