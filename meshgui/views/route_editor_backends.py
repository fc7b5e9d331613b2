"""The traffic split of one route: weighted backends with service and subset pickers, a slider and
an exact spin box per backend, and a total that stays at 100 %.

Moving one backend's share rebalances the others in proportion to what they had when the move
began (equally when they had nothing), so dragging a slider to 100 % and back restores the
others' ratio instead of flattening it. Weights in the config need not add up to 100; a route
whose split was not touched keeps its weights exactly as they were. The arithmetic is in
`meshgui.views.route_editor_shares` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from meshgui.views.route_editor_fields import ErrorSlot, FieldError, Loc, with_error_below
from meshgui.views.route_editor_shares import TOTAL as TOTAL
from meshgui.views.route_editor_shares import largest_remainder as largest_remainder
from meshgui.views.route_editor_shares import percentages as percentages
from meshgui.views.route_editor_shares import rebalance as rebalance
from proxy.config import Backend, MeshConfig

ALL_ENDPOINTS = "all"


def subset_label(mesh: MeshConfig, service: str, subset: str | None) -> str:
    """ "v1 — 1 endpoint", "all — 2 endpoints": what the choice sends traffic to."""
    config = mesh.services[service]
    try:
        count = len(config.endpoints_in_subset(subset))
    except KeyError:
        count = 0
    noun = "endpoint" if count == 1 else "endpoints"
    return f"{subset or ALL_ENDPOINTS} — {count} {noun}"


class BackendRow(QWidget):
    """Service, subset, share slider, exact share, remove; the row's problems below it."""

    def __init__(self, mesh: MeshConfig, backend: Backend, share: int, parent: QWidget) -> None:
        super().__init__(parent)
        self._mesh = mesh
        self.service_box = QComboBox(self)
        self.service_box.setToolTip("The service this share of the traffic goes to")
        names = [name for name, svc in mesh.services.items() if svc.protocol == "http"]
        self.service_box.addItems(names)
        self.service_box.setCurrentText(backend.service)
        self.subset_box = QComboBox(self)
        self.subset_box.setToolTip("Only the endpoints of this subset (e.g. one version)")
        self.subset_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.subset_box.setMinimumContentsLength(18)
        self.fill_subsets(backend.subset)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, TOTAL)
        self.slider.setValue(share)
        self.slider.setMinimumWidth(160)
        self.spin = QSpinBox(self)
        self.spin.setRange(0, TOTAL)
        self.spin.setSuffix(" %")
        self.spin.setValue(share)
        self.remove_button = QToolButton(self)
        self.remove_button.setText("✕")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setToolTip("Remove this backend (its share goes to the others)")
        self.service_error = FieldError(self)
        self.subset_error = FieldError(self)
        self.share_error = FieldError(self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(
            with_error_below(self.service_box, self.service_error), 2, Qt.AlignmentFlag.AlignTop
        )
        row.addWidget(
            with_error_below(self.subset_box, self.subset_error), 2, Qt.AlignmentFlag.AlignTop
        )
        share_box = QWidget(self)
        shares = QHBoxLayout(share_box)
        shares.setContentsMargins(0, 0, 0, 0)
        shares.addWidget(self.slider, 1)
        shares.addWidget(self.spin)
        row.addWidget(with_error_below(share_box, self.share_error), 3, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        self.service_box.currentTextChanged.connect(lambda _name: self.fill_subsets(None))

    def fill_subsets(self, chosen: str | None) -> None:
        service = self.service_box.currentText()
        self.subset_box.blockSignals(True)
        self.subset_box.clear()
        if service in self._mesh.services:
            self.subset_box.addItem(subset_label(self._mesh, service, None), None)
            for subset in self._mesh.services[service].subsets:
                self.subset_box.addItem(subset_label(self._mesh, service, subset), subset)
        self.subset_box.setCurrentIndex(max(0, self.subset_box.findData(chosen)))
        self.subset_box.blockSignals(False)

    def target(self) -> tuple[str, str | None]:
        return self.service_box.currentText(), self.subset_box.currentData()

    def show_share(self, share: int) -> None:
        for control in (self.slider, self.spin):
            control.blockSignals(True)
            control.setValue(share)
            control.blockSignals(False)


class BackendsEditor(QWidget):
    """Every backend of one route; `edited` after any change the user makes."""

    edited = Signal()

    def __init__(
        self, mesh: MeshConfig, backends: Sequence[Backend], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._mesh = mesh
        self._original = tuple(backends)
        self.rows: list[BackendRow] = []
        self._anchor: tuple[int, list[int]] | None = None
        self._rows_box = QVBoxLayout()
        self._rows_box.setSpacing(4)
        self.total_label = QLabel(self)
        self.add_button = QPushButton("&Add Backend", self)
        self.add_button.setToolTip("Another service or subset to send a share of the traffic to")
        self.add_button.clicked.connect(lambda: self.add_backend())
        self.split_error = FieldError(self)
        footer = QHBoxLayout()
        footer.addWidget(self.add_button)
        footer.addStretch(1)
        footer.addWidget(self.total_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._rows_box)
        layout.addWidget(self.split_error)
        layout.addLayout(footer)
        for backend, share in zip(backends, percentages([b.weight for b in backends]), strict=True):
            self._add_row(backend, share)
        self._refresh()

    # -- the model of the split ----------------------------------------------------------------
    def shares(self) -> list[int]:
        return [row.spin.value() for row in self.rows]

    def set_share(self, index: int, value: int) -> None:
        """Give backend `index` `value` % and rebalance the others, as a slider move does."""
        if self._anchor is None or self._anchor[0] != index:
            self._anchor = (index, self.shares())
        for row, share in zip(self.rows, rebalance(self._anchor[1], index, value), strict=True):
            row.show_share(share)
        self._refresh()
        self.edited.emit()

    def add_backend(self, service: str | None = None, subset: str | None = None) -> BackendRow:
        """A new backend at 0 %, so the split does not change until it is given a share."""
        backend = Backend(service=service or self.rows[-1].target()[0], subset=subset, weight=0)
        row = self._add_row(backend, 0)
        self._anchor = None
        self._refresh()
        self.edited.emit()
        return row

    def remove_backend(self, index: int) -> None:
        """Drop a backend; its share goes to the others in proportion to theirs."""
        if len(self.rows) <= 1:
            return
        row = self.rows.pop(index)
        row.deleteLater()
        self._rows_box.removeWidget(row)
        values = self.shares()
        self._anchor = None
        spread = percentages(values) if sum(values) else percentages([1] * len(values))
        for remaining, share in zip(self.rows, spread, strict=True):
            remaining.show_share(share)
        self._refresh()
        self.edited.emit()

    def documents(self) -> list[dict[str, Any]]:
        """The backends for the schema; untouched, the original weights exactly."""
        targets = [row.target() for row in self.rows]
        original = self._original
        if targets == [(b.service, b.subset) for b in original] and self.shares() == percentages(
            [b.weight for b in original]
        ):
            weights = [b.weight for b in original]
        else:
            weights = self.shares()
        return [
            {"service": service, "subset": subset, "weight": weight}
            for (service, subset), weight in zip(targets, weights, strict=True)
        ]

    def error_slots(self) -> Mapping[Loc, ErrorSlot]:
        """Relative to the route: ("backends",) and ("backends", n, field)."""
        slots: dict[Loc, ErrorSlot] = {("backends",): (None, self.split_error)}
        for n, row in enumerate(self.rows):
            slots[("backends", n)] = (None, row.share_error)
            slots[("backends", n, "service")] = (row.service_box, row.service_error)
            slots[("backends", n, "subset")] = (row.subset_box, row.subset_error)
            slots[("backends", n, "weight")] = (row.spin, row.share_error)
        return slots

    # -- widgets -------------------------------------------------------------------------------
    def _add_row(self, backend: Backend, share: int) -> BackendRow:
        row = BackendRow(self._mesh, backend, share, self)
        self.rows.append(row)
        self._rows_box.addWidget(row)
        row.slider.valueChanged.connect(lambda value, r=row: self._moved(r, value))
        row.spin.valueChanged.connect(lambda value, r=row: self._moved(r, value))
        row.slider.sliderReleased.connect(self._forget_anchor)
        row.service_box.currentTextChanged.connect(lambda _t: self._target_changed())
        row.subset_box.currentIndexChanged.connect(lambda _i: self._target_changed())
        row.remove_button.clicked.connect(
            lambda _=False, r=row: self.remove_backend(self.rows.index(r))
        )
        return row

    def _moved(self, row: BackendRow, value: int) -> None:
        self.set_share(self.rows.index(row), value)

    def _forget_anchor(self) -> None:
        self._anchor = None

    def _target_changed(self) -> None:
        self._anchor = None
        self.edited.emit()

    def _refresh(self) -> None:
        total = sum(self.shares())
        self.total_label.setText(f"Total: {total} %")
        single = len(self.rows) == 1
        for row in self.rows:
            row.remove_button.setEnabled(not single)
            # One backend takes all the traffic; a slider that cannot move would only confuse.
            row.slider.setEnabled(not single)
            row.spin.setEnabled(not single)
