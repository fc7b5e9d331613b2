"""The change pipeline put together for the main window: the controller, undo history, journal,
progress and journal panels, the out-of-sync indicator, and the menu actions with their
shortcuts. The canvas's gestures and context menus come in here as requests."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow

from meshgui.actions.change_controller import ChangeController
from meshgui.actions.change_requests import (
    drain_request,
    edit_routes_request,
    replace_mesh_request,
    reroute_request,
    suggestion_request,
)
from meshgui.actions.undo_history import UndoHistory
from meshgui.client.config_channel import ConfigChannel
from meshgui.client.config_ops import SidecarConfig, base_config
from meshgui.model.change_journal import ChangeJournal, default_journal_path
from meshgui.model.node_ids import split_node_id
from meshgui.model.types import EdgeKey, TopologyView
from meshgui.views.apply_progress import ApplyProgressPanel
from meshgui.views.journal_panel import JournalPanel
from meshgui.views.reroute_popover import ReroutePopover
from meshgui.views.sync_indicator import SyncIndicator
from proxy.config import MeshConfig


class ChangeActions(QObject):
    """Owns the change pipeline of one main window (which must have `session`, `canvas`,
    `details` and a status bar)."""

    def __init__(
        self,
        window: Any,
        *,
        journal_path: Path | None = None,
        view: Callable[[], TopologyView | None] | None = None,
    ) -> None:
        super().__init__(window)
        self._window: QMainWindow = window
        self._view = view or (lambda: getattr(window, "last_view", None))
        self.channel = ConfigChannel(window.session.client, self)
        self.journal = ChangeJournal(journal_path or default_journal_path())
        self.progress_panel = ApplyProgressPanel(window)
        self.journal_panel = JournalPanel(window)
        for dock in (self.progress_panel, self.journal_panel):
            window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            dock.hide()
        window.tabifyDockWidget(self.progress_panel, self.journal_panel)
        self.controller = ChangeController(
            self.channel,
            self.journal,
            self.progress_panel,
            profile_name=lambda: window.session.profile_name,
            window=window,
            view=self._view,
        )
        self.history = UndoHistory(self.controller, self)
        self.sync_indicator = SyncIndicator(window)
        window.statusBar().addPermanentWidget(self.sync_indicator)
        self._versions: dict[str, int] = {}
        self.current_mesh: MeshConfig | None = None
        """The newest config the sidecars reported (for exports); refreshed when it changes."""
        self._config_fetch: int | None = None
        self._selected: str | None = None
        self._build_actions()
        self._connect(window)
        self.refresh_journal()

    # -- actions -----------------------------------------------------------------------------
    def _action(self, text: str, shortcut: Any, slot: Callable[[], Any]) -> QAction:
        action = QAction(text, self._window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.undo_action = self._action(
            "&Undo Change", QKeySequence.StandardKey.Undo, self.history.undo
        )
        self.redo_action = self._action("&Redo Change", "Ctrl+Shift+Z", self.history.redo)
        self.edit_routes_action = self._action("Edit &Routes…", "Ctrl+R", self._edit_selected)
        self.drain_action = self._action(
            "&Drain Service", "Ctrl+D", lambda: self._drain_selected(True)
        )
        self.undrain_action = self._action(
            "U&ndrain Service", "Ctrl+Shift+D", lambda: self._drain_selected(False)
        )
        self.open_mesh_action = self._action(
            "Open &Mesh Config…", "Ctrl+Shift+O", self.open_mesh_file
        )
        self.sync_action = self._action(
            "Bring Sidecars &Up to Date", None, self.controller.bring_up_to_date
        )
        self.journal_action = self.journal_panel.toggleViewAction()
        self.journal_action.setText("Change &Journal")
        self.journal_action.setShortcut(QKeySequence("Ctrl+J"))
        self.journal_action.triggered.connect(
            lambda shown: self.journal_panel.raise_() if shown else None
        )
        self.progress_action = self.progress_panel.toggleViewAction()
        self.progress_action.setText("Apply &Progress")
        self.history.state_changed.connect(self._update_enabled)
        self._update_enabled()

    def edit_menu_actions(self) -> list[QAction | None]:
        return [
            self.undo_action,
            self.redo_action,
            None,
            self.edit_routes_action,
            self.drain_action,
            self.undrain_action,
            None,
            self.sync_action,
        ]

    def _update_enabled(self) -> None:
        self.undo_action.setEnabled(self.history.can_undo)
        self.redo_action.setEnabled(self.history.can_redo)
        undo_text = self.history.stack.undoText()
        redo_text = self.history.stack.redoText()
        self.undo_action.setText(f"&Undo {undo_text}" if undo_text else "&Undo Change")
        self.redo_action.setText(f"&Redo {redo_text}" if redo_text else "&Redo Change")
        for action in (self.edit_routes_action, self.drain_action, self.undrain_action):
            action.setEnabled(self._selected is not None)

    # -- wiring ------------------------------------------------------------------------------
    def _connect(self, window: Any) -> None:
        canvas, details = window.canvas, window.details
        canvas.reroute_requested.connect(self.reroute)
        canvas.drain_requested.connect(self.drain)
        canvas.edit_routes_requested.connect(self.edit_routes)
        details.drain_requested.connect(self.drain)
        canvas.node_selected.connect(self._node_selected)
        self.controller.message.connect(lambda text: window.statusBar().showMessage(text, 15_000))
        self.controller.journal_changed.connect(self.refresh_journal)
        self.controller.busy_changed.connect(lambda _busy: self._update_enabled())
        self.sync_indicator.bring_up_to_date_requested.connect(self.controller.bring_up_to_date)
        window.session.client.snapshot_received.connect(self._note_version)
        self.channel.fetched.connect(self._config_fetched)

    def mesh_started(self) -> None:
        """A (different) mesh is shown: its history starts empty."""
        self.controller.forget_all()
        self.history.clear()
        self._versions.clear()
        self.current_mesh = None
        self._config_fetch = None
        self.sync_indicator.set_versions({})
        self.refresh_journal()

    def _node_selected(self, node: str | None) -> None:
        self._selected = node
        self._update_enabled()

    def _note_version(self, sidecar_id: str, snapshot: Any) -> None:
        version = getattr(snapshot, "config_version", None)
        if version is not None and self._versions.get(sidecar_id) != version:
            self._versions[sidecar_id] = version
            self.sync_indicator.set_versions(dict(self._versions))
            known = -1 if self.current_mesh is None else self.current_mesh.version
            if version > known and self._config_fetch is None:
                self._config_fetch = self.channel.fetch()

    def _config_fetched(self, request_id: int, configs: Mapping[str, SidecarConfig]) -> None:
        if request_id == self._config_fetch:
            self._config_fetch = None
        base, _versions = base_config(configs)
        if base is not None and (
            self.current_mesh is None or base.version >= self.current_mesh.version
        ):
            self.current_mesh = base

    def refresh_journal(self) -> None:
        profile = self._window.session.profile_name  # type: ignore[attr-defined]
        entries = self.journal.entries(profile)
        self.journal_panel.set_entries(entries)
        markers = [(entry.at, entry.summary) for entry in entries]
        self._window.details.set_change_markers(markers)  # type: ignore[attr-defined]

    # -- intents -----------------------------------------------------------------------------
    def reroute(self, gesture: Any) -> None:
        request = reroute_request(gesture, self._view, self._ask_share, self._mark_pending)
        self.controller.begin(request)

    def drain(self, service: str, instance: str | None, drained: bool) -> None:
        self.controller.begin(drain_request(service, instance, drained, self._view))

    def edit_routes(self, service: str) -> None:
        self.controller.begin(edit_routes_request(service, self._window, self._view))

    def apply_suggestion(self, suggestion: Any) -> None:
        self.controller.begin(suggestion_request(suggestion, self._view))

    def open_mesh_file(self) -> None:
        from meshgui.views.open_mesh_file import ask_mesh_file

        loaded = ask_mesh_file(self._window)
        if loaded is not None:
            mesh, path = loaded
            self.controller.begin(replace_mesh_request(mesh, Path(path), self._view))

    def _edit_selected(self) -> None:
        if self._selected is not None:
            self.edit_routes(split_node_id(self._selected)[0])

    def _drain_selected(self, drained: bool) -> None:
        if self._selected is not None:
            self.drain(split_node_id(self._selected)[0], None, drained)

    def _ask_share(
        self,
        move_from: str,
        move_to: str,
        predict: Callable[[float], Mapping[str, tuple[float, float]]],
        note: str,
        answer: Callable[[float | None], None],
    ) -> None:
        popover = ReroutePopover(move_from, move_to, predict, note, self._window)

        def done(result: int) -> None:
            answer(popover.share() if result == QDialog.DialogCode.Accepted else None)
            popover.deleteLater()

        popover.finished.connect(done)
        popover.open()

    def _mark_pending(self, keys: Iterable[EdgeKey]) -> None:
        self._window.canvas.set_pending_edges(list(keys))  # type: ignore[attr-defined]
