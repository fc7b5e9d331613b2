"""Mouse input for canvas tests: real QMouseEvents (with modifiers, and hovering with no button
held) and context-menu events sent to the canvas's viewport. QTest cannot move the mouse with a
button held, so a drag is sent as press, moves and release events carrying the left button."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QGraphicsView, QMenu

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.MouseButton.NoButton
SHIFT = Qt.KeyboardModifier.ShiftModifier
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def send(
    view: QGraphicsView,
    kind: QEvent.Type,
    at: QPoint,
    buttons: Qt.MouseButton = NONE,
    modifiers: Qt.KeyboardModifier = NO_MODIFIER,
) -> None:
    button = NONE if kind == QEvent.Type.MouseMove else LEFT
    global_pos = QPointF(view.viewport().mapToGlobal(at))
    event = QMouseEvent(kind, QPointF(at), global_pos, button, buttons, modifiers)
    QApplication.sendEvent(view.viewport(), event)


def press(view: QGraphicsView, at: QPoint, modifiers: Qt.KeyboardModifier = NO_MODIFIER) -> None:
    send(view, QEvent.Type.MouseButtonPress, at, LEFT, modifiers)


def move_to(
    view: QGraphicsView,
    start: QPoint,
    end: QPoint,
    steps: int = 5,
    buttons: Qt.MouseButton = LEFT,
    modifiers: Qt.KeyboardModifier = NO_MODIFIER,
) -> None:
    for i in range(1, steps + 1):
        send(view, QEvent.Type.MouseMove, start + (end - start) * i / steps, buttons, modifiers)


def release(view: QGraphicsView, at: QPoint, modifiers: Qt.KeyboardModifier = NO_MODIFIER) -> None:
    send(view, QEvent.Type.MouseButtonRelease, at, NONE, modifiers)


def drag(
    view: QGraphicsView,
    start: QPoint,
    end: QPoint,
    modifiers: Qt.KeyboardModifier = NO_MODIFIER,
) -> None:
    press(view, start, modifiers)
    move_to(view, start, end, modifiers=modifiers)
    release(view, end, modifiers)


def click(view: QGraphicsView, at: QPoint) -> None:
    press(view, at)
    release(view, at)


def hover(view: QGraphicsView, at: QPoint) -> None:
    send(view, QEvent.Type.MouseMove, at)


def right_click(view: QGraphicsView, at: QPoint) -> None:
    global_pos = view.viewport().mapToGlobal(at)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, global_pos)
    QApplication.sendEvent(view.viewport(), event)


def action_texts(menu: QMenu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def find_action(menu: QMenu, text: str):  # type: ignore[no-untyped-def]
    for action in menu.actions():
        if action.text().replace("&", "") == text:
            return action
    raise AssertionError(f"no {text!r} in {action_texts(menu)}")
