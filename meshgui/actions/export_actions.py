"""The File menu's ways out of the app — config files, the graph as PNG or SVG, edge history as
CSV, an incident bundle — and the way back in: opening a bundle, read-only.

Built from callables, so the same actions serve the live mesh and whatever the lead wires in;
each says plainly why it cannot run ("connect to a mesh first", "select a call first") instead
of being silently greyed out. Bundles are written and read off the GUI thread (`BackgroundJob`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QGraphicsView, QWidget

from meshgui.actions.background_job import BackgroundJob, Progress
from meshgui.actions.file_prompts import FilePrompts
from meshgui.export.files import write_file
from meshgui.model.change_journal import JournalEntry
from meshgui.model.edge_csv import edges_history_csv
from meshgui.model.incident_bundle import IncidentBundle, read_bundle
from meshgui.model.incident_bundle_writer import BundleContents, gather_bundle, write_bundle
from meshgui.model.types import EdgeHistory, EdgeKey, TopologyView
from meshgui.views.canvas_export import CanvasExportError, export_png, export_svg, graph_rect
from meshgui.views.export_dialog import ExportDialog
from proxy.config import MeshConfig

HISTORY_S = 3600.0
BUNDLE_FILTER = "Incident bundles (*.zip);;All files (*)"


def selected_edge_keys(canvas: QGraphicsView) -> list[EdgeKey]:
    """The edges selected on the canvas (Ctrl-click selects several)."""
    keys = [getattr(item, "key", None) for item in canvas.scene().selectedItems()]
    return sorted(key for key in keys if isinstance(key, EdgeKey))


class ExportActions(QObject):
    bundle_opened = Signal(object)  # IncidentBundle: show it on the canvas, read-only
    status_message = Signal(str)  # what was written where, or why not, for the status bar

    def __init__(
        self,
        canvas: QGraphicsView,
        settings: QSettings,
        *,
        current_mesh: Callable[[], MeshConfig | None],
        current_view: Callable[[], TopologyView | None],
        history: Callable[[EdgeKey, float], EdgeHistory | None],
        journal_entries: Callable[[], Sequence[JournalEntry]],
        profile_name: Callable[[], str | None],
        selected_edges: Callable[[], Sequence[EdgeKey]] | None = None,
        clock: Callable[[], float] = time.time,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._canvas = canvas
        self._settings = settings
        self._current_mesh = current_mesh
        self._current_view = current_view
        self._history = history
        self._journal_entries = journal_entries
        self._profile_name = profile_name
        self._selected_edges = selected_edges or (lambda: selected_edge_keys(canvas))
        self._clock = clock
        self.prompts = FilePrompts(
            self._window,
            settings,
            profile_name=profile_name,
            clock=clock,
            tell=self.status_message.emit,
        )
        self.export_dialog: ExportDialog | None = None
        self.job: BackgroundJob | None = None
        """The bundle being saved or opened, while that runs."""
        self.export_config_action = self._action("&Export Config…", "Ctrl+E", self.export_config)
        self.export_png_action = self._action("Export Graph as &PNG…", None, self.export_png)
        self.export_svg_action = self._action("Export Graph as S&VG…", None, self.export_svg)
        self.export_csv_action = self._action("Export Edge &History as CSV…", None, self.export_csv)
        self.save_bundle_action = self._action(
            "Save Incident &Bundle…", "Ctrl+Shift+S", self.save_bundle
        )
        self.open_bundle_action = self._action("Open Incident B&undle…", None, self.open_bundle)

    def actions(self) -> list[QAction]:
        """In menu order: four exports, then the two bundle actions."""
        return [
            self.export_config_action,
            self.export_png_action,
            self.export_svg_action,
            self.export_csv_action,
            self.save_bundle_action,
            self.open_bundle_action,
        ]

    def file_menu_actions(self) -> list[QAction | None]:
        """For the File menu: the four exports, a separator (None), the two bundle actions."""
        actions: list[QAction | None] = list(self.actions())
        actions.insert(4, None)
        return actions

    # -- config, pictures, CSV ---------------------------------------------------------------
    def export_config(self) -> None:
        mesh = self._current_mesh()
        if mesh is None:
            self.prompts.inform(
                "Export Config",
                "Connect to a mesh first: Export writes the config the mesh runs, and none has "
                "been read from its sidecars yet.",
            )
            return
        source = f"{self._profile_name() or 'meshgui'}, mesh version {mesh.version}"
        if self.export_dialog is not None:
            self.export_dialog.deleteLater()
        self.export_dialog = ExportDialog(
            mesh, self._settings, source=source, parent=self._window()
        )
        self.export_dialog.open()

    def export_png(self) -> None:
        self._export_picture("PNG", export_png)

    def export_svg(self) -> None:
        self._export_picture("SVG", export_svg)

    def _export_picture(self, kind: str, export: Callable[[QGraphicsView, Path], Any]) -> None:
        title = f"Export Graph as {kind}"
        if graph_rect(self._canvas.scene()).isEmpty():
            self.prompts.inform(title, "There is no graph to draw yet: connect to a mesh first.")
            return
        suffix = kind.lower()
        path = self.prompts.ask_save(title, "topology", suffix, f"{kind} images (*.{suffix})")
        if path is None:
            return
        try:
            picture = export(self._canvas, path)
        except CanvasExportError as exc:
            self.prompts.inform(title, f"Could not export the graph: {exc}", error=True)
            return
        size = f"{picture.width} x {picture.height}" + (" px" if kind == "PNG" else "")
        small = kind == "PNG" and picture.scale < 2
        self.status_message.emit(
            f"Saved {path} ({size}{f', scaled to {picture.scale:.2g}x' if small else ''})"
        )

    def export_csv(self) -> None:
        title = "Export Edge History as CSV"
        keys = list(self._selected_edges())
        if not keys:
            self.prompts.inform(
                title, "Select one or more calls (edges) on the canvas first: Ctrl-click adds one."
            )
            return
        histories = {k: h for k in keys if (h := self._history(k, HISTORY_S)) is not None}
        if not histories:
            self.prompts.inform(title, "No history is known for the selected calls yet.")
            return
        stem = f"{keys[0].source}-{keys[0].destination}" if len(keys) == 1 else "calls"
        path = self.prompts.ask_save(title, stem, "csv", "CSV files (*.csv)")
        if path is None:
            return
        try:
            write_file(path, edges_history_csv(histories))
        except OSError as exc:
            self.prompts.inform(title, f"Could not write {path}: {exc.strerror or exc}", error=True)
            return
        rows = sum(len(h.t) for h in histories.values())
        self.status_message.emit(f"Saved {rows} rows of {len(histories)} calls to {path}")

    # -- incident bundles --------------------------------------------------------------------
    def save_bundle(self) -> None:
        title = "Save Incident Bundle"
        view = self._current_view()
        if view is None or not view.nodes:
            self.prompts.inform(
                title, "Connect to a mesh first: a bundle keeps what the canvas shows."
            )
            return
        path = self.prompts.ask_save(title, "incident", "zip", BUNDLE_FILTER)
        if path is None:
            return
        # Gathered now, at one moment, on this thread (the model is read here); only formatting,
        # compressing and writing go to the worker.
        contents = gather_bundle(
            view,
            self._history,
            profile=self._profile_name() or "",
            mesh=self._current_mesh(),
            journal=self._journal_entries(),
            seconds=HISTORY_S,
            clock=self._clock,
        )

        def work(progress: Progress) -> BundleContents:
            write_bundle(path, contents, progress)
            return contents

        self._run(title, f"Writing {path.name}…", work, lambda c: self._saved(path, c))

    def _saved(self, path: Path, contents: BundleContents) -> None:
        mesh = f"config version {contents.mesh.version}" if contents.mesh else "no config"
        minutes = contents.history_seconds / 60
        self.status_message.emit(
            f"Saved incident bundle {path}: {len(contents.histories)} calls over {minutes:.0f} "
            f"min, {mesh}, {len(contents.journal)} journal entries"
        )

    def open_bundle(self) -> None:
        title = "Open Incident Bundle"
        path = self.prompts.ask_open(title, BUNDLE_FILTER)
        if path is not None:
            self._run(title, f"Reading {path.name}…", lambda _: read_bundle(path), self._opened)

    def _opened(self, bundle: IncidentBundle) -> None:
        made = datetime.fromtimestamp(bundle.manifest.created_at).strftime("%Y-%m-%d %H:%M:%S")
        profile = bundle.manifest.profile or "a mesh"
        self.status_message.emit(f"Opened {bundle.path.name}: {profile} as of {made} (read-only)")
        self.bundle_opened.emit(bundle)

    def _run(
        self, title: str, label: str, work: Callable[[Progress], Any], done: Callable[[Any], None]
    ) -> None:
        job = BackgroundJob(self._window(), title, label, work)
        busy = (self.save_bundle_action, self.open_bundle_action)
        for action in busy:
            action.setEnabled(False)  # one bundle at a time

        def finish() -> None:
            for action in busy:
                action.setEnabled(True)
            self.job = None

        job.succeeded.connect(done)
        job.failed.connect(lambda exc: self.prompts.inform(title, str(exc), error=True))
        job.cancelled.connect(
            lambda: self.status_message.emit(f"{title}: cancelled; nothing written")
        )
        for signal in (job.succeeded, job.failed, job.cancelled):
            signal.connect(finish)
        self.job = job
        job.start()

    # -- plumbing ----------------------------------------------------------------------------
    def _window(self) -> QWidget:
        return self._canvas.window()

    def _action(self, text: str, shortcut: str | None, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action
