"""The status bar's "Sidecars 6/8" label, which also says which sidecars are missing and why.

Its tooltip lists every sidecar not connected with its last error and since when; clicking it
(or View > Sidecar Status, Ctrl+Shift+H) opens the same list as a table that keeps itself up to
date. The label follows the client's connected / disconnected / failed signals itself, so a
failure stays named until that sidecar connects, whatever else the status bar shows meanwhile.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QStatusBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from meshgui.client.sidecar_health import (
    SidecarHealth,
    SidecarHealthRow,
    duration_text,
)
from meshgui.client.targets import SidecarTarget
from meshgui.clock_time import clock_time

SHORTCUT = "Ctrl+Shift+H"
FAILURE_SHOWN_MS = 10_000
COLUMNS = ("Sidecar", "Admin address", "State", "Since", "Last error")


class SidecarStatusLabel(QLabel):
    """Says "Sidecars n/m"; hover for who is missing and why, click for the table."""

    clicked = Signal()
    failure_reported = Signal(str, bool)  # status-bar line; True when its reason is new
    changed = Signal()  # some sidecar connected, went away or failed

    def __init__(
        self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sidecarsLabel")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setContentsMargins(8, 0, 4, 0)  # apart from the data age beside it
        self.health = SidecarHealth()
        self.clock = clock
        self._dialog: SidecarStatusDialog | None = None
        self._failure_shown = ""
        self.set_count(0, 0)

    def watch(self, client: Any, status_bar: QStatusBar | None = None) -> None:
        """Follow `client`'s signals (a MeshClient, or a stand-in with the same signals), and
        say each failure in `status_bar`."""
        client.sidecar_connected.connect(self._on_connected)
        client.sidecar_disconnected.connect(self._on_disconnected)
        client.sidecar_failed.connect(self._on_failed)
        if status_bar is not None:
            self.failure_reported.connect(lambda line, news: self._say(status_bar, line, news))

    def show_table(self, parent: QWidget) -> SidecarStatusDialog:
        """Open (or raise) the table of every sidecar, kept up to date while it is open."""
        if self._dialog is None:
            self._dialog = SidecarStatusDialog(self, parent)
        self._dialog.refresh()
        if self._dialog.isVisible():  # behind the main window, say: bring it forward
            self._dialog.raise_()
            self._dialog.activateWindow()
        else:
            self._dialog.show()
        return self._dialog

    @property
    def table_dialog(self) -> SidecarStatusDialog | None:
        """The table, once it has been opened."""
        return self._dialog

    def start(self, targets: Sequence[SidecarTarget]) -> None:
        self.health.start(targets, self.clock())
        self.set_count(0, len(targets))
        self._changed()

    def clear(self) -> None:
        self.health.clear()
        self.set_count(0, 0)
        self._changed()

    def set_count(self, connected: int, total: int) -> None:
        self.setText(f"Sidecars {connected}/{total}")

    def refresh_tooltip(self) -> None:
        self.setToolTip(self.health.summary(self.clock()))

    # -- client signals ----------------------------------------------------------------------
    def _on_connected(self, sidecar_id: str, at: float) -> None:
        self.health.connected(sidecar_id, at)
        self._changed()

    def _on_disconnected(self, sidecar_id: str, at: float) -> None:
        self.health.disconnected(sidecar_id, at)
        self._changed()

    def _on_failed(self, sidecar_id: str, message: str) -> None:
        before = self.health.row(sidecar_id)
        old_reason = _reason(before.last_error) if before is not None else None
        row = self.health.failed(sidecar_id, message, self.clock())
        if row is None:  # not a sidecar of the mesh shown: say it as it came
            self.failure_reported.emit(f"{sidecar_id}: {message}", True)
            return
        self._changed()
        others = len(self.health.not_connected()) - (0 if row.connected else 1)
        line = row.failure_text()
        if others > 0:
            line += f" — {others} other sidecar{'s' if others > 1 else ''} not connected"
        self.failure_reported.emit(line, _reason(row.last_error) != old_reason)

    def _say(self, status_bar: QStatusBar, line: str, news: bool) -> None:
        # A dead sidecar is retried every few seconds: its repeats must not keep hiding other
        # news (events, exports) for good; the tooltip names it meanwhile.
        current = status_bar.currentMessage()
        mine = current == self._failure_shown or current.startswith("Connecting")
        if news or not current or mine:
            status_bar.showMessage(line, FAILURE_SHOWN_MS)
            self._failure_shown = line

    def _changed(self) -> None:
        self.refresh_tooltip()
        self.changed.emit()

    # -- Qt ----------------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            self.refresh_tooltip()  # the "for 3 min" parts age between changes
        return super().event(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        inside = self.rect().contains(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and inside:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


def _reason(error: str | None) -> str | None:
    """The failure without its changing "; retrying in 4 s" part."""
    return None if error is None else error.split("; retrying in ")[0]


class SidecarStatusDialog(QDialog):
    """Every sidecar of the mesh: connected or not, since when, and its last error."""

    def __init__(self, label: SidecarStatusLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidecarStatusDialog")
        self.setWindowTitle("Sidecar Status")
        self._label = label
        self.summary = QLabel(self)
        self.summary.setObjectName("sidecarStatusSummary")
        self.table = QTreeWidget(self)
        self.table.setObjectName("sidecarStatusTable")
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setHeaderLabels(list(COLUMNS))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(860, 320)
        label.changed.connect(self._refresh_if_shown)
        self.refresh()

    def _refresh_if_shown(self) -> None:
        if self.isVisible():  # a thousand rows rebuilt per failure: only for someone looking
            self.refresh()

    def refresh(self) -> None:
        health, now = self._label.health, self._label.clock()
        self.summary.setText(health.headline())
        # Missing sidecars first: they are why anyone opens this.
        rows = sorted(health.rows(), key=lambda row: row.connected)
        self.table.clear()
        self.table.addTopLevelItems([_item(row, now) for row in rows])
        for column in range(len(COLUMNS) - 1):
            self.table.resizeColumnToContents(column)


def _item(row: SidecarHealthRow, now: float) -> QTreeWidgetItem:
    since = f"{clock_time(row.since)} ({duration_text(now - row.since)} ago)"
    error = row.last_error or ""
    item = QTreeWidgetItem([row.sidecar_id, row.address, row.state_text(), since, error])
    item.setToolTip(4, error)
    return item
