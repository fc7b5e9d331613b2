"""The GUI benchmark's stage: an offscreen QApplication, and a synthetic mesh shown on the real
`TopologyCanvas` through the real `MeshModel`, the way `MainWindow` shows it, one tick a second.

A tick is what the GUI thread does for one second of a live mesh: the snapshots every sidecar
sent that second are ingested by the client's worker thread, as the app does (`MeshClient`
calls `MeshModel.ingest` on its loop thread), which then computes the changed edges and the view
and posts them to the GUI thread through a queued signal (`MeshSession.publish_view`,
`ViewPost`); both are timed apart from the GUI thread's share. The GUI thread's share is the
event loop from receiving that signal, applying the view to the canvas, until the canvas has
painted. (`ingest_off_gui=False` measures the old way: ingest, changed edges and view on the GUI
thread.) The paint is the one the changes schedule; when they scheduled none, the tick forces
one, so every tick includes exactly one real repaint of the viewport.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a benchmark never opens a window

from _gui_feed import SnapshotFeed
from _gui_mesh import MeshShape
from PySide6.QtCore import QEvent, QObject, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from meshgui.model.mesh_model import MeshModel
from meshgui.views.topology_canvas import TopologyCanvas
from meshgui.views.view_post import ViewPost

VIEW_SIZE = (1600, 1000)
START_AT = 1_750_000_000.0
EVENT_SPINS = 50
"""Event-loop passes a tick may take to deliver the paint its changes scheduled."""
LAYOUT_TIMEOUT_S = 30.0

qt_messages: list[str] = []


def qt_app() -> QApplication:
    """The one QApplication; Qt's warnings are collected (the report shows them) rather than
    lost in the output."""
    app = QApplication.instance()
    if app is None:

        def keep(kind: QtMsgType, _context: Any, message: str) -> None:
            if kind != QtMsgType.QtDebugMsg:
                qt_messages.append(message)

        qInstallMessageHandler(keep)
        app = QApplication(["bench_gui"])
    assert isinstance(app, QApplication)
    return app


class PaintCounter(QObject):
    """Counts paint events of one widget (the canvas's viewport)."""

    def __init__(self, watched: QObject) -> None:
        super().__init__(watched)
        self.count = 0
        watched.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


class GcPauses:
    """Adds up the cyclic garbage collector's pauses; at this many objects a full collection
    takes tens of milliseconds, and it runs on whichever thread allocated."""

    def __init__(self) -> None:
        self.total_ms = 0.0
        self.counting = False
        """Only pauses while this is set count: those inside the timed parts of a tick."""
        self._started = 0.0
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif self.counting:
            self.total_ms += (time.perf_counter() - self._started) * 1000

    def close(self) -> None:
        gc.callbacks.remove(self._on_gc)


class FakeClock:
    def __init__(self, now: float = START_AT) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class TickTimes:
    """Milliseconds of each part of one tick on the GUI thread."""

    ingest: float
    view: float
    apply: float
    paint: float
    paints: int
    changed: int
    gc: float
    """Of the above, the garbage collector's pauses."""
    cpu: float
    """CPU time of the GUI thread over the same parts: on a shared machine, wall time also
    counts the waits for a core, which CPU time leaves out."""
    worker_ingest: float = 0.0
    """Wall ms of the ingest on the client's worker thread (not GUI time; 0 when on the GUI)."""
    worker_ingest_cpu: float = 0.0
    worker_view: float = 0.0
    """Wall ms of `changed_edges()` + `view()` on the worker thread (0 when on the GUI)."""
    worker_view_cpu: float = 0.0

    @property
    def total(self) -> float:
        return self.ingest + self.view + self.apply + self.paint


@dataclass
class ShownMesh:
    """A synthetic mesh fed into the real model and shown on the real canvas."""

    shape: MeshShape
    feed: SnapshotFeed = field(init=False)
    clock: FakeClock = field(init=False)
    model: MeshModel = field(init=False)
    canvas: TopologyCanvas = field(init=False)
    paints: PaintCounter = field(init=False)
    gc_pauses: GcPauses = field(init=False)
    untimed_paints: int = 0
    """Paints that happened outside any tick's timing (should stay 0)."""
    first_show_ms: float = 0.0
    """GUI-thread time to build every item when the mesh first appears (not per tick)."""
    ingest_off_gui: bool = True
    """Ingest and compute the view on a worker thread, as the app's client does; False: both
    on the GUI thread."""
    post: ViewPost = field(init=False)
    _client_thread: ThreadPoolExecutor = field(init=False)
    _delivered: list[float] = field(init=False, default_factory=list)
    """perf_counter() when the posted view reached the GUI thread and when it was applied."""

    def __post_init__(self) -> None:
        app = qt_app()
        self.feed = SnapshotFeed(self.shape)
        self.clock = FakeClock()
        self.model = MeshModel(clock=self.clock)
        self.model.set_sidecars(self.feed.sidecar_ids)
        for sidecar_id, info in self.feed.infos():
            self.model.set_info(sidecar_id, info)
        self.canvas = TopologyCanvas()
        self.canvas.resize(*VIEW_SIZE)
        self.canvas.show()
        # As `meshgui.app.keep_gc_pauses_short` does (importing the app would count all of its
        # imports in the memory figure).
        self.canvas.layout_applied.connect(gc.freeze)
        self.paints = PaintCounter(self.canvas.viewport())
        self.gc_pauses = GcPauses()
        self.post = ViewPost()
        self.post.delivered.connect(self._apply_posted)
        self._client_thread = ThreadPoolExecutor(1, thread_name_prefix="bench-client")
        app.processEvents()

    def show(self) -> None:
        """Two seconds of data (a rate needs two snapshots), the first view, the layout, and the
        whole graph fitted into the view, as `MainWindow` does on connecting."""
        laid_out: list[bool] = []
        self.canvas.layout_applied.connect(lambda: laid_out.append(True))
        for _ in range(2):
            self._ingest(self._next_second())
        started = time.perf_counter()
        changed = self.model.changed_edges()
        self.canvas.apply_view(self.model.view(), changed)
        self.first_show_ms = (time.perf_counter() - started) * 1000
        spin_until(lambda: bool(laid_out), LAYOUT_TIMEOUT_S, "the layout never arrived")
        self.canvas.fit_to_window()
        qt_app().processEvents()

    def tick(self) -> TickTimes:
        """One second of the live mesh; only the GUI thread's share is timed."""
        app = qt_app()
        painted_before = self.paints.count
        app.processEvents()  # nothing of the previous tick left over
        # A paint here would be the previous tick's, missed by its timing: say so.
        self.untimed_paints += self.paints.count - painted_before
        painted_before = self.paints.count
        gc_before = self.gc_pauses.total_ms
        worker_s = worker_cpu_s = view_s = view_cpu_s = 0.0
        ingest_s = ingest_cpu_s = 0.0
        changed_count = 0
        if self.ingest_off_gui:
            # The GUI thread waits untimed; the GIL is not shared with its timed parts here,
            # as in the app most snapshots arrive while the GUI thread is idle.
            worker_s, worker_cpu_s, view_s, view_cpu_s, changed_count = self._work_on_worker(
                self._next_second()
            )
        else:
            ingest_s, ingest_cpu_s = self._ingest(self._next_second())
        self.gc_pauses.counting = True
        self._delivered = []
        cpu_started = time.thread_time()
        started = time.perf_counter()
        if self.ingest_off_gui:
            for _ in range(EVENT_SPINS):  # the queued signal, then (usually) the paint
                app.processEvents()
                if self._delivered:
                    break
            if not self._delivered:
                raise SystemExit("bench_gui: the posted view never arrived")
            viewed, applied = self._delivered
        else:
            changed = self.model.changed_edges()
            view = self.model.view()
            changed_count = len(changed)
            viewed = time.perf_counter()
            self.canvas.apply_view(view, changed)
            applied = time.perf_counter()
        for _ in range(EVENT_SPINS):
            if self.paints.count > painted_before:
                break
            app.processEvents()
        if self.paints.count == painted_before:
            self.canvas.viewport().repaint()
        painted = time.perf_counter()
        cpu = ingest_cpu_s + time.thread_time() - cpu_started
        self.gc_pauses.counting = False
        return TickTimes(
            ingest=ingest_s * 1000,
            view=(viewed - started) * 1000,
            apply=(applied - viewed) * 1000,
            paint=(painted - applied) * 1000,
            paints=self.paints.count - painted_before,
            changed=changed_count,
            gc=self.gc_pauses.total_ms - gc_before,
            cpu=cpu * 1000,
            worker_ingest=worker_s * 1000,
            worker_ingest_cpu=worker_cpu_s * 1000,
            worker_view=view_s * 1000,
            worker_view_cpu=view_cpu_s * 1000,
        )

    def _apply_posted(self, _model: Any, view: Any, changed: Any) -> None:
        received = time.perf_counter()
        self.canvas.apply_view(view, changed)
        self._delivered = [received, time.perf_counter()]

    def close(self) -> None:
        self._client_thread.shutdown()
        gc.unfreeze()  # as a new mesh does in the app: this one's objects may go now
        self.gc_pauses.close()
        self.canvas.layout_runner.wait(5000)
        self.canvas.close()
        self.canvas.deleteLater()
        qt_app().processEvents()

    def _next_second(self) -> Iterator[tuple[str, Any]]:
        self.clock.now += 1.0
        self.feed.advance(1.0)
        return self.feed.snapshots(self.clock.now)

    def _ingest(
        self, snapshots: Iterator[tuple[str, Any]], count_gc: bool = True
    ) -> tuple[float, float]:
        """Wall and CPU seconds spent in the model's ingest; building each snapshot (the client
        thread's work) happens between the timed calls."""
        ingest, clock, cpu_clock = self.model.ingest, time.perf_counter, time.thread_time
        pauses = self.gc_pauses
        spent = cpu = 0.0
        for sidecar_id, snapshot in snapshots:
            pauses.counting = count_gc
            started, cpu_started = clock(), cpu_clock()
            ingest(sidecar_id, snapshot)
            spent += clock() - started
            cpu += cpu_clock() - cpu_started
            pauses.counting = False
        return spent, cpu

    def _work_on_worker(
        self, snapshots: Iterator[tuple[str, Any]]
    ) -> tuple[float, float, float, float, int]:
        """`_ingest`, then the view, on one thread of its own for the whole run, as the client's
        loop does (one thread: its memory is one allocator arena, as in the app); its GC pauses
        are the worker's, not the GUI's. Wall and CPU seconds of each, and how many edges
        changed; the view is posted to the GUI thread."""

        def work() -> tuple[float, float, float, float, int]:
            ingest_s, ingest_cpu_s = self._ingest(snapshots, count_gc=False)
            started, cpu_started = time.perf_counter(), time.thread_time()
            changed = self.model.changed_edges()
            view = self.model.view()
            view_s = time.perf_counter() - started
            view_cpu_s = time.thread_time() - cpu_started
            self.post.post(self.model, view, changed)
            return ingest_s, ingest_cpu_s, view_s, view_cpu_s, len(changed)

        try:
            return self._client_thread.submit(work).result(LAYOUT_TIMEOUT_S)
        except TimeoutError:
            raise SystemExit("bench_gui: the worker's ingest did not finish") from None


def spin_until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Run the event loop until `condition` holds; SystemExit naming `what` after `timeout_s`."""
    app = qt_app()
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"bench_gui: after {timeout_s:g} s: {what}")
        app.processEvents()
        time.sleep(0.001)
