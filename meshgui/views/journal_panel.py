"""The change journal dock: every change made from this machine, newest first — when, to which
mesh, what, and how it ended — with the selected change's config diff below and a filter box.

Entries come from `meshgui.model.change_journal`; the panel only shows them.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from meshgui.views.change_preview import DiffView, readable
from meshgui.views.styles import HEALTH_COLOURS

COLUMNS = ("Time", "Profile", "Change", "Outcome")
OUTCOME_COLUMN = 3
OUTCOME_COLOURS = {
    "applied": HEALTH_COLOURS["HEALTHY"],
    "partly applied": HEALTH_COLOURS["DEGRADED"],
    "failed": HEALTH_COLOURS["FAILING"],
    "rolled back": HEALTH_COLOURS["DRAINED"],
    "undone": HEALTH_COLOURS["DRAINED"],
    "redone": HEALTH_COLOURS["DRAINED"],
}
ENTRY_ROLE = Qt.ItemDataRole.UserRole


def entry_time(at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(at))


def versions_text(versions: Mapping[str, int]) -> str:
    """ "version 9 on 5 sidecars", or each sidecar's version when they differ."""
    if not versions:
        return "no sidecar acknowledged it"
    distinct = set(versions.values())
    if len(distinct) == 1:
        noun = "sidecar" if len(versions) == 1 else "sidecars"
        return f"version {distinct.pop()} on {len(versions)} {noun}"
    return ", ".join(f"{sidecar} v{version}" for sidecar, version in sorted(versions.items()))


def matches(entry: Any, words: Sequence[str]) -> bool:
    """Every word (case-insensitive) occurs in the entry's summary, profile, outcome, author or
    diff: "inventory timeout" finds the changes that touched inventory's timeouts."""
    text = " ".join((entry.summary, entry.profile, entry.outcome, entry.by, entry.diff)).lower()
    return all(word in text for word in words)


def entry_key(entry: Any) -> tuple[float, str, str]:
    return (entry.at, entry.profile, entry.summary)


class JournalPanel(QDockWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Change Journal", parent)
        self.setObjectName("journalDock")
        self.entries: list[Any] = []
        body = QWidget(self)
        self.filter_edit = QLineEdit(body)
        self.filter_edit.setObjectName("journalFilter")
        self.filter_edit.setPlaceholderText(
            "Filter: words from the change, profile, outcome or diff"
        )
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(lambda _text: self._fill())
        self.filter_edit.installEventFilter(self)
        self.count_label = QLabel(body)
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        self.table = QTreeWidget(body)
        self.table.setObjectName("journalTable")
        self.table.setColumnCount(len(COLUMNS))
        self.table.setHeaderLabels(list(COLUMNS))
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.header()
        for column in (0, 1, OUTCOME_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.currentItemChanged.connect(lambda _now, _before: self._show_selected())
        self.details = QLabel(body)
        self.details.setObjectName("journalDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.diff_view = DiffView(body)
        below = QWidget(body)
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.details)
        below_layout.addWidget(self.diff_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, body)
        splitter.addWidget(self.table)
        splitter.addWidget(below)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.setWidget(body)
        self._fill()

    def set_entries(self, entries: Sequence[Any]) -> None:
        """The journal as `ChangeJournal.entries()` gives it (oldest first); shown newest first,
        keeping the selected entry selected."""
        self.entries = list(entries)
        self._fill()

    def shown_entries(self) -> list[Any]:
        """The entries in the table, top to bottom."""
        items = (self.table.topLevelItem(i) for i in range(self.table.topLevelItemCount()))
        return [item.data(0, ENTRY_ROLE) for item in items if item is not None]

    def selected_entry(self) -> Any | None:
        item = self.table.currentItem()
        return item.data(0, ENTRY_ROLE) if item is not None else None

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 (Qt override)
        escape = (
            isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        )
        if watched is self.filter_edit and escape:
            self.filter_edit.clear()
            return True
        return super().eventFilter(watched, event)

    def _fill(self) -> None:
        selected = self.selected_entry()
        keep = entry_key(selected) if selected is not None else None
        words = self.filter_edit.text().lower().split()
        shown = [entry for entry in reversed(self.entries) if matches(entry, words)]
        self.table.blockSignals(True)
        self.table.clear()
        palette = self.palette()
        current = None
        for entry in shown:
            item = QTreeWidgetItem(
                self.table, [entry_time(entry.at), entry.profile, entry.summary, entry.outcome]
            )
            item.setData(0, ENTRY_ROLE, entry)
            item.setToolTip(2, entry.summary)
            colour = OUTCOME_COLOURS.get(entry.outcome)
            if colour is not None:
                item.setForeground(OUTCOME_COLUMN, readable(colour, palette))
            font = item.font(OUTCOME_COLUMN)
            font.setBold(True)
            item.setFont(OUTCOME_COLUMN, font)
            if keep is not None and entry_key(entry) == keep:
                current = item
        if current is None and self.table.topLevelItemCount():
            current = self.table.topLevelItem(0)
        if current is not None:
            self.table.setCurrentItem(current)
        self.table.blockSignals(False)
        total = len(self.entries)
        noun = "change" if total == 1 else "changes"
        self.count_label.setText(f"{len(shown)} of {total} {noun}" if words else f"{total} {noun}")
        self._show_selected()

    def _show_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.details.setText(
                "No changes recorded yet." if not self.entries else "No change matches the filter."
            )
            self.diff_view.clear()
            return
        self.details.setText(
            f"{entry.summary} — {entry.outcome}, {entry_time(entry.at)} by {entry.by} on "
            f"{entry.profile}; {versions_text(entry.versions)}"
        )
        self.diff_view.show_diff(entry.diff, "No config text changed.")
