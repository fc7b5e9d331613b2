"""Find a service by name (Ctrl+F): a slim bar above the canvas, completing service names;
Enter selects and centres the match, Escape closes the bar."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


class FindBar(QWidget):
    closed = Signal()

    def __init__(self, find: Callable[[str], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._find = find
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find a service…")
        self.edit.setClearButtonEnabled(True)
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.edit.setCompleter(completer)
        self.edit.returnPressed.connect(self.find_now)
        self.result = QLabel(self)
        close = QToolButton(self)
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel("Find:", self))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.result)
        layout.addWidget(close)
        self.hide()

    def set_names(self, names: Iterable[str]) -> None:
        names = list(names)
        if names != self._names.stringList():
            self._names.setStringList(names)

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.result.clear()
        self.closed.emit()

    def find_now(self) -> str | None:
        text = self.edit.text()
        found = self._find(text)
        self.result.setText("" if found is not None or not text else "no such service")
        return found

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)
