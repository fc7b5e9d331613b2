"""A selected node's instances: state (ready, draining, drained, ejected, disconnected) and
their own rates. Rows are reused between refreshes so the table neither flickers nor loses the
user's scroll position (nor its selection). Right click on an instance offers to drain or
undrain it: the table only asks (`drain_requested`), the change controller decides."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from meshgui.views.styles import HEALTH_COLOURS

COLUMNS = ("Instance", "Version", "State", "req/s", "Errors", "Address")
STATE_COLUMN = 2
NUMERIC_COLUMNS = (3, 4)
NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
DRAINED_STATES = ("drained", "draining")
STATE_COLOURS = {
    "draining": HEALTH_COLOURS["DEGRADED"],
    "drained": HEALTH_COLOURS["DRAINED"],
    "ejected": HEALTH_COLOURS["FAILING"],
    "disconnected": HEALTH_COLOURS["DISCONNECTED"],
}


def instance_row(instance: Any) -> tuple[str, ...]:
    return (
        instance.name,
        instance.version or "",
        instance.state,
        f"{instance.rps:.2f}",
        f"{instance.error_pct:.2f}%",
        instance.address or "",
    )


def drain_action_text(instance: Any) -> str:
    """The entry for `instance`: "Drain inventory-1", or "Undrain inventory-1" when it is
    drained (or draining)."""
    verb = "Undrain" if instance.state in DRAINED_STATES else "Drain"
    return f"{verb} {instance.name}"


class InstanceTable(QTableWidget):
    drain_requested = Signal(str, object, bool)  # service, instance name, drained
    current_instance_changed = Signal(object)  # InstanceView or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("instanceTable")
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._open_menu)
        self.itemSelectionChanged.connect(
            lambda: self.current_instance_changed.emit(self.selected_instance())
        )
        self._instances: list[Any] = []
        self.menu: QMenu | None = None
        """The context menu open now (or last)."""

    def selected_instance(self) -> Any | None:
        rows = {index.row() for index in self.selectedIndexes()}
        return self._instances[min(rows)] if rows and min(rows) < len(self._instances) else None

    def request_drain_toggle(self, instance: Any) -> None:
        """Ask to drain `instance`, or to undrain it when it is drained or draining."""
        drained = instance.state in DRAINED_STATES
        self.drain_requested.emit(instance.service, instance.name, not drained)

    def _open_menu(self, pos: QPoint) -> None:
        row = self.rowAt(pos.y())
        if not 0 <= row < len(self._instances):
            return
        self.selectRow(row)
        instance = self._instances[row]
        if self.menu is not None:
            self.menu.close()
            self.menu.deleteLater()
        self.menu = QMenu(self)
        self.menu.addAction(drain_action_text(instance)).triggered.connect(
            lambda: self.request_drain_toggle(instance)
        )
        self.menu.popup(self.viewport().mapToGlobal(pos))

    def show_instances(self, instances: Any) -> None:
        self._instances = list(instances)
        rows = [instance_row(i) for i in instances]
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self._cell(r, c).setText(text)
            colour = STATE_COLOURS.get(row[STATE_COLUMN])
            state = self._cell(r, STATE_COLUMN)
            state.setForeground(colour if colour is not None else self.palette().text())

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            if column in NUMERIC_COLUMNS:
                item.setTextAlignment(NUMBER_ALIGNMENT)
            self.setItem(row, column, item)
        return item

    def rows(self) -> list[tuple[str, ...]]:
        """The table's text, row by row (tests and copy)."""
        return [
            tuple(self._cell(r, c).text() for c in range(self.columnCount()))
            for r in range(self.rowCount())
        ]
