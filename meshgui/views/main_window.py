"""The main window: the topology canvas with its find bar, the details dock, menus with
shortcuts, and a status bar saying how many sidecars answer (which do not, and why, on hover)
and how old the newest data is. Its geometry is remembered between runs; so is the last
connection profile."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from meshgui import APP_NAME, __version__
from meshgui.actions.change_actions import ChangeActions
from meshgui.actions.export_actions import ExportActions
from meshgui.actions.suggestion_actions import SuggestionActions
from meshgui.client import MeshClient
from meshgui.connection_file import error_line, load_connection_file
from meshgui.profiles import ConnectionProfile, ProfileStore, targets_for
from meshgui.secrets import TokenStore
from meshgui.views.bundle_view import leave_bundle, read_only_banner, show_bundle
from meshgui.views.connection_dialog import ConnectionDialog
from meshgui.views.details_dock import DetailsDock
from meshgui.views.find_bar import FindBar
from meshgui.views.layout_runner import LayoutFunction
from meshgui.views.main_menus import build_menus, make_action
from meshgui.views.mesh_session import MeshSession, default_model_factory
from meshgui.views.sidecar_status import SHORTCUT, SidecarStatusDialog, SidecarStatusLabel
from meshgui.views.topology_canvas import TopologyCanvas
from meshgui.views.waiting_text import connecting_text, waiting_text
from proxy.config import ConfigError

GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"
SHOW_VERSIONS_KEY = "view/show_versions"
DOCK_WIDTH = 420
FIRST_SIZE = (1440, 900)
"""A first window wide enough that the demo's graph fits with its labels readable."""


def _bool(value: Any) -> bool:
    """QSettings gives back "true"/"false" strings from some backends."""
    return value is True or str(value).lower() == "true"


def data_age_text(newest_data_at: float | None, now: float) -> str:
    if newest_data_at is None:
        return "No data yet"
    age = max(0.0, now - newest_data_at)
    return f"Data {age:.0f} s old" if age < 120 else f"Data {age / 60:.0f} min old"


class MainWindow(QMainWindow):
    def __init__(
        self,
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        tokens: TokenStore | None = None,
        client: MeshClient | None = None,
        model_factory: Callable[[], Any] = default_model_factory,
        layout_function: LayoutFunction | None = None,
        clock: Callable[[], float] = time.time,
        journal_path: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self.profiles = ProfileStore(settings, tokens or TokenStore())
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.session = MeshSession(self, client=client, model_factory=model_factory, clock=clock)
        self.canvas = TopologyCanvas(self, layout_function=layout_function)
        self.find_bar = FindBar(self.canvas.find_service, self)
        self.find_bar.closed.connect(self.canvas.setFocus)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.banner = read_only_banner(central)
        layout.addWidget(self.banner)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.canvas, 1)
        self.setCentralWidget(central)
        self.details = DetailsDock(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.details)
        self.resizeDocks([self.details], [DOCK_WIDTH], Qt.Orientation.Horizontal)
        self.canvas.edge_selected.connect(self.details.select_edge)
        self.canvas.node_selected.connect(self.details.select_node)
        self.canvas.positions_changed.connect(self._save_positions)
        self.session.refreshed.connect(self._show_view)
        self.session.event_described.connect(
            lambda text: self.statusBar().showMessage(text, 10_000)
        )
        self.last_view: Any = None
        self.changes = ChangeActions(self, journal_path=journal_path)
        self.exports = ExportActions(
            self.canvas,
            settings,
            current_mesh=lambda: self.changes.current_mesh,
            current_view=lambda: self.last_view,
            history=lambda key, seconds: self.details_source(key, seconds),
            journal_entries=lambda: self.changes.journal.entries(self.session.profile_name),
            profile_name=lambda: self.session.profile_name,
            parent=self,
        )
        self.exports.status_message.connect(lambda t: self.statusBar().showMessage(t, 10_000))
        self.exports.bundle_opened.connect(lambda bundle: show_bundle(self, bundle))
        self.suggestions = SuggestionActions(
            self,
            current_mesh=lambda: self.changes.current_mesh,
            apply=self.changes.apply_suggestion,
        )
        self.history_source: Callable[[Any, float], Any] | None = None
        self.show_versions_action = QAction("Show &Versions", self)
        self.show_versions_action.setShortcut(QKeySequence("Ctrl+Shift+V"))
        self.show_versions_action.setCheckable(True)
        self.show_versions_action.setChecked(_bool(settings.value(SHOW_VERSIONS_KEY, False)))
        self.show_versions_action.toggled.connect(self._toggle_versions)
        self.session.set_split_versions(self.show_versions_action.isChecked())
        self.canvas.set_show_versions(self.show_versions_action.isChecked())
        self.disconnect_action = make_action(self, "&Disconnect", None, self.disconnect_mesh)
        self.sidecar_status_action = make_action(
            self, "Sidecar &Status…", SHORTCUT, self.show_sidecar_status
        )
        self.addAction(self.sidecar_status_action)  # the shortcut works with or without a menu
        build_menus(self)
        self.sidecars_label = SidecarStatusLabel(self, clock=clock)
        self.sidecars_label.watch(self.session.client, self.statusBar())
        self.sidecars_label.clicked.connect(self.show_sidecar_status)
        self.sidecars_label.changed.connect(self._say_why_nothing_shows)
        self.age_label = QLabel(self)
        self.age_label.setObjectName("dataAgeLabel")
        self.statusBar().addPermanentWidget(self.age_label)
        self.statusBar().addPermanentWidget(self.sidecars_label)
        self.show_sidecar_count(0, 0)
        self.statusBar().showMessage("Not connected")
        self._restore_geometry()

    # -- connecting (app.py calls these) ---------------------------------------------------
    def connect_profile(self, profile: ConnectionProfile, *, remember: bool = True) -> bool:
        """Show the mesh `profile` names, replacing any other. False (and a message in the
        status bar) when none of its sidecars can be resolved."""
        resolved = targets_for(profile, self.profiles.token(profile.name))
        if resolved.problems:
            text = "; ".join(resolved.problems).replace("\n", "; ")  # the status bar is one line
            self.statusBar().showMessage(text, 15_000)
        if not resolved.targets:
            if not resolved.problems:
                self.statusBar().showMessage(f"Profile {profile.name!r} names no sidecars")
            return False
        leave_bundle(self)
        self.canvas.clear_topology(connecting_text(profile.name))
        self.canvas.set_pinned_positions(self.profiles.positions(profile.name))
        self.history_source = self.session.history
        self.details.set_source(self.session.history)
        self.session.start(profile.name, resolved.targets)
        self.changes.mesh_started()
        self.suggestions.mesh_started()
        self.sidecars_label.start(resolved.targets)
        self.age_label.setText("No data yet")
        self.setWindowTitle(f"{profile.name} — {APP_NAME}")
        if remember:
            self.profiles.set_last_profile(profile.name)
        if not resolved.problems:
            count = len(resolved.targets)
            self.statusBar().showMessage(f"Connecting to {count} sidecars of {profile.name}…")
        self.disconnect_action.setEnabled(True)
        return True

    def connect_connection_file(self, path: str | Path, profile_name: str | None = None) -> bool:
        """Connect to the sidecars listed in a connection file (as `mesh-demo` writes). The
        profile is not saved; `profile_name` (default: the file's `name`) keys the node
        positions, so give a stable one (e.g. "demo") to keep them across runs."""
        path = Path(path)
        try:
            name = profile_name or load_connection_file(path).name
        except ConfigError as exc:
            self.statusBar().showMessage(error_line(exc), 15_000)
            return False
        return self.connect_profile(ConnectionProfile(name, connection_file=path), remember=False)

    def reconnect_last_profile(self) -> bool:
        """At start: connect to the profile used last, when there is one."""
        name = self.profiles.last_profile
        profile = self.profiles.load(name) if name else None
        return profile is not None and self.connect_profile(profile)

    def disconnect_mesh(self) -> None:
        self.session.stop()
        self.changes.mesh_started()
        self.suggestions.mesh_stopped()
        self.history_source = None
        self.details.set_source(None)
        self.details.select_edge(None)
        self.details.select_node(None)
        self.canvas.clear_topology("No mesh connected")
        self.sidecars_label.clear()
        self.age_label.clear()
        self.setWindowTitle(APP_NAME)
        self.statusBar().showMessage("Not connected")
        self.disconnect_action.setEnabled(False)

    def show_connect_dialog(self) -> None:
        dialog = ConnectionDialog(self.profiles, self)
        if dialog.exec() == ConnectionDialog.DialogCode.Accepted:
            profile = self.profiles.load(dialog.profile().name)
            if profile is not None:
                self.connect_profile(profile)

    # -- refresh -----------------------------------------------------------------------------
    def _show_view(self, view: Any, changed: Any) -> None:
        self.last_view = view
        self.canvas.apply_view(view, changed)
        self.details.refresh(view)
        self.find_bar.set_names(self.canvas.service_names())
        self.show_sidecar_count(view.sidecars_connected, view.sidecars_total)
        self.age_label.setText(data_age_text(view.newest_data_at, self.session.clock()))
        if view.nodes and self.statusBar().currentMessage().startswith("Connecting"):
            self.statusBar().clearMessage()

    def details_source(self, key: Any, seconds: float) -> Any:
        """An edge's history: live from the model, or from the open bundle."""
        source = self.history_source
        return None if source is None else source(key, seconds)

    def show_sidecar_count(self, connected: int, total: int) -> None:
        self.sidecars_label.set_count(connected, total)

    def _say_why_nothing_shows(self) -> None:
        """Not "Connecting to X…" for ever: say so once none of the sidecars answers."""
        health, shown = self.sidecars_label.health, self.canvas.placeholder_text
        text = waiting_text(shown, self.session.profile_name, health)
        if text is not None:
            self.canvas.clear_topology(text)

    def show_sidecar_status(self) -> SidecarStatusDialog:
        """The table of every sidecar, missing ones first (View > Sidecar Status)."""
        return self.sidecars_label.show_table(self)

    def _save_positions(self) -> None:
        if self.session.profile_name is not None:
            positions = self.canvas.pinned_positions()
            self.profiles.save_positions(self.session.profile_name, positions)

    # -- menus -------------------------------------------------------------------------------
    def _toggle_versions(self, on: bool) -> None:
        """One node per version of a service (inventory v1, inventory v2) or one per service."""
        self._settings.setValue(SHOW_VERSIONS_KEY, on)
        self.session.set_split_versions(on)
        self.canvas.set_show_versions(on)
        self.session.tick()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About meshgui",
            f"<b>meshgui {__version__}</b><p>A service mesh with a desktop face: "
            "live topology, per-edge latency and errors, routes, drains and exports.</p>",
        )

    # -- lifetime ----------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self._settings.value(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry()
            width = min(FIRST_SIZE[0], int(screen.width() * 0.92))
            self.resize(width, min(FIRST_SIZE[1], int(screen.height() * 0.92)))
        state = self._settings.value(STATE_KEY)
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self._settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self._settings.setValue(STATE_KEY, self.saveState())
        self._settings.sync()
        self.session.shutdown()
        self.suggestions.shutdown()
        if self.exports.job is not None:
            self.exports.job.wait(30.0)
        self.canvas.layout_runner.wait(2000)
        super().closeEvent(event)
