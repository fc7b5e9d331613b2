"""An error box for dialogs: an error icon and the message in the app's error colour on a red
tint, taking no room while there is no error (the export dialog's write failures)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QStyle, QWidget

from meshgui.views.diff_view import REMOVED, readable
from meshgui.views.route_editor_fields import FieldError
from meshgui.views.styles import blend


class ErrorBox(QFrame):
    """A failure, unmistakable: an error icon and the message in the app's error colour (as the
    route editor's field errors) on a red tint; takes no room while there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBox")
        palette = self.palette()
        back = blend(palette.color(QPalette.ColorRole.Base), REMOVED, 0.12)
        self.setStyleSheet(
            f"#errorBox {{ background: {back.name()};"
            f" border: 1px solid {readable(REMOVED, palette).name()}; border-radius: 4px; }}"
        )
        self.icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        critical = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
        self.icon.setPixmap(critical.pixmap(size, size))  # as QMessageBox.critical shows
        self.message = FieldError(self)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.message, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.hide()

    def say(self, text: str) -> None:
        self.message.show_problems([text] if text else [])
        self.setVisible(bool(text))

    def text(self) -> str:
        """The error shown, or "" when there is none."""
        return self.message.text() if not self.isHidden() else ""
