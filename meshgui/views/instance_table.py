"""A selected node's instances: state (ready, draining, drained, ejected, disconnected) and
their own rates. Rows are reused between refreshes so the table neither flickers nor loses the
user's scroll position (nor its selection). Right click on an instance offers to drain or
undrain it: the table only asks (`drain_requested`), the change controller decides.

Columns are as wide as their contents, the address taking any room left over. In a dock too
narrow for them all, the address gives way first, then the instance's name, each shortened in
the left ("…0.0.1:25790", keeping the port) and the middle ("inve…ry-1"; the whole text in its
tooltip) rather than cut off at the edge; only then does the table scroll sideways."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from meshgui.views.styles import HEALTH_COLOURS
from meshgui.views.tooltips import figures

COLUMNS = ("Instance", "Version", "State", "req/s", "Errors", "Inbound address")
NAME_COLUMN, STATE_COLUMN, ADDRESS_COLUMN = 0, 2, 5
WHOLE_IN_TOOLTIP = (NAME_COLUMN, ADDRESS_COLUMN)
GIVES_WAY = (ADDRESS_COLUMN, NAME_COLUMN)
"""The columns shortened when the table is too narrow, first the first."""
NARROWEST = 72
"""Pixels a shortened column keeps: enough for a port or an instance number to show."""
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
        figures(instance.rps),
        f"{figures(instance.error_pct)}%",
        instance.address or "",
    )


def fit_widths(wanted: list[int], room: int) -> list[int]:
    """Column widths for `room` pixels: `wanted` (the contents' widths), the last column taking
    what is left over; short of room, the `GIVES_WAY` columns shrink in turn to `NARROWEST`."""
    widths = list(wanted)
    short = sum(widths) - room
    if short <= 0:
        widths[-1] -= short
        return widths
    for column in GIVES_WAY:
        cut = max(0, min(short, widths[column] - NARROWEST))
        widths[column] -= cut
        short -= cut
    return widths


def drain_action_text(instance: Any) -> str:
    """The entry for `instance`: "Drain inventory-1", or "Undrain inventory-1" when it is
    drained (or draining)."""
    verb = "Undrain" if instance.state in DRAINED_STATES else "Drain"
    return f"{verb} {instance.name}"


class _ElidedOnTheLeft(QStyledItemDelegate):
    """An address shortened keeps its end, the port."""

    def initStyleOption(  # noqa: N802 (Qt override)
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft


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
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # `_fit_columns` sizes
        header.setStretchLastSection(False)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setItemDelegateForColumn(ADDRESS_COLUMN, _ElidedOnTheLeft(self))
        self.setWordWrap(False)
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
                cell = self._cell(r, c)
                cell.setText(text)
                if c in WHOLE_IN_TOOLTIP:
                    cell.setToolTip(text)
            colour = STATE_COLOURS.get(row[STATE_COLUMN])
            state = self._cell(r, STATE_COLUMN)
            state.setForeground(colour if colour is not None else self.palette().text())
        self._fit_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        header = self.horizontalHeader()
        wanted = [
            max(header.sectionSizeHint(c), self.sizeHintForColumn(c))
            for c in range(self.columnCount())
        ]
        for column, width in enumerate(fit_widths(wanted, self.viewport().width())):
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)

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
