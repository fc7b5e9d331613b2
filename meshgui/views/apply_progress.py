"""The apply progress dock: each sidecar's acknowledgement or refusal of a change, as it arrives.

Every failure is said in words an operator can act on, and once the change has finished the
buttons offer what makes sense for the failures seen: retry the sidecars that failed for a reason
other than a stale version, roll back a change that reached only some sidecars, or reload the
mesh and reapply when someone else changed it first. A change that did not reach every sidecar
raises the dock even if it was hidden: nothing is applied half-silently.

The per-sidecar texts and the summary line come from `meshgui.views.apply_progress_text`
(re-exported here).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from meshgui.views.apply_progress_text import COLUMNS as COLUMNS
from meshgui.views.apply_progress_text import FAILURE_WORDS as FAILURE_WORDS
from meshgui.views.apply_progress_text import NO_ANSWER as NO_ANSWER
from meshgui.views.apply_progress_text import PENDING as PENDING
from meshgui.views.apply_progress_text import STATE_COLOURS as STATE_COLOURS
from meshgui.views.apply_progress_text import describe as describe
from meshgui.views.apply_progress_text import stale_reason as stale_reason
from meshgui.views.apply_progress_text import summary_text as summary_text
from meshgui.views.diff_view import readable


class ApplyProgressPanel(QDockWidget):
    retry_requested = Signal(object)
    rollback_requested = Signal(object)
    reload_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Apply Progress", parent)
        self.setObjectName("applyProgressDock")
        self.change: Any = None
        self.report: Any = None
        self.states: dict[str, str] = {}
        self._items: dict[str, QTreeWidgetItem] = {}
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.title = QLabel("No change applied yet.", body)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.table = QTreeWidget(body)
        self.table.setObjectName("applyProgressTable")
        self.table.setColumnCount(len(COLUMNS))
        self.table.setHeaderLabels(list(COLUMNS))
        self.table.setRootIsDecorated(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.summary = QLabel(body)
        self.summary.setObjectName("applySummary")
        self.summary.setWordWrap(True)
        # The table elides long reasons; a failure must be readable in full without hovering.
        self.failures = QLabel(body)
        self.failures.setObjectName("applyFailures")
        self.failures.setWordWrap(True)
        self.failures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.failures.hide()
        self.retry_button = QPushButton("&Retry Failed", body)
        self.retry_button.setToolTip("Send the change again to the sidecars that failed")
        self.rollback_button = QPushButton("R&oll Back", body)
        self.rollback_button.setToolTip(
            "Put the previous config back on the sidecars that applied the change"
        )
        self.reload_button = QPushButton("Re&load and Reapply…", body)
        self.reload_button.setToolTip(
            "Fetch the mesh as it is now and make this change again on top of it"
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.rollback_button)
        buttons.addWidget(self.reload_button)
        buttons.addStretch(1)
        for button, signal in (
            (self.retry_button, self.retry_requested),
            (self.rollback_button, self.rollback_requested),
            (self.reload_button, self.reload_requested),
        ):
            button.clicked.connect(lambda _=False, s=signal: self._request(s))
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.failures)
        layout.addLayout(buttons)
        self.setWidget(body)
        self._enable_buttons()

    # -- what the change controller calls ------------------------------------------------------
    def start(self, change: Any, sidecar_ids: Sequence[str]) -> None:
        """A new change is going out to `sidecar_ids`; each row waits for its answer."""
        self.change, self.report = change, None
        self.states.clear()
        self._items.clear()
        self.table.clear()
        self.title.setText(f"Applying: {change.summary}")
        self.summary.setText(f"Waiting for {len(sidecar_ids)} sidecars…")
        self.summary.setStyleSheet("")
        self.failures.clear()
        self.failures.hide()
        for sidecar in sidecar_ids:
            self._set_row(sidecar, PENDING, "…", "waiting for the sidecar")
        self._enable_buttons()
        self.show()

    def show_progress(self, progress: Any) -> None:
        """One sidecar answered (or its state changed)."""
        state_text, detail = describe(progress, self._made_against())
        self._set_row(progress.sidecar_id, progress.state, state_text, detail)

    def finish(self, report: Any) -> None:
        """Every sidecar answered: summary, buttons, and the dock raised if anything failed."""
        self.report = report
        if self.change is None:
            self.change = report.change
            self.title.setText(f"Applying: {report.change.summary}")
        for progress in report.results.values():
            self.show_progress(progress)
        for sidecar, state in list(self.states.items()):
            if state == PENDING:
                self._set_row(sidecar, NO_ANSWER, NO_ANSWER, "the sidecar never answered")
        self.title.setText(
            f"Applied: {self.change.summary}"
            if self.succeeded()
            else (f"Not fully applied: {self.change.summary}")
        )
        self.summary.setText(summary_text(self.states))
        failed = [s for s, state in self.states.items() if state != "applied"]
        self.failures.setText(
            "\n".join(f"• {s}: {self.row_texts(s)[0]} — {self.row_texts(s)[1]}" for s in failed)
        )
        self.failures.setVisible(bool(failed))
        colour = STATE_COLOURS["applied" if self.succeeded() else "rejected"]
        self.summary.setStyleSheet(f"color: {readable(colour, self.palette()).name()}")
        self._enable_buttons()
        if not self.succeeded():
            self.show()
            self.raise_()

    # -- state -----------------------------------------------------------------------------------
    def succeeded(self) -> bool:
        return bool(self.states) and all(state == "applied" for state in self.states.values())

    def failed_ids(self) -> list[str]:
        """Sidecars that failed for a reason a retry may cure (stale ones need a reload)."""
        return [s for s, state in self.states.items() if state not in ("applied", "stale", PENDING)]

    def stale_ids(self) -> list[str]:
        return [s for s, state in self.states.items() if state == "stale"]

    def applied_ids(self) -> list[str]:
        return [s for s, state in self.states.items() if state == "applied"]

    def row_texts(self, sidecar: str) -> tuple[str, str]:
        item = self._items[sidecar]
        return item.text(1), item.text(2)

    def _made_against(self) -> int | None:
        return self.change.before.version if self.change is not None else None

    def _set_row(self, sidecar: str, state: str, state_text: str, detail: str) -> None:
        item = self._items.get(sidecar)
        if item is None:
            item = QTreeWidgetItem(self.table, [sidecar, "", ""])
            self._items[sidecar] = item
        self.states[sidecar] = state
        item.setText(1, state_text)
        item.setText(2, detail)
        item.setToolTip(2, detail)
        colour = STATE_COLOURS.get(state)
        foreground = (
            readable(colour, self.palette())
            if colour is not None
            else self.palette().color(QPalette.ColorRole.PlaceholderText)
        )
        item.setForeground(1, QColor(foreground))
        font = item.font(1)
        font.setBold(state != PENDING)
        item.setFont(1, font)

    def _enable_buttons(self) -> None:
        finished = self.report is not None
        self.retry_button.setEnabled(finished and bool(self.failed_ids()))
        self.rollback_button.setEnabled(
            finished and bool(self.applied_ids()) and not self.succeeded()
        )
        self.reload_button.setEnabled(finished and bool(self.stale_ids()))

    def _request(self, signal: Any) -> None:
        # One follow-up per report: the controller starts a new run, which re-enables them.
        report = self.report
        if report is None:
            return
        for button in (self.retry_button, self.rollback_button, self.reload_button):
            button.setEnabled(False)
        signal.emit(report)
