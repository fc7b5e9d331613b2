"""The GUI benchmark's memory figure, measured in a process of its own (`bench_gui.py --memory`)
so that nothing the other measurements built counts towards it.

The process holds what the app holds with a large mesh: the model of 1,000 services / 5,000
edges with an hour of history, the canvas showing all of it, and the details dock charting one
edge over the last hour. The hour is filled by driving the model with its injected clock: 10 s
steps (the coarse tier's resolution) for the first 55 minutes, 1 s steps for the last 5, so every
slot of both history tiers is written. Live snapshots flow before and after the hour; in between
the sidecars are silent (the history's memory does not depend on the values written).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from _gui_canvas import ShownMesh, qt_app
from _gui_mesh import mesh_shape

from meshgui.views.details_dock import DetailsDock

SERVICES, EDGES = 1000, 5000
HOUR_S = 3600
FINE_S = 300
COARSE_STEP_S = 10
LIVE_TICKS = 5


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def fill_history(shown: ShownMesh) -> None:
    model, clock = shown.model, shown.clock
    for _ in range((HOUR_S - FINE_S) // COARSE_STEP_S):
        clock.now += COARSE_STEP_S
        model.view()
    for _ in range(FINE_S):
        clock.now += 1.0
        model.view()


def measure_memory() -> dict[str, float]:
    app = qt_app()
    baseline = rss_mb()
    started = time.perf_counter()
    shown = ShownMesh(mesh_shape(SERVICES, EDGES))
    shown.show()
    dock = DetailsDock()
    dock.resize(460, 900)
    dock.set_source(shown.model.history)
    dock.show()
    key = sorted(shown.model.view().edges)[0]
    dock.select_edge(key)
    dock.charts.window_box.setCurrentIndex(dock.charts.window_box.count() - 1)  # the hour
    for _ in range(LIVE_TICKS):
        shown.tick()
    fill_history(shown)
    for _ in range(LIVE_TICKS):
        shown.tick()
        dock.refresh(shown.model.view())
    app.processEvents()
    history = shown.model.history(key, HOUR_S)
    figures = {
        "rss_mb": rss_mb(),
        "rss_peak_mb": rss_mb("VmHWM"),
        "rss_before_mesh_mb": baseline,
        "history_points": float(len(history.t)),
        "memory_run_s": time.perf_counter() - started,
    }
    dock.close()
    shown.close()
    return figures


def main() -> None:
    print(json.dumps({name: round(value, 1) for name, value in measure_memory().items()}))
