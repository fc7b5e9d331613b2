"""The inline-error pieces every part of the route editor is built from: a red error label that
sits right below its field, the red outline of a field holding a problem, and the duration and
count fields typed the way the config files take them ("300ms", "1.5s").

`Loc` names a field by its location in the document the sidecars' schema validates, and an
`ErrorSlot` says where a problem at that location is shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from meshgui.views.diff_view import REMOVED, readable
from proxy.config import format_duration

Loc = tuple[str | int, ...]
DURATION_HINT = "a number with ms, s, m or h, e.g. 300ms or 1.5s"


class FieldError(QLabel):
    """The problems with one field, in red right below it; hidden while there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {readable(REMOVED, self.palette()).name()}")
        self.hide()

    def show_problems(self, reasons: list[str]) -> None:
        self.setText("\n".join(reasons))
        self.setVisible(bool(reasons))


ErrorSlot = tuple[QWidget | None, FieldError]
"""Where a problem goes: the field to outline (None: none) and the label for its message."""


def with_error_below(widget: QWidget, error: FieldError, *, natural_width: bool = False) -> QWidget:
    """`widget` with `error` under it, taking no room while the error is hidden.
    `natural_width`: the widget keeps its own width (a duration is short) while the error
    message may use the whole row."""
    box = QWidget(widget.parentWidget())
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    if natural_width:
        layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)
    else:
        layout.addWidget(widget)
    layout.addWidget(error)
    return box


def mark_invalid(widget: QWidget | None, invalid: bool) -> None:
    """Outline the field in red while it holds a problem."""
    if widget is None or bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    colour = readable(REMOVED, widget.palette()).name()
    name = type(widget).__name__
    widget.setStyleSheet(f"{name} {{ border: 1px solid {colour}; }}" if invalid else "")


def duration_edit(seconds: float | None, optional_text: str | None, parent: QWidget) -> QLineEdit:
    """A line edit holding a duration as the config writes it; empty means None if optional."""
    edit = QLineEdit(format_duration(seconds) if seconds is not None else "", parent)
    edit.setPlaceholderText(optional_text or "required, e.g. 300ms")
    edit.setToolTip(f"A duration: {DURATION_HINT}")
    edit.setClearButtonEnabled(optional_text is not None)
    return edit


def duration_value(edit: QLineEdit) -> str | None:
    """The text for the schema to parse; None (the optional field's default) when empty."""
    text = edit.text().strip()
    return text or None


def spin_box(value: int, lowest: int, highest: int, parent: QWidget, suffix: str = "") -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(lowest, highest)
    box.setValue(value)
    box.setSuffix(suffix)
    box.setAccelerated(True)
    return box
