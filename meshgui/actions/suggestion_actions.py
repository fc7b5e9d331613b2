"""Suggestions for the main window: the evidence collector fed beside the model, the engine run
every few seconds off the GUI thread, the Suggestions dock, badges on the canvas, and "Apply"
handed to the change pipeline (so a suggestion is previewed, applied and undone like any
change). "Dismiss" hides one until its evidence changes materially."""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from meshgui.model.suggestions import Dismissals, EvidenceCollector, Suggestion, SuggestionEngine
from meshgui.views.suggestions_panel import SuggestionsPanel
from proxy.admin.models import StatsSnapshot
from proxy.config import MeshConfig

EVALUATE_EVERY_MS = 5000


class SuggestionActions(QObject):
    _evaluated = Signal(int, object)  # generation, list of suggestions (from the worker thread)

    def __init__(
        self,
        window: Any,
        *,
        current_mesh: Callable[[], MeshConfig | None],
        apply: Callable[[Suggestion], None],
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._current_mesh = current_mesh
        self._clock = clock
        self.engine = SuggestionEngine()
        self.dismissals = Dismissals()
        self.evidence = EvidenceCollector(clock=clock)
        self._generation = 0
        self._running: concurrent.futures.Future[Any] | None = None
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="suggestions")
        self.panel = SuggestionsPanel(window)
        # Beside the journal, hidden until asked for: the details dock keeps the right side,
        # and a badge on the node plus a status-bar line say when there is something to see.
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
        window.tabifyDockWidget(window.changes.journal_panel, self.panel)
        self.panel.hide()
        self.panel_action = self.panel.toggleViewAction()
        self.panel_action.setText("&Suggestions")
        self.panel_action.setShortcut("Ctrl+Shift+G")
        self.panel_action.triggered.connect(lambda shown: self.panel.raise_() if shown else None)
        self.panel.apply_requested.connect(apply)
        self.panel.dismissed.connect(lambda s: self.dismissals.dismiss(s, self._clock()))
        self.panel.badges_changed.connect(lambda: window.canvas.set_badges(self.panel.badges()))
        self._evaluated.connect(self._show, Qt.ConnectionType.QueuedConnection)
        window.session.add_snapshot_consumer(self._ingest)
        self._timer = QTimer(self)
        self._timer.setInterval(EVALUATE_EVERY_MS)
        self._timer.timeout.connect(self.evaluate)

    def mesh_started(self) -> None:
        """A different mesh: start over with no evidence."""
        self._generation += 1
        self.evidence = EvidenceCollector(clock=self._clock)
        self.panel.set_suggestions([])
        self._timer.start()

    def mesh_stopped(self) -> None:
        self._generation += 1
        self._timer.stop()
        self.panel.set_suggestions([])

    def shutdown(self) -> None:
        self._timer.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _ingest(self, sidecar_id: str, snapshot: Any) -> None:
        """On the client's thread (EvidenceCollector takes a lock)."""
        if isinstance(snapshot, StatsSnapshot):
            self.evidence.ingest(sidecar_id, snapshot)

    def evaluate(self) -> None:
        """Run the rules on the worker thread; at most one run at a time."""
        mesh = self._current_mesh()
        if mesh is None or (self._running is not None and not self._running.done()):
            return
        generation, evidence, now = self._generation, self.evidence, self._clock()

        def run() -> None:
            found = self.engine.evaluate(evidence, mesh, now)
            self._evaluated.emit(generation, found)

        self._running = self._pool.submit(run)

    def _show(self, generation: int, found: list[Suggestion]) -> None:
        if generation != self._generation:
            return
        before = sum(1 for s in self.panel.suggestions() if s.ready)
        self.panel.set_suggestions(self.dismissals.visible(found, self._clock()))
        ready = sum(1 for s in self.panel.suggestions() if s.ready)
        if ready > before and not self.panel.isVisible():
            self._window.statusBar().showMessage(
                f"{ready} suggestion{'s' if ready != 1 else ''} from the metrics: "
                "View > Suggestions (Ctrl+Shift+G)",
                15_000,
            )
