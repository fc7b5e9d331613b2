"""The details dock: charts of the selected edge, or the selected node's instances.

Only the selection is charted, and only while it is selected (DESIGN.md: a chart per edge
collapses at scale); each refresh asks the model for that one edge's history. Charts carry a
marker at each applied change. An instance can be drained or undrained from here (its context
menu, or the button under the list); the dock only asks, through `drain_requested`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from meshgui.views.edge_charts import EdgeCharts
from meshgui.views.instance_table import InstanceTable, drain_action_text
from meshgui.views.styles import health_name
from meshgui.views.tooltips import NBSP, failures_text, figures, ms_figures

HistorySource = Callable[[Any, float], Any]  # (EdgeKey, seconds) -> EdgeHistory


class NodeDetails(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table = InstanceTable(self)
        self.drain_button = QPushButton("Drain", self)
        self.drain_button.setObjectName("drainInstanceButton")
        self.drain_button.setToolTip("Drain or undrain the selected instance")
        self.drain_button.clicked.connect(self._toggle_drain)
        self.table.current_instance_changed.connect(lambda _i: self._update_drain_button())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.drain_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._update_drain_button()

    def show_node(self, name: str, node: Any | None) -> None:
        self.title.setText(name)
        if node is None:
            self.summary.setText("This service is no longer in the mesh.")
            self.table.show_instances(())
            self._update_drain_button()
            return
        self.summary.setText(
            f"{health_name(node.health).lower()} · {figures(node.rps_in)}{NBSP}req/s{NBSP}in · "
            f"p99{NBSP}{ms_figures(node.p99_ms)}\n"
            + failures_text(node.rps_in, node.error_pct, node.retries_in)
        )
        self.table.show_instances(node.instances)
        self._update_drain_button()

    def _update_drain_button(self) -> None:
        instance = self.table.selected_instance()
        self.drain_button.setEnabled(instance is not None)
        self.drain_button.setText(drain_action_text(instance) if instance else "Drain")

    def _toggle_drain(self) -> None:
        instance = self.table.selected_instance()
        if instance is not None:
            self.table.request_drain_toggle(instance)


class DetailsDock(QDockWidget):
    drain_requested = Signal(str, object, bool)  # service, instance name or None, drained

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Details", parent)
        self.setObjectName("detailsDock")
        self.setAllowedAreas(
            Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.pages = QStackedWidget(self)
        self.empty = QLabel("Select a call (edge) to chart it, or a service to list its instances.")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.charts = EdgeCharts(self)
        self.node_details = NodeDetails(self)
        for page in (self.empty, self.charts, self.node_details):
            self.pages.addWidget(page)
        self.setWidget(self.pages)
        self.selected_edge: Any = None
        self.selected_node: str | None = None
        self._view: Any = None
        self._history: HistorySource | None = None
        self.charts.window_changed.connect(lambda _s: self._refresh_selection())
        self.node_details.table.drain_requested.connect(self.drain_requested)

    def set_change_markers(self, markers: Sequence[tuple[float, str]]) -> None:
        """Changes to mark on the charts: (time in seconds since the epoch, short label)."""
        self.charts.set_change_markers(markers)

    def set_source(self, history: HistorySource | None) -> None:
        """Where edge histories come from (the model's `history`); None: nothing connected."""
        self._history = history

    def select_edge(self, key: Any) -> None:
        if key is None:
            if self.selected_edge is not None:
                self.selected_edge = None
                self._show_page()
            return
        self.selected_edge, self.selected_node = key, None
        self.charts.clear()
        self._show_page()
        self._refresh_selection()

    def select_node(self, name: str | None) -> None:
        if name is None:
            if self.selected_node is not None:
                self.selected_node = None
                self._show_page()
            return
        self.selected_node, self.selected_edge = name, None
        self._show_page()
        self._refresh_selection()

    def refresh(self, view: Any) -> None:
        """A new TopologyView: bring the selection's charts or table up to date."""
        self._view = view
        self._refresh_selection()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._refresh_selection()

    def _show_page(self) -> None:
        if self.selected_edge is not None:
            self.pages.setCurrentWidget(self.charts)
        elif self.selected_node is not None:
            self.pages.setCurrentWidget(self.node_details)
        else:
            self.pages.setCurrentWidget(self.empty)

    def _refresh_selection(self) -> None:
        if not self.isVisible():
            return  # a closed dock charts nothing; showEvent catches up
        view = self._view
        if self.selected_edge is not None:
            key = self.selected_edge
            stats = None
            if view is not None and key in view.edges:
                stats = view.edges[key].stats
            self.charts.show_edge(key, stats)
            if self._history is not None:
                self.charts.show_history(self._history(key, self.charts.window_s))
        elif self.selected_node is not None:
            name = self.selected_node
            node = view.nodes.get(name) if view is not None else None
            self.node_details.show_node(name, node)
