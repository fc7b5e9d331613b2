"""What saving and opening an incident bundle costs: the demo's size, and 1,000 edges x 1 h.

A plain script, not a test: `python tests/perf/bench_incident_bundle.py`. The history comes from
the model's own store filled for an hour with the app's defaults (1 s steps for 5 min, 10 s
before), so each edge has the ~630 points a real bundle holds. Gathering runs on the GUI thread
in the app, writing in a worker: the figures say whether that split is needed. Prints one line
per figure and, last, one JSON line with all of them.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from meshgui.model.change_journal import JournalEntry
from meshgui.model.edge_csv import edges_history_csv
from meshgui.model.edge_history import METRICS, EdgeHistoryStore
from meshgui.model.incident_bundle import read_bundle
from meshgui.model.incident_bundle_writer import gather_bundle, write_bundle
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

START = 1_700_000_000.0
HOUR_S = 3600


def filled_store(edges: int) -> EdgeHistoryStore:
    store = EdgeHistoryStore(history_s=3600.0, resolution_s=1.0, fine_s=300.0, coarse_s=10.0)
    rng = np.random.default_rng(7)
    base = rng.uniform(1.0, 500.0, size=(METRICS, edges))
    for second in range(HOUR_S):
        row = base * rng.uniform(0.8, 1.2, size=base.shape)
        row[:, ::13] = np.nan  # idle edges: no percentiles, gaps
        store.record(START + second, row.astype(np.float32).astype(np.float64))
    return store


def mesh_view(edges: int) -> tuple[TopologyView, list[EdgeKey]]:
    services = max(2, edges // 5)
    keys = [
        EdgeKey(f"svc-{i % services}", f"svc-{(i * 7 + 1) % services}", "http")
        for i in range(edges)
    ]
    keys = sorted(set(keys)) + [
        EdgeKey(f"svc-{i}", f"extra-{i}", "http") for i in range(edges - len(set(keys)))
    ]
    names = {k.source for k in keys} | {k.destination for k in keys}
    healthy = NodeHealth.HEALTHY
    nodes = {
        name: NodeView(
            name,
            "http",
            tuple(InstanceView(f"{name}-{i}", name, "v1", "ready", 5.0, 0.0, None) for i in (1, 2)),
            healthy,
            None,
            10.0,
            0.0,
            20.0,
        )
        for name in names
    }
    busy = EdgeStats(10.0, 0.5, 2.0, 8.0, 20.0, 1, 0.0, 1000.0)
    view = TopologyView(nodes, {k: EdgeView(k, busy, healthy) for k in keys}, START + HOUR_S, 1, 1)
    return view, keys


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return (time.perf_counter() - start) * 1000.0, result


def measure(label: str, edges: int, directory: Path) -> dict[str, float]:
    store = filled_store(edges)
    view, keys = mesh_view(edges)
    index = {key: i for i, key in enumerate(keys)}

    def history(key: EdgeKey, seconds: float) -> EdgeHistory:
        return store.read(index[key], seconds)

    journal = [
        JournalEntry(START + i, "bench", f"change {i}", "-a\n+b\n", "applied", {"web-1": i})
        for i in range(200)
    ]
    gather_ms, contents = timed(
        lambda: gather_bundle(view, history, profile="bench", mesh=None, journal=journal)
    )
    path = directory / f"{label}.zip"
    write_ms, _ = timed(lambda: write_bundle(path, contents))
    read_ms, bundle = timed(lambda: read_bundle(path))
    assert len(bundle.edge_keys) == edges
    selected = {key: contents.histories[key] for key in keys[:10]}
    csv_ms, _ = timed(lambda: edges_history_csv(selected))
    figures = {
        f"{label}_gather_ms": gather_ms,
        f"{label}_write_ms": write_ms,
        f"{label}_read_ms": read_ms,
        f"{label}_csv_10_edges_ms": csv_ms,
        f"{label}_bundle_mb": path.stat().st_size / 1e6,
        f"{label}_points_per_edge": float(len(next(iter(contents.histories.values())).t)),
    }
    for name, value in figures.items():
        print(f"{name}: {value:.1f}")
    return figures


def main() -> None:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as directory:
        figures.update(measure("demo_8_edges", 8, Path(directory)))
        figures.update(measure("edges_1000", 1000, Path(directory)))
    print(json.dumps({"bench": "incident_bundle", **{k: round(v, 2) for k, v in figures.items()}}))


if __name__ == "__main__":
    main()
