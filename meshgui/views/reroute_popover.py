"""How much traffic to move, asked right where the drag ended: a small frameless dialog near the
cursor with presets 10/25/50/100 % (keys 1-4), an exact percentage, and the req/s each
destination is predicted to get, updated as the share changes. Enter moves, Esc cancels.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QCursor, QGuiApplication, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from meshgui.views.change_preview import PredictedRates, node_label

PRESETS = (10, 25, 50, 100)
DEFAULT_PERCENT = 10
"""A first move small enough to be a canary; one key press makes it more."""
Predict = Callable[[float], Mapping[str, tuple[float, float]]]


def placed_near(cursor: QPoint, size: tuple[int, int], screen: QRect) -> QPoint:
    """The top-left corner that puts a popup of `size` just below-right of `cursor`, kept on
    `screen` (flipped above or left of the cursor when it would not fit)."""
    width, height = size
    x, y = cursor.x() + 12, cursor.y() + 12
    if x + width > screen.right():
        x = cursor.x() - width - 12
    if y + height > screen.bottom():
        y = cursor.y() - height - 12
    x = min(max(x, screen.left()), max(screen.left(), screen.right() - width))
    y = min(max(y, screen.top()), max(screen.top(), screen.bottom() - height))
    return QPoint(x, y)


class ReroutePopover(QDialog):
    """`exec()` Accepted means move `share()` of the traffic from `move_from` to `move_to`."""

    def __init__(
        self,
        move_from: str,
        move_to: str,
        predict: Predict,
        note: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Dialog | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("reroutePopover")
        self.setWindowTitle(f"Move traffic to {node_label(move_to)}")
        self._predict = predict
        frame = QFrame(self)
        frame.setObjectName("reroutePopoverFrame")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        highlight = self.palette().color(QPalette.ColorRole.Highlight).name()
        frame.setStyleSheet(
            f"#reroutePopoverFrame {{ border: 1px solid {highlight}; border-radius: 6px; }}"
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        layout = QVBoxLayout(frame)
        self.title = QLabel(
            f"Move traffic from <b>{node_label(move_from)}</b> to <b>{node_label(move_to)}</b>",
            frame,
        )
        layout.addWidget(self.title)
        self.note = QLabel(note, frame)
        self.note.setWordWrap(True)
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        self.note.setStyleSheet(f"color: {muted}")
        self.note.setVisible(bool(note))
        layout.addWidget(self.note)

        presets = QHBoxLayout()
        self.preset_group = QButtonGroup(self)
        # The spin box says which preset is on (none for 30 %), not the buttons themselves.
        self.preset_group.setExclusive(False)
        self.preset_buttons: dict[int, QPushButton] = {}
        for key, percent in enumerate(PRESETS, start=1):
            button = QPushButton(f"{percent} %", frame)
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setToolTip(f"Move {percent} % (key {key})")
            self.preset_group.addButton(button, percent)
            self.preset_buttons[percent] = button
            presets.addWidget(button)
            shortcut = QShortcut(QKeySequence(str(key)), self)
            shortcut.activated.connect(lambda p=percent: self.set_percent(p))
        self.spin = QSpinBox(frame)
        self.spin.setRange(1, 100)
        self.spin.setSuffix(" %")
        self.spin.setValue(DEFAULT_PERCENT)
        self.spin.setToolTip("Exactly this share of the traffic")
        self.spin.setAccelerated(True)
        presets.addSpacing(8)
        presets.addWidget(QLabel("Exact:", frame))
        presets.addWidget(self.spin)
        layout.addLayout(presets)

        self.rates = PredictedRates(frame)
        layout.addWidget(self.rates)
        buttons = QDialogButtonBox(frame)
        self.move_button = buttons.addButton("Move", QDialogButtonBox.ButtonRole.AcceptRole)
        self.move_button.setToolTip("Move this share (Enter); the change is previewed first")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setToolTip("Cancel (Esc)")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.move_button.setDefault(True)

        self.preset_group.idClicked.connect(self.set_percent)
        self.spin.valueChanged.connect(self._share_changed)
        self._share_changed(self.spin.value())
        self.move_button.setFocus()
        self.adjustSize()
        self.place_near_cursor()

    def set_percent(self, percent: int) -> None:
        self.spin.setValue(percent)
        self._check_preset()

    def _check_preset(self) -> None:
        for preset, button in self.preset_buttons.items():
            on = preset == self.spin.value()
            button.setChecked(on)
            font = button.font()
            font.setBold(on)  # a checked button alone is faint in some dark themes
            button.setFont(font)

    def share(self) -> float:
        """The share of the traffic to move, 0 < share <= 1."""
        return self.spin.value() / 100.0

    def _share_changed(self, percent: int) -> None:
        self._check_preset()
        self.rates.show_rates(self._predict(self.share()))
        self.move_button.setText(f"Move {percent} %")

    def place_near_cursor(self, cursor: QPoint | None = None) -> None:
        """Show beside the cursor (where the drag ended), inside that screen."""
        at = cursor if cursor is not None else QCursor.pos()
        screen = QGuiApplication.screenAt(at) or QGuiApplication.primaryScreen()
        size = self.sizeHint()
        self.move(placed_near(at, (size.width(), size.height()), screen.availableGeometry()))
