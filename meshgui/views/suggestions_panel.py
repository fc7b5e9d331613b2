"""The Suggestions dock: what the metrics suggest changing, each with its evidence, expected
effect and confidence, and Apply / Dismiss buttons.

Thin over `meshgui.model.suggestions`: the app evaluates the engine, filters through its
`Dismissals` and calls `set_suggestions`; "Apply" only asks (`apply_requested`) — the change goes
through the same preview, apply and undo path as any other. Cards are kept per suggestion id
and updated in place, so a refresh every few seconds neither flickers nor steals focus.
Suggestions still waiting for data are listed after the ready ones, greyed, without Apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from meshgui.views.styles import blend

RULE_NAMES = {
    "drain": "Drain",
    "retry-backoff": "Retry backoff",
    "timeout": "Timeout",
    "retry-budget": "Retry budget",
    "reroute": "Reroute",
}
EMPTY_TEXT = (
    "No suggestions: nothing in the metrics calls for a change.\n\n"
    "Each check needs a few minutes of traffic first (2 min for reroutes, 3 for drains, 5 for "
    "timeouts and retries); what a check is still waiting for shows here."
)


def _wrapped(text: str, parent: QWidget, *, bold: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


class SuggestionCard(QFrame):
    """One suggestion; `show_suggestion` refreshes it in place."""

    apply_clicked = Signal(object)
    dismiss_clicked = Signal(object)

    def __init__(self, suggestion: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.suggestion: Any = suggestion
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("suggestionCard")
        self.kind = QLabel(self)
        self.confidence_bar = QProgressBar(self)
        self.confidence_bar.setRange(0, 100)
        self.confidence_bar.setTextVisible(False)
        self.confidence_bar.setFixedSize(60, 6)
        self.confidence_text = QLabel(self)
        self.title = _wrapped("", self, bold=True)
        self.evidence = _wrapped("", self)
        self.effect = _wrapped("", self)
        self.waiting = _wrapped("", self)
        self.apply_button = QPushButton("Apply…", self)
        self.dismiss_button = QPushButton("Dismiss", self)
        self.dismiss_button.setToolTip("Hide it until the evidence changes materially")
        self.apply_button.clicked.connect(lambda: self.apply_clicked.emit(self.suggestion))
        self.dismiss_button.clicked.connect(lambda: self.dismiss_clicked.emit(self.suggestion))

        header = QHBoxLayout()
        header.addWidget(self.kind)
        header.addStretch(1)
        header.addWidget(self.confidence_text)
        header.addWidget(self.confidence_bar)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.dismiss_button)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(header)
        for label in (self.title, self.evidence, self.effect, self.waiting):
            layout.addWidget(label)
        layout.addLayout(buttons)
        self.show_suggestion(suggestion)

    def show_suggestion(self, suggestion: Any) -> None:
        self.suggestion = suggestion
        ready = suggestion.not_enough_data is None
        self.kind.setText(RULE_NAMES.get(suggestion.rule, suggestion.rule))
        percent = round(suggestion.confidence * 100)
        self.confidence_text.setText(f"confidence {percent}%")
        self.confidence_bar.setValue(percent)
        tooltip = "How much data stands behind it and how clear the signal is"
        self.confidence_bar.setToolTip(tooltip)
        self.confidence_text.setToolTip(tooltip)
        self.title.setText(suggestion.title)
        self.evidence.setText(f"Evidence: {suggestion.evidence}")
        self.effect.setText(f"Expected: {suggestion.expected_effect}")
        reason = suggestion.not_enough_data or ""
        self.waiting.setText(reason[:1].upper() + reason[1:])
        self.waiting.setVisible(not ready)
        self.apply_button.setEnabled(ready)
        self.apply_button.setToolTip(
            "Preview the change, then apply it (it can be undone)"
            if ready
            else f"Cannot apply yet — {suggestion.not_enough_data}"
        )
        palette = self.palette()
        muted = blend(
            palette.color(QPalette.ColorRole.Window),
            palette.color(QPalette.ColorRole.WindowText),
            0.55,
        )
        style = "" if ready else f"color: {muted.name()};"
        for label in (self.title, self.evidence, self.effect, self.waiting):
            label.setStyleSheet(style)
        self.setAccessibleName(suggestion.title)


class _CardColumn(QWidget):
    """The scrolled column of cards. Word-wrapped labels report a minimum height for their
    narrowest width, which would force a scroll bar on a list that fits; the column's height
    follows its width (height-for-width) instead."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(super().minimumSizeHint().width(), 0)


class SuggestionsPanel(QDockWidget):
    """Lists suggestions; emits `apply_requested(suggestion)` and `dismissed(suggestion)`."""

    apply_requested = Signal(object)
    dismissed = Signal(object)
    badges_changed = Signal()
    """The counts `badges()` returns changed: redraw the canvas badges."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Suggestions", parent)
        self.setObjectName("suggestionsDock")
        self.setAllowedAreas(
            Qt.DockWidgetArea.RightDockWidgetArea
            | Qt.DockWidgetArea.LeftDockWidgetArea
            | Qt.DockWidgetArea.BottomDockWidgetArea
        )
        body = QWidget(self)
        self.summary = QLabel(body)
        self.empty = _wrapped(EMPTY_TEXT, body)
        self._cards_host = _CardColumn(body)
        self._cards_layout = QVBoxLayout(self._cards_host)
        self._cards_layout.setContentsMargins(0, 0, 0, 0)
        self._cards_layout.addStretch(1)
        scroll = QScrollArea(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._cards_host)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(body)
        layout.addWidget(self.summary)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)
        self.setWidget(body)
        self._cards: dict[str, SuggestionCard] = {}
        self._order: list[str] = []
        self._badges: dict[str, int] = {}
        self._show_summary()

    def set_suggestions(self, suggestions: Sequence[Any]) -> None:
        """Show exactly these, in this order (the engine's: ready first, most confident first)."""
        wanted = {s.id: s for s in suggestions}
        for suggestion_id in [i for i in self._cards if i not in wanted]:
            self._drop(suggestion_id)
        for suggestion in wanted.values():
            card = self._cards.get(suggestion.id)
            if card is None:
                card = SuggestionCard(suggestion, self._cards_host)
                card.apply_clicked.connect(self.apply_requested)
                card.dismiss_clicked.connect(self._dismiss)
                self._cards[suggestion.id] = card
            elif card.suggestion != suggestion:
                card.show_suggestion(suggestion)
        order = list(wanted)
        if order != self._order:
            for suggestion_id in order:  # re-inserting moves a card; it keeps its state
                self._cards_layout.removeWidget(self._cards[suggestion_id])
            for position, suggestion_id in enumerate(order):
                self._cards_layout.insertWidget(position, self._cards[suggestion_id])
                self._cards[suggestion_id].show()  # the layout alone would show it later
            self._order = order
        self._refresh()

    def suggestions(self) -> list[Any]:
        """What the panel shows, in order."""
        return [self._cards[i].suggestion for i in self._order]

    def card(self, suggestion_id: str) -> SuggestionCard | None:
        return self._cards.get(suggestion_id)

    def badges(self) -> dict[str, int]:
        """Ready suggestions per canvas id (node, version node or edge) they concern."""
        return dict(self._badges)

    def _dismiss(self, suggestion: Any) -> None:
        self._drop(suggestion.id)  # at once: the next evaluation will not bring it back
        self._refresh()
        self.dismissed.emit(suggestion)

    def _drop(self, suggestion_id: str) -> None:
        card = self._cards.pop(suggestion_id)
        self._cards_layout.removeWidget(card)
        card.hide()
        card.deleteLater()
        if suggestion_id in self._order:
            self._order.remove(suggestion_id)

    def _refresh(self) -> None:
        badges: dict[str, int] = {}
        for card in self._cards.values():
            if card.suggestion.not_enough_data is None:
                for badge_id in card.suggestion.badge_ids:
                    badges[badge_id] = badges.get(badge_id, 0) + 1
        if badges != self._badges:
            self._badges = badges
            self.badges_changed.emit()
        self._show_summary()

    def _show_summary(self) -> None:
        ready = sum(1 for c in self._cards.values() if c.suggestion.not_enough_data is None)
        waiting = len(self._cards) - ready
        parts = []
        if ready:
            parts.append(f"{ready} suggestion{'s' if ready != 1 else ''}")
        if waiting:
            parts.append(f"{waiting} waiting for data")
        self.summary.setText(" · ".join(parts))
        self.summary.setVisible(bool(parts))
        self.empty.setVisible(not self._cards)
        title = f"Suggestions ({ready})" if ready else "Suggestions"
        self.setWindowTitle(title)
