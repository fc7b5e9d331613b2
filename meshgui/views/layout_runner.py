"""Runs the layered layout off the GUI thread (a one-thread QThreadPool) and hands the result
back through a queued signal. The newest request wins: one still running finishes, any request
queued behind it is replaced, and only the latest job's result is delivered.

The result is a `LaidOut`: node positions, and the bends of the edges that skip layers (made
into polygons on the pool thread too, so applying them costs the GUI thread little)."""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QPointF, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QPolygonF

from meshgui.model.layout import LayeredLayout
from meshgui.views.node_item import NODE_WIDTH

LAYER_GAP = 360.0
"""Room between caller and callee columns for an edge label beside 176-wide nodes."""
NODE_GAP = 110.0
BEND_GAP = 36.0
"""Room a layer leaves for each edge that crosses it: two such edges' labels (30 high) fit."""
MAX_BENT_EDGES = 1000
"""Beyond this many edges that skip layers, all are drawn straight. Routing a bent edge costs
the GUI thread ~0.1 ms when the layout is applied, and the worker's extra objects can set off a
full garbage collection: the 1,000 / 5,000 benchmark mesh has 3,500 of them, which took Ctrl+L
from ~50 to ~450 ms and stalled the GUI ~150 ms during the layout. A mesh that size is read
zoomed out, where the overview draws edges straight anyway."""

Positions = dict[str, tuple[float, float]]
LayoutFunction = Callable[..., Positions | LayeredLayout]
"""(nodes, edges, *, layer_gap, node_gap) -> positions, or positions with bends."""


@dataclass(frozen=True)
class LaidOut:
    positions: Positions
    bends: dict[tuple[str, str], QPolygonF]
    """Per (caller, callee) edge that skips layers: the points it passes, caller side first."""


def laid_out(result: Positions | LayeredLayout) -> LaidOut:
    if isinstance(result, LayeredLayout):
        bends = {
            edge: QPolygonF([QPointF(x, y) for x, y in points])
            for edge, points in result.bends.items()
        }
        return LaidOut(result.positions, bends)
    return LaidOut(dict(result), {})


log = logging.getLogger(__name__)


def default_layout_function() -> LayoutFunction:
    from meshgui.model.layout import layered_layout_with_bends

    # Bent edges run level through a crossed layer for a node's width: between its boxes.
    return functools.partial(
        layered_layout_with_bends,
        bend_gap=BEND_GAP,
        bend_width=NODE_WIDTH,
        max_bent_edges=MAX_BENT_EDGES,
    )


class LayoutRunner(QObject):
    finished = Signal(int, object)  # job id, LaidOut
    failed = Signal(int, str)  # job id, what went wrong

    _done = Signal(int, object)  # from the pool thread: job id, positions or an exception

    def __init__(
        self, parent: QObject | None = None, layout_function: LayoutFunction | None = None
    ) -> None:
        super().__init__(parent)
        self._function = layout_function
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._latest = 0
        self._running = False
        self._queued: tuple[int, list[str], list[tuple[str, str]]] | None = None
        self._done.connect(self._on_done)

    @property
    def busy(self) -> bool:
        return self._running

    def request(self, nodes: Sequence[str], edges: Sequence[tuple[str, str]]) -> int:
        """Lay out `nodes` joined by (caller, callee) `edges`; returns the job id."""
        self._latest += 1
        job = (self._latest, list(nodes), list(edges))
        if self._running:
            self._queued = job
        else:
            self._start(*job)
        return self._latest

    def wait(self, msecs: int = 5000) -> bool:
        """For tests and shutdown: wait for the pool to be idle."""
        return bool(self._pool.waitForDone(msecs))

    def _start(self, job: int, nodes: list[str], edges: list[tuple[str, str]]) -> None:
        if self._function is None:
            self._function = default_layout_function()
        function, done = self._function, self._done

        def run() -> None:
            result: Any
            try:
                result = laid_out(function(nodes, edges, layer_gap=LAYER_GAP, node_gap=NODE_GAP))
            except Exception as exc:  # reported on the GUI thread; a pool thread must not die
                result = exc
            with contextlib.suppress(RuntimeError):  # the runner was deleted meanwhile
                done.emit(job, result)

        self._running = True
        self._pool.start(QRunnable.create(run))

    def _on_done(self, job: int, result: object) -> None:
        self._running = False
        if self._queued is not None:
            queued, self._queued = self._queued, None
            self._start(*queued)
        if job != self._latest:
            return
        if isinstance(result, Exception):
            log.warning("layout failed: %s", result)
            self.failed.emit(job, f"{type(result).__name__}: {result}")
        else:
            self.finished.emit(job, result)
