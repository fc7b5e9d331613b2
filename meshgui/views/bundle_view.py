"""Showing an incident bundle: the topology and edge charts as they were when it was saved,
read-only, with a banner saying so. Changes are refused until the app is connected again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from meshgui import APP_NAME

READ_ONLY_REASON = "An incident bundle is open read-only; connect to a mesh (Ctrl+O) to change one."


def read_only_banner(parent: QWidget) -> QLabel:
    banner = QLabel(parent)
    banner.setObjectName("readOnlyBanner")
    banner.setWordWrap(True)
    banner.setMargin(6)
    banner.setStyleSheet(
        "QLabel#readOnlyBanner { background: palette(highlight); "
        "color: palette(highlighted-text); }"
    )
    banner.hide()
    return banner


def banner_text(bundle: Any) -> str:
    manifest = bundle.manifest
    saved = dt.datetime.fromtimestamp(manifest.created_at).strftime("%Y-%m-%d %H:%M:%S")
    until = bundle.data_until
    data = (
        f", data until {dt.datetime.fromtimestamp(until).strftime('%H:%M:%S')}"
        if until is not None
        else ""
    )
    return (
        f"Read-only: incident bundle {bundle.path.name} of {manifest.profile or 'a mesh'}, "
        f"saved {saved}{data}. Connect (Ctrl+O) to go live."
    )


def show_bundle(window: Any, bundle: Any) -> None:
    """Replace whatever `window` shows with `bundle`'s topology and history."""
    window.disconnect_mesh()
    window.changes.controller.read_only_reason = READ_ONLY_REASON
    window.last_view = bundle.view
    window.canvas.clear_topology("")
    window.canvas.apply_view(bundle.view)
    window.history_source = bundle.history
    window.details.set_source(bundle.history)
    window.details.refresh(bundle.view)
    window.details.set_change_markers([(entry.at, entry.summary) for entry in bundle.journal])
    window.banner.setText(banner_text(bundle))
    window.banner.show()
    window.setWindowTitle(f"{bundle.path.name} (read-only) — {APP_NAME}")
    window.statusBar().showMessage(banner_text(bundle), 15_000)


def leave_bundle(window: Any) -> None:
    window.changes.controller.read_only_reason = None
    window.banner.hide()
