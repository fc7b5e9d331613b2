"""Stand-ins for the model behind the views: a small retail mesh as the model would show it, a
model that hands out prepared views, and a trivial layout. Views are tested alone with these."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import numpy as np
from pytestqt.qtbot import QtBot

from meshgui.model.types import (
    EdgeHistory,
    EdgeKey,
    EdgeStats,
    EdgeView,
    InstanceView,
    NodeHealth,
    NodeView,
    TopologyView,
)
from meshgui.views.topology_canvas import TopologyCanvas

DISCONNECTED_AT = 1_700_000_000.0
NOW = DISCONNECTED_AT + 600

WEB_CART = EdgeKey("web", "cart", "http")
WEB_INVENTORY = EdgeKey("web", "inventory", "http")
CART_INVENTORY = EdgeKey("cart", "inventory", "http")
INVENTORY_DB = EdgeKey("inventory", "inventory-db", "tcp")
WEB_RECOMMENDATIONS = EdgeKey("web", "recommendations", "http")
RECOMMENDATIONS_TAGS = EdgeKey("recommendations", "product-tags", "http")


def stats(rps: float, error_pct: float = 0.0, p99: float | None = 42.0, **kw: Any) -> EdgeStats:
    values: dict[str, Any] = dict(
        rps=rps,
        error_pct=error_pct,
        p50_ms=None if p99 is None else p99 / 8,
        p90_ms=None if p99 is None else p99 / 2,
        p99_ms=p99,
        in_flight=3,
        retries_per_s=0.25,
        bytes_per_s=12_300.0,
    )
    values.update(kw)
    return EdgeStats(**values)


def edge(key: EdgeKey, s: EdgeStats, health: NodeHealth = NodeHealth.HEALTHY) -> EdgeView:
    return EdgeView(key, s, health)


def instance(name: str, service: str, state: str = "ready", rps: float = 10.0) -> InstanceView:
    return InstanceView(name, service, "v1", state, rps, 0.5, f"127.0.0.1:{4000 + len(name)}")  # type: ignore[arg-type]


def node(
    name: str,
    count: int = 1,
    health: NodeHealth = NodeHealth.HEALTHY,
    protocol: str = "http",
    disconnected_since: float | None = None,
    rps_in: float = 20.0,
) -> NodeView:
    instances = tuple(instance(f"{name}-{i + 1}", name) for i in range(count))
    return NodeView(name, protocol, instances, health, disconnected_since, rps_in, 0.5, 42.0)  # type: ignore[arg-type]


def retail_view(**overrides: Any) -> TopologyView:
    nodes = {
        "web": node("web", rps_in=0.0),
        "cart": node("cart"),
        "inventory": node(
            "inventory", 2, NodeHealth.DISCONNECTED, disconnected_since=DISCONNECTED_AT
        ),
        "inventory-db": node("inventory-db", protocol="tcp"),
        "recommendations": node("recommendations", health=NodeHealth.DEGRADED),
        "product-tags": node("product-tags", health=NodeHealth.FAILING),
    }
    edges = {
        WEB_CART: edge(WEB_CART, stats(120.3, 0.52, 42.5)),
        WEB_INVENTORY: edge(WEB_INVENTORY, stats(3.0)),
        CART_INVENTORY: edge(CART_INVENTORY, stats(55.0, 2.5), NodeHealth.DEGRADED),
        INVENTORY_DB: edge(INVENTORY_DB, stats(4.0, p99=None, bytes_per_s=2_500_000.0)),
        WEB_RECOMMENDATIONS: edge(WEB_RECOMMENDATIONS, stats(30.0)),
        RECOMMENDATIONS_TAGS: edge(
            RECOMMENDATIONS_TAGS, stats(30.0, 35.0, 900.0), NodeHealth.FAILING
        ),
    }
    view = TopologyView(nodes, edges, NOW - 2, 5, 6)
    return replace(view, **overrides)


def history(n: int = 300, start: float = NOW - 300) -> EdgeHistory:
    t = start + np.arange(n, dtype=float)
    wave = 10 + 5 * np.sin(np.arange(n) / 20)
    rps = wave.copy()
    rps[n // 2 : n // 2 + 10] = np.nan  # a gap
    return EdgeHistory(t, rps, wave / 10, wave, wave * 2, wave * 4)


class FakeModel:
    """Hands out `views` in turn; records what the session and the dock asked of it."""

    def __init__(self, view: TopologyView | None = None) -> None:
        self.current = view or retail_view()
        self.changed: set[EdgeKey] = set(self.current.edges)
        self.sidecars: list[str] = []
        self.ingested: list[tuple[str, Any]] = []
        self.connected: list[tuple[str, float]] = []
        self.disconnected: list[tuple[str, float]] = []
        self.history_calls: list[tuple[EdgeKey, float]] = []

    def set_sidecars(self, ids: Any) -> None:
        self.sidecars = list(ids)

    def ingest(self, sidecar_id: str, snapshot: Any) -> None:
        self.ingested.append((sidecar_id, snapshot))

    def sidecar_connected(self, sidecar_id: str, at: float) -> None:
        self.connected.append((sidecar_id, at))

    def sidecar_disconnected(self, sidecar_id: str, at: float) -> None:
        self.disconnected.append((sidecar_id, at))

    def view(self) -> TopologyView:
        return self.current

    def changed_edges(self) -> set[EdgeKey]:
        changed, self.changed = self.changed, set()
        return changed

    def history(self, key: EdgeKey, seconds: float) -> EdgeHistory:
        self.history_calls.append((key, seconds))
        return history(int(seconds))


class ColumnLayout:
    """Callers left of callees by longest path; records the thread it ran on."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.calls = 0

    def __call__(
        self, nodes: list[str], edges: list[tuple[str, str]], *, layer_gap: float, node_gap: float
    ) -> dict[str, tuple[float, float]]:
        self.threads.append(threading.current_thread())
        self.calls += 1
        depth = dict.fromkeys(nodes, 0)
        for _ in nodes:  # fine for a handful of acyclic nodes
            for a, b in edges:
                if a != b:
                    depth[b] = max(depth[b], depth[a] + 1)
        rows: dict[int, int] = {}
        positions = {}
        for name in nodes:
            row = rows.get(depth[name], 0)
            rows[depth[name]] = row + 1
            positions[name] = (depth[name] * layer_gap, row * node_gap)
        return positions


def canvas_showing(
    qtbot: QtBot, view: TopologyView, layout: ColumnLayout | None = None
) -> TopologyCanvas:
    """A visible 1400x700 canvas with `view` laid out (column layout: no thread, no jitter)."""
    canvas = TopologyCanvas(layout_function=layout or ColumnLayout())
    qtbot.addWidget(canvas)
    canvas.resize(1400, 700)
    canvas.show()
    with qtbot.waitSignal(canvas.layout_applied, timeout=5000):
        canvas.apply_view(view)
    return canvas
