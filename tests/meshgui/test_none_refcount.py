"""Regression guard: PySide6 6.12.0 on Python 3.11 drops a reference to None on every void Qt call,
and a canvas update loop then dies with `Fatal Python error: none_dealloc`. An upgrade that brings
the bug back must fail here, not in an operator's session."""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem, QGraphicsSimpleTextItem

CALLS = 5000


def test_void_qt_calls_keep_none_refcount(qapp: object) -> None:
    rect = QGraphicsRectItem(0, 0, 10, 10)
    line = QGraphicsLineItem(0, 0, 10, 10)
    text = QGraphicsSimpleTextItem("x")
    pen = QPen(QColor("red"))
    before = sys.getrefcount(None)
    for i in range(CALLS):
        rect.setPos(i, i)
        line.setPen(pen)
        text.setText("edge")
        rect.setZValue(i)
    after = sys.getrefcount(None)
    # Other code may take a few references meanwhile; the bug loses one per call (thousands).
    assert after >= before - 10, f"None lost {before - after} references over {CALLS * 4} calls"
