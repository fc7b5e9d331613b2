"""The desktop app's figures on large synthetic meshes: no network, offscreen Qt.

A plain script, not a test: `python tests/perf/bench_gui.py` (`make bench-gui`).

- update_p95_ms / update1000_p95_ms: GUI-thread time of one 1 Hz refresh, p95 over the measured
  seconds, for 300 services / 1,500 edges (target <= 35 ms) and 1,000 / 5,000 (<= 60 ms). A
  refresh on the GUI thread is: receiving the view through a queued signal,
  `TopologyCanvas.apply_view`, and the event loop until the canvas (1600x1000, whole graph
  fitted) has painted once. Snapshots are built outside the timings (the client thread's work);
  the model ingests each second's snapshots on a worker thread, as the app's client does, and
  computes `changed_edges()` + `view()` there (`MeshSession.publish_view`); those wall times
  are reported apart (`update1000_worker_ingest_*`, `update1000_worker_view_*`), not as GUI
  time. `--ingest-on-gui` measures the old way (all of it on the GUI thread).
- layout_1000_s: layered layout of 1,000 / 5,000 through the real `LayoutRunner`, request to
  result, worst of the runs (target <= 1 s); layout_gui_stall_ms: the GUI event loop's worst
  lateness meanwhile, by a 10 ms QTimer (target <= 50 ms).
- rss_mb: resident memory of a process holding 1,000 / 5,000 with an hour of history, the canvas
  and the details dock (target <= 300 MB), measured in a child process of its own.

Prints the figures beside their targets and, last, one JSON line with all of them. The machine
is shared: run it twice and read the figures as a range, not a point.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _gui_canvas import ShownMesh, TickTimes, qt_app, qt_messages
from _gui_layout import measure_layout
from _gui_mesh import mesh_shape

WARMUP_TICKS = 12
"""More than the model's 10 s window: rates settle, every edge has two samples."""
TARGETS = {
    "update_p95_ms": 35.0,
    "update1000_p95_ms": 60.0,
    "layout_1000_s": 1.0,
    "layout_gui_stall_ms": 50.0,
    "rss_mb": 300.0,
}
MEMORY_TIMEOUT_S = 240


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ticks", type=int, default=40, help="measured seconds, 300 services")
    parser.add_argument("--ticks1000", type=int, default=30, help="measured seconds, 1,000")
    parser.add_argument("--layout-runs", type=int, default=5)
    parser.add_argument(
        "--ingest-on-gui",
        action="store_true",
        help="ingest and compute the view on the GUI thread (the old way)",
    )
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)  # the child
    return parser.parse_args()


def p95(samples: list[float]) -> float:
    """Nearest rank: the smallest sample at or above 95% of them."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure_updates(
    services: int, edges: int, ticks: int, ingest_on_gui: bool = False
) -> list[TickTimes]:
    shown = ShownMesh(mesh_shape(services, edges), ingest_off_gui=not ingest_on_gui)
    try:
        shown.show()
        for _ in range(WARMUP_TICKS):
            shown.tick()
        shown.untimed_paints = 0
        times = [shown.tick() for _ in range(ticks)]
        if shown.untimed_paints:
            print(f"warning: {shown.untimed_paints} paints fell outside the timed ticks")
        return times
    finally:
        shown.close()


def print_updates(label: str, times: list[TickTimes], target: float) -> None:
    totals = [t.total for t in times]
    parts = "  ".join(
        f"{name} {statistics.median(getattr(t, name) for t in times):5.1f}"
        for name in ("ingest", "view", "apply", "paint", "gc")
    )
    print(
        f"update {label:<12} p95 {p95(totals):7.1f} ms  (target <= {target:g})"
        f"  median {statistics.median(totals):6.1f}  max {max(totals):6.1f}"
        f"  over {len(times)} s"
    )
    changed = statistics.median(t.changed for t in times)
    paints = {t.paints for t in times}
    cpu = [t.cpu for t in times]
    print(f"    median parts ms: {parts}  (edges changed per s: {changed:.0f}; paints/s {paints})")
    rest = p95(without_ingest(times))
    print(
        f"    view + apply + paint alone (ingest moved to the client thread): p95 {rest:.1f} ms;"
        f" GC pauses within: p95 {p95([t.gc for t in times]):.1f} ms"
    )
    print(
        f"    GUI thread's CPU time: p95 {p95(cpu):.1f} ms, median {statistics.median(cpu):.1f}"
        " (wall time above also counts waiting for a core)"
    )
    worker = [t.worker_ingest for t in times]
    if any(worker):
        worker_cpu = [t.worker_ingest_cpu for t in times]
        print(
            f"    ingest on the client's worker thread (not GUI time): wall p95 {p95(worker):.1f}"
            f" ms, median {statistics.median(worker):.1f}; CPU median"
            f" {statistics.median(worker_cpu):.1f}"
        )
        view = [t.worker_view for t in times]
        print(
            f"    changed edges + view on the worker thread (not GUI time): wall p95"
            f" {p95(view):.1f} ms, median {statistics.median(view):.1f}; CPU median"
            f" {statistics.median(t.worker_view_cpu for t in times):.1f}"
        )


def without_ingest(times: list[TickTimes]) -> list[float]:
    return [t.view + t.apply + t.paint for t in times]


def measure_memory_in_child() -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--memory"],
        capture_output=True,
        text=True,
        timeout=MEMORY_TIMEOUT_S,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench_gui: the memory run failed:\n{done.stdout}\n{done.stderr}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    args = parse_args()
    if args.memory:
        from _gui_memory import main as memory_main

        memory_main()
        return
    started = time.perf_counter()
    qt_app()
    small = measure_updates(300, 1500, args.ticks, args.ingest_on_gui)
    print_updates("300/1500", small, TARGETS["update_p95_ms"])
    large = measure_updates(1000, 5000, args.ticks1000, args.ingest_on_gui)
    print_updates("1000/5000", large, TARGETS["update1000_p95_ms"])
    layout = measure_layout(mesh_shape(1000, 5000), args.layout_runs, canvas_runs=3)
    print(
        f"layout 1000/5000     worst {layout.worst_s:6.3f} s   (target <= "
        f"{TARGETS['layout_1000_s']:g})"
        f"  median {layout.median_s:.3f} s over {len(layout.seconds)} runs, off the GUI thread"
    )
    print(
        f"GUI stall meanwhile  worst {max(layout.stalls_ms):6.1f} ms  (target <= "
        f"{TARGETS['layout_gui_stall_ms']:g})"
        f"  applying the positions on the canvas (Ctrl+L): worst "
        f"{max(layout.apply_stalls_ms):.0f} ms"
    )
    memory = measure_memory_in_child()
    print(
        f"memory 1000/5000 + 1 h history  {memory['rss_mb']:6.1f} MB  (target <= "
        f"{TARGETS['rss_mb']:g})"
        f"  peak {memory['rss_peak_mb']:.0f} MB; {memory['rss_before_mesh_mb']:.0f} MB before"
        f" the mesh; the dock charts {memory['history_points']:.0f} points"
    )
    if qt_messages:
        print(f"Qt said {len(qt_messages)} things, first: {qt_messages[0]}")
    print(f"(whole bench {time.perf_counter() - started:.0f} s; shared machine: run it twice)")
    figures = {
        "update_p95_ms": p95([t.total for t in small]),
        "update1000_p95_ms": p95([t.total for t in large]),
        "layout_1000_s": layout.worst_s,
        "layout_gui_stall_ms": max(layout.stalls_ms),
        "rss_mb": memory["rss_mb"],
        "update_median_ms": statistics.median(t.total for t in small),
        "update_cpu_p95_ms": p95([t.cpu for t in small]),
        "update1000_cpu_p95_ms": p95([t.cpu for t in large]),
        "update1000_median_ms": statistics.median(t.total for t in large),
        "update1000_ingest_median_ms": statistics.median(t.ingest for t in large),
        "update1000_worker_ingest_median_ms": statistics.median(t.worker_ingest for t in large),
        "update1000_worker_ingest_p95_ms": p95([t.worker_ingest for t in large]),
        "update1000_worker_view_median_ms": statistics.median(t.worker_view for t in large),
        "update1000_worker_view_p95_ms": p95([t.worker_view for t in large]),
        "update1000_view_median_ms": statistics.median(t.view for t in large),
        "update1000_apply_median_ms": statistics.median(t.apply for t in large),
        "update1000_paint_median_ms": statistics.median(t.paint for t in large),
        "update1000_gc_p95_ms": p95([t.gc for t in large]),
        "update_without_ingest_p95_ms": p95(without_ingest(small)),
        "update1000_without_ingest_p95_ms": p95(without_ingest(large)),
        "layout_apply_stall_ms": max(layout.apply_stalls_ms),
        "rss_peak_mb": memory["rss_peak_mb"],
    }
    print(json.dumps({name: round(value, 3) for name, value in figures.items()}))


if __name__ == "__main__":
    main()
