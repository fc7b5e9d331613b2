"""The layout figures of the GUI benchmark: how long the layered layout of a large mesh takes
through the real `LayoutRunner` (off the GUI thread), how late the GUI's event loop ran
meanwhile, and how long applying the positions to the canvas holds the GUI thread.

Lateness is watched by a 10 ms QTimer on the GUI thread while the real event loop (`QEventLoop`)
runs: a stall is the time between two of its ticks beyond the 10 ms asked for.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from _gui_canvas import ShownMesh, qt_app
from _gui_mesh import MeshShape
from PySide6.QtCore import QEventLoop, QTimer, SignalInstance

from meshgui.views.layout_runner import LayoutRunner

HEARTBEAT_MS = 10
RUN_TIMEOUT_MS = 20_000


class Heartbeat:
    """A QTimer on the GUI thread; `longest_gap_ms` since `reset` says how late it ran."""

    def __init__(self) -> None:
        self._timer = QTimer()
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._beat)
        self._last = time.perf_counter()
        self.gaps: list[float] = []
        self._timer.start()

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def reset(self) -> None:
        self._last = time.perf_counter()
        self.gaps.clear()

    def stall_ms(self) -> float:
        """The longest wait beyond the interval (0 when the timer always ran on time)."""
        return max(0.0, max(self.gaps, default=0.0) - HEARTBEAT_MS)

    def stop(self) -> None:
        self._timer.stop()


def run_until(signal: SignalInstance, what: str) -> None:
    """The real event loop until `signal` fires; SystemExit after RUN_TIMEOUT_MS."""
    loop = QEventLoop()
    fired: list[bool] = []

    def done(*_args: object) -> None:
        fired.append(True)
        loop.quit()

    signal.connect(done)
    QTimer.singleShot(RUN_TIMEOUT_MS, loop.quit)
    loop.exec()
    signal.disconnect(done)
    if not fired:
        raise SystemExit(f"bench_gui: {what} did not finish within {RUN_TIMEOUT_MS / 1000:g} s")


@dataclass
class LayoutFigures:
    seconds: list[float]
    """Request to result on the GUI thread, per run."""
    stalls_ms: list[float]
    """The event loop's worst lateness during each run."""
    apply_stalls_ms: list[float]
    """The same while the canvas lays out again and applies the positions (Ctrl+L)."""

    @property
    def worst_s(self) -> float:
        return max(self.seconds)

    @property
    def median_s(self) -> float:
        return statistics.median(self.seconds)


def measure_layout(shape: MeshShape, runs: int, canvas_runs: int) -> LayoutFigures:
    app = qt_app()
    nodes, edges = list(shape.services), shape.edge_pairs()
    runner = LayoutRunner()
    heartbeat = Heartbeat()
    seconds, stalls = [], []
    try:
        for _ in range(runs):
            app.processEvents()
            heartbeat.reset()
            started = time.perf_counter()
            runner.request(nodes, edges)
            run_until(runner.finished, "the layout")
            seconds.append(time.perf_counter() - started)
            stalls.append(heartbeat.stall_ms())
        runner.wait()
        shown = ShownMesh(shape)
        shown.show()
        apply_stalls = []
        for _ in range(canvas_runs):
            app.processEvents()
            heartbeat.reset()
            shown.canvas.relayout()
            run_until(shown.canvas.layout_applied, "the canvas's layout")
            app.processEvents()  # the repaint the new positions asked for
            apply_stalls.append(heartbeat.stall_ms())
        shown.close()
    finally:
        heartbeat.stop()
    return LayoutFigures(seconds, stalls, apply_stalls)
