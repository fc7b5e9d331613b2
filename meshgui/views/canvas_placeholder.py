"""What the empty canvas says instead of a mesh: "No mesh connected", "Connecting to demo…", and,
once every sidecar of the mesh has failed to answer, that none does and where to read why."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QGraphicsSimpleTextItem

from meshgui.client.sidecar_health import SidecarHealth
from meshgui.views.sidecar_status import SHORTCUT

FONT_SCALE = 1.6


def connecting_text(profile: str) -> str:
    return f"Connecting to {profile}…"


def no_answer_text(profile: str, total: int) -> str:
    """Said once each of the `total` sidecars has failed at least once and none answers."""
    if total == 1:
        first = f"The sidecar of {profile} does not answer."
    else:
        first = f"None of the {total} sidecars of {profile} answers."
    # Short lines: the canvas beside the details dock may be narrow.
    return f"{first}\nSee why in the status bar,\nor in View > Sidecar Status ({SHORTCUT})."


def waiting_text(shown: str, profile: str | None, health: SidecarHealth) -> str | None:
    """What the empty canvas should say instead of `shown` while `profile` connects, as
    `health` stands; None to leave it alone: a mesh is drawn (`shown` is empty), or the canvas
    says something else ("No mesh connected"), or it already says the right thing."""
    if profile is None:
        return None
    rows = health.rows()
    none_answers = bool(rows) and all(not r.connected and r.last_error for r in rows)
    wanted = no_answer_text(profile, len(rows)) if none_answers else connecting_text(profile)
    ours = (connecting_text(profile), no_answer_text(profile, len(rows)))
    return wanted if shown in ours and shown != wanted else None


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
