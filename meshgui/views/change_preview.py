"""The last look before a mesh change goes out: what changes, what could go wrong, the config
diff, which sidecars will receive it, the traffic each destination (and instance, for a drain)
is predicted to get and where lost traffic goes. With a warning, Enter cancels.

`DiffView` (the coloured unified diff, shared with the journal panel) lives in
`meshgui.views.diff_view` and is re-exported here with `readable` and the diff colours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from meshgui.model.mesh_change import mesh_diff
from meshgui.model.traffic_forecast import (
    REQUESTS,
    PredictedTraffic,
    TrafficForecast,
    format_traffic,
)

# Re-exported: the journal panel, the reroute popover and older callers import these from here.
from meshgui.views.diff_view import ADDED as ADDED
from meshgui.views.diff_view import REMOVED as REMOVED
from meshgui.views.diff_view import DiffHighlighter as DiffHighlighter
from meshgui.views.diff_view import DiffView as DiffView
from meshgui.views.diff_view import monospace_font as monospace_font
from meshgui.views.diff_view import readable as readable
from meshgui.views.styles import HEALTH_COLOURS, blend, format_rate

WARNING = HEALTH_COLOURS["DEGRADED"]
MAX_LISTED_SIDECARS = 12
"""Beyond this many, the sidecar line names the first ones and counts the rest."""
MIN_DIFF_LINES = 8
"""However many warnings and rows there are, the diff keeps room for this many lines."""
NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def sidecars_text(sidecars: Sequence[str]) -> str:
    if not sidecars:
        return "No sidecar is connected: nothing would receive this change."
    names = ", ".join(sidecars[:MAX_LISTED_SIDECARS])
    more = len(sidecars) - MAX_LISTED_SIDECARS
    if more > 0:
        names += f" and {more} more"
    noun = "sidecar" if len(sidecars) == 1 else "sidecars"
    return f"Will be sent to {len(sidecars)} {noun}: {names}"


def node_label(node: str) -> str:
    """ "inventory v1" for the node id "inventory@v1"; a service id stays as it is."""
    return node.replace("@", " ", 1)


Predicted = TrafficForecast | Mapping[str, tuple[float, float]]
"""A forecast, or req/s per node id: (now, after)."""


def predicted_rows(predicted: Predicted | Sequence[PredictedTraffic]) -> list[PredictedTraffic]:
    if isinstance(predicted, TrafficForecast):
        return list(predicted.rows)
    if isinstance(predicted, Mapping):
        return [PredictedTraffic(node, now, after) for node, (now, after) in predicted.items()]
    return list(predicted)


class PredictedRates(QTableWidget):
    """Destination | req/s now | after | change, one row per node id (or instance). When some
    rows are in another unit (a TCP service's bytes/s), every number carries its unit."""

    COLUMNS = ("Destination", "req/s now", "after", "change")
    COLUMNS_WITH_UNITS = ("Destination", "now", "after", "change")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setObjectName("predictedRates")
        self.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalHeader().setVisible(False)
        # Rows as tall as a line of text: a forecast of eight rows leaves room for the diff.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def show_rates(self, predicted: Predicted | Sequence[PredictedTraffic]) -> None:
        rows = predicted_rows(predicted)
        plain = all(row.unit == REQUESTS for row in rows)
        self.setHorizontalHeaderLabels(list(self.COLUMNS if plain else self.COLUMNS_WITH_UNITS))
        self.setRowCount(len(rows))
        palette = self.palette()
        for index, row in enumerate(rows):
            delta = row.after - row.now
            sign = "+" if delta > 0 else "-" if delta < 0 else "±"
            now, after, change = (
                format_rate(value) if plain else format_traffic(value, row.unit)
                for value in (row.now, row.after, abs(delta))
            )
            cells = (row.label, now, after, sign + change)
            for column, cell in enumerate(cells):
                self._cell(index, column).setText(cell)
            colour = (ADDED if delta > 0 else REMOVED) if abs(delta) >= 0.05 else None
            self._cell(index, 3).setForeground(
                readable(colour, palette)
                if colour is not None
                else palette.color(QPalette.ColorRole.PlaceholderText)
            )
        self.setFixedHeight(self.fitted_height())

    def fitted_height(self, most_rows: int = 8) -> int:
        rows = min(self.rowCount(), most_rows)
        row_height = self.verticalHeader().defaultSectionSize()
        return (
            self.horizontalHeader().sizeHint().height() + rows * row_height + 2 * self.frameWidth()
        )

    def rows(self) -> list[tuple[str, ...]]:
        columns = range(self.columnCount())
        return [tuple(self._cell(r, c).text() for c in columns) for r in range(self.rowCount())]

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            if column:
                item.setTextAlignment(NUMBER_ALIGNMENT)
            self.setItem(row, column, item)
        return item


class WarningsBox(QFrame):
    """Warnings on an amber tint with a border, above everything else."""

    def __init__(self, warnings: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changeWarnings")
        palette = self.palette()
        back = blend(palette.color(QPalette.ColorRole.Base), WARNING, 0.22)
        border = readable(WARNING, palette)
        self.setStyleSheet(
            f"#changeWarnings {{ background: {back.name()}; border: 1px solid {border.name()};"
            " border-radius: 4px; }"
        )
        layout = QVBoxLayout(self)
        title = "Warning" if len(warnings) == 1 else f"{len(warnings)} warnings"
        heading = QLabel(f"⚠ {title}: read before applying", self)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        self.labels: list[QLabel] = []
        for warning in warnings:
            label = QLabel(f"• {warning}", self)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
            self.labels.append(label)


class ChangePreviewDialog(QDialog):
    """`exec()` returns Accepted when the operator chose Apply."""

    def __init__(
        self,
        change: Any,
        sidecars: Sequence[str],
        predicted: Predicted | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("changePreviewDialog")
        self.change = change
        self.setWindowTitle(f"Preview change: {change.summary}")
        layout = QVBoxLayout(self)
        self.summary_label = QLabel(change.summary, self)
        self.summary_label.setWordWrap(True)
        font = self.summary_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.summary_label.setFont(font)
        layout.addWidget(self.summary_label)
        versions = QLabel(
            f"Mesh config version {change.before.version} → {change.after.version}", self
        )
        layout.addWidget(versions)
        self.warnings_box: WarningsBox | None = None
        if change.warnings:
            self.warnings_box = WarningsBox(change.warnings, self)
            layout.addWidget(self.warnings_box)
        self.diff_view = DiffView(self)
        self.diff_view.show_diff(mesh_diff(change.before, change.after))
        self.diff_view.setMinimumHeight(self.diff_view.fontMetrics().lineSpacing() * MIN_DIFF_LINES)
        layout.addWidget(self.diff_view, 1)
        self.rates: PredictedRates | None = None
        self.traffic_notes: QLabel | None = None
        rows = predicted_rows(predicted) if predicted is not None else []
        if rows:
            layout.addWidget(QLabel("Predicted traffic per destination:", self))
            self.rates = PredictedRates(self)
            self.rates.show_rates(rows)
            layout.addWidget(self.rates)
        notes = predicted.notes if isinstance(predicted, TrafficForecast) else ()
        if notes:
            self.traffic_notes = QLabel("\n".join(notes), self)
            self.traffic_notes.setObjectName("trafficNotes")
            self.traffic_notes.setWordWrap(True)
            layout.addWidget(self.traffic_notes)
        self.sidecars_label = QLabel(sidecars_text(sidecars), self)
        self.sidecars_label.setObjectName("previewSidecars")
        self.sidecars_label.setWordWrap(True)
        if len(sidecars) > MAX_LISTED_SIDECARS:
            self.sidecars_label.setToolTip("\n".join(sidecars))
        layout.addWidget(self.sidecars_label)

        buttons = QDialogButtonBox(self)
        self.apply_button = buttons.addButton("&Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.apply_button.setEnabled(bool(sidecars))
        if change.warnings:
            # Enter must not wave a warning through: Cancel is the default, Apply needs a click.
            self.apply_button.setText("&Apply Anyway")
            self.apply_button.setAutoDefault(False)
            self.cancel_button.setDefault(True)
            self.cancel_button.setFocus()
        else:
            self.apply_button.setToolTip("Apply (Ctrl+Return)")
            self.apply_button.setDefault(True)
            self.apply_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
            self.apply_shortcut.activated.connect(self.apply_button.click)
        room = self.screen().availableGeometry().height() * 9 // 10
        self.resize(760, min(max(560, self.sizeHint().height()), room))
