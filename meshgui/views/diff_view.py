"""A read-only, monospace unified diff with added lines green and removed lines red, tinted from
the palette so dark and light themes both read; shared by the change preview and the journal.

`readable` and the added/removed colours live here too: every view that says "added" or
"removed" (or marks an error in red) uses the same hues, made legible on the current theme.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from meshgui.views.styles import HEALTH_COLOURS, blend, is_dark

ADDED = HEALTH_COLOURS["HEALTHY"]
REMOVED = HEALTH_COLOURS["FAILING"]


def readable(colour: QColor, palette: QPalette) -> QColor:
    """`colour` as text on the palette's base: lighter on dark themes, darker on light ones."""
    return colour.lighter(135) if is_dark(palette) else colour.darker(125)


def monospace_font() -> QFont:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


class DiffHighlighter(QSyntaxHighlighter):
    """Colours a unified diff line by line: '+' green, '-' red, '@@' hunk headers muted."""

    def __init__(self, document: QTextDocument, palette: QPalette) -> None:
        super().__init__(document)
        self.formats: dict[str, QTextCharFormat] = {}
        self.set_palette(palette)

    def set_palette(self, palette: QPalette) -> None:
        """Derive the colours from `palette` (again, when the theme changes) and recolour."""
        base = palette.color(QPalette.ColorRole.Base)
        tint = 0.28 if is_dark(palette) else 0.16
        text = palette.color(QPalette.ColorRole.Text)
        for prefix, colour in (("+", ADDED), ("-", REMOVED)):
            line_format = QTextCharFormat()
            # Half text colour: the hue still says added/removed, the contrast stays the text's.
            line_format.setForeground(blend(text, colour, 0.5))
            line_format.setBackground(blend(base, colour, tint))
            self.formats[prefix] = line_format
        hunk = QTextCharFormat()
        hunk.setForeground(palette.color(QPalette.ColorRole.PlaceholderText))
        self.formats["@"] = hunk
        self.rehighlight()

    def line_format(self, text: str) -> QTextCharFormat | None:
        if text.startswith(("+++", "---")):
            return self.formats["@"]
        return self.formats.get(text[:1])

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        line_format = self.line_format(text)
        if line_format is not None:
            self.setFormat(0, len(text), line_format)


class DiffView(QPlainTextEdit):
    """A unified diff, read-only, monospace, coloured, never wrapped (indentation is meaning)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diffView")
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFont(monospace_font())
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.highlighter = DiffHighlighter(self.document(), self.palette())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.set_palette(self.palette())

    def show_diff(self, diff: str, empty_text: str = "The config text does not change.") -> None:
        self.setPlainText(diff if diff.strip() else empty_text)
