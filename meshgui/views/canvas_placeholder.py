"""The text the empty canvas shows instead of a mesh ("No mesh connected", "Connecting to demo…";
what it says while sidecars do not answer is worked out in `waiting_text`)."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QGraphicsSimpleTextItem

FONT_SCALE = 1.6


class CanvasPlaceholder(QGraphicsSimpleTextItem):
    def say(self, message: str, font: QFont, palette: QPalette) -> QRectF:
        """Show `message` centred on the scene's origin, in a larger muted `font`; returns the
        scene area it takes."""
        bigger = QFont(font)
        bigger.setPointSizeF(bigger.pointSizeF() * FONT_SCALE)
        self.setFont(bigger)
        self.setText(message)
        colour = palette.color(QPalette.ColorRole.PlaceholderText)
        self.setBrush(colour if colour.isValid() else QColor("gray"))
        rect = self.boundingRect()
        self.setPos(-rect.width() / 2, -rect.height() / 2)
        self.setVisible(True)
        return rect.translated(self.pos())
