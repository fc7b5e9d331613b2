"""A selected service's instances: state (ready, draining, drained, ejected, disconnected) and
their own rates. Rows are reused between refreshes so the table neither flickers nor loses the
user's scroll position."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from meshgui.views.styles import HEALTH_COLOURS

COLUMNS = ("Instance", "Version", "State", "req/s", "Errors", "Address")
STATE_COLUMN = 2
NUMERIC_COLUMNS = (3, 4)
NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
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


class InstanceTable(QTableWidget):
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

    def show_instances(self, instances: Any) -> None:
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
