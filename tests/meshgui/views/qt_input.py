"""Mouse input for canvas tests: QTest cannot move the mouse with a button held, so a drag is
sent as press, moves and release events carrying the left button."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QGraphicsView


def _send(view: QGraphicsView, kind: QEvent.Type, at: QPoint, buttons: Qt.MouseButton) -> None:
    local = QPointF(at)
    global_pos = QPointF(view.viewport().mapToGlobal(at))
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    event = QMouseEvent(kind, local, global_pos, button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), event)


def drag(view: QGraphicsView, start: QPoint, end: QPoint, steps: int = 5) -> None:
    left = Qt.MouseButton.LeftButton
    _send(view, QEvent.Type.MouseButtonPress, start, left)
    for i in range(1, steps + 1):
        point = start + (end - start) * i / steps
        _send(view, QEvent.Type.MouseMove, point, left)
    _send(view, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def click(view: QGraphicsView, at: QPoint) -> None:
    _send(view, QEvent.Type.MouseButtonPress, at, Qt.MouseButton.LeftButton)
    _send(view, QEvent.Type.MouseButtonRelease, at, Qt.MouseButton.NoButton)
