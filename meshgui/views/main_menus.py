"""The main window's menu bar: every command with its shortcut, in the order operators look for
them. The commands themselves live with whoever owns them (the canvas, the change actions, the
export actions); this module only arranges them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget


def make_action(parent: QWidget, text: str, shortcut: Any, slot: Callable[[], Any]) -> QAction:
    action = QAction(text, parent)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    return action


def add_actions(menu: QMenu, actions: Sequence[QAction | None]) -> None:
    for action in actions:
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)


def build_menus(window: Any) -> None:
    """File, Edit, View and Help for `window` (a MainWindow)."""

    def act(text: str, shortcut: Any, slot: Callable[[], Any]) -> QAction:
        return make_action(window, text, shortcut, slot)

    changes = window.changes
    exports = getattr(window, "exports", None)

    file_menu = window.menuBar().addMenu("&File")
    window.disconnect_action.setEnabled(False)
    add_actions(
        file_menu,
        [
            act("&Connect…", "Ctrl+O", window.show_connect_dialog),
            window.disconnect_action,
            None,
            changes.open_mesh_action,
            *(exports.file_menu_actions() if exports is not None else ()),
            None,
            act("&Quit", "Ctrl+Q", window.close),
        ],
    )

    add_actions(window.menuBar().addMenu("&Edit"), changes.edit_menu_actions())

    canvas = window.canvas
    view_menu = window.menuBar().addMenu("&View")
    add_actions(
        view_menu,
        [
            act("Zoom &In", QKeySequence.StandardKey.ZoomIn, canvas.zoom_in),
            act("Zoom &Out", QKeySequence.StandardKey.ZoomOut, canvas.zoom_out),
            act("&Actual Size", "Ctrl+1", canvas.reset_zoom),
            act("&Fit to Window", "Ctrl+0", canvas.fit_to_window),
            act("&Find Service…", QKeySequence.StandardKey.Find, window.find_bar.open_bar),
            act("&Arrange Automatically", "Ctrl+L", canvas.relayout),
            None,
            window.show_versions_action,
            window.sidecar_status_action,
            None,
            window.details.toggleViewAction(),
            window.suggestions.panel_action,
            changes.journal_action,
            changes.progress_action,
        ],
    )

    help_menu = window.menuBar().addMenu("&Help")
    help_menu.addAction(act("&About meshgui", None, window.show_about))
