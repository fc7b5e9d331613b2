"""The Suggestions dock alone: cards per suggestion, Apply / Dismiss, waiting ones, badges."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from meshgui.model.suggestions import Suggestion
from meshgui.model.suggestions.edits import RouteRef, SetDrained, SetRetryBackoff
from meshgui.views.suggestions_panel import SuggestionsPanel

DRAIN = Suggestion(
    rule="drain",
    target="inventory:inventory-1",
    target_kind="instance",
    title="Drain inventory-1 (inventory v1): 30% errors vs 0.1% on inventory-2",
    evidence=(
        "inventory-1 failed 1,800 of 6,000 tries (30%) over the last 5 min; per 1.7 min slice: "
        "29%, 30%, 31%. Its siblings (inventory-2): 0.1% of 7,800."
    ),
    expected_effect="Its ~20 tries/s go to inventory-2 (1 left serving).",
    confidence=0.78,
    edit=SetDrained("inventory", "inventory-1"),
    badge_ids=("inventory", "inventory@v1"),
    measure=0.3,
    parameters=(("drained", 1.0),),
)
BACKOFF = Suggestion(
    rule="retry-backoff",
    target="inventory/default",
    target_kind="route",
    title="Retry backoff of inventory/default: base 25ms → 5ms, max 250ms → 50ms",
    evidence="1,800 of 13,800 requests to inventory recovered on a retry over the last 55 s.",
    expected_effect="Retries wait up to 5ms at first, doubling up to 50ms.",
    confidence=0.27,
    edit=SetRetryBackoff(RouteRef("inventory", 0, "default"), 0.005, 0.05),
    badge_ids=("inventory",),
    measure=5.0,
    parameters=(("backoff_base_ms", 5.0), ("backoff_max_ms", 50.0)),
    not_enough_data=(
        "not enough data yet: needs ≥ 200 requests and ≥ 20 recoveries over ≥ 5 min; "
        "has 2,530 and 330 over 55 s"
    ),
)


def make_panel(qtbot: QtBot) -> SuggestionsPanel:
    panel = SuggestionsPanel()
    qtbot.addWidget(panel)
    panel.resize(420, 640)
    panel.show()
    return panel


def test_empty_panel_says_why_and_what_it_waits_for(qtbot: QtBot) -> None:
    panel = make_panel(qtbot)
    assert panel.empty.isVisible()
    assert "3 for drains" in panel.empty.text()
    assert panel.badges() == {} and panel.windowTitle() == "Suggestions"


def test_cards_show_title_evidence_effect_and_confidence(qtbot: QtBot, tmp_path: Path) -> None:
    panel = make_panel(qtbot)
    panel.set_suggestions([DRAIN, BACKOFF])
    assert [s.id for s in panel.suggestions()] == [DRAIN.id, BACKOFF.id]
    card = panel.card(DRAIN.id)
    assert card is not None
    assert card.title.text() == DRAIN.title and card.kind.text() == "Drain"
    assert card.evidence.text().startswith("Evidence: inventory-1 failed 1,800")
    assert card.confidence_text.text() == "confidence 78%"
    assert panel.summary.text() == "1 suggestion · 1 waiting for data"
    assert panel.windowTitle() == "Suggestions (1)" and not panel.empty.isVisible()
    panel.grab().save(str(tmp_path / "suggestions.png"))


def test_apply_asks_for_the_change(qtbot: QtBot) -> None:
    panel = make_panel(qtbot)
    panel.set_suggestions([DRAIN])
    card = panel.card(DRAIN.id)
    assert card is not None
    with qtbot.waitSignal(panel.apply_requested, timeout=1000) as signal:
        qtbot.mouseClick(card.apply_button, Qt.MouseButton.LeftButton)
    assert signal.args == [DRAIN]
    assert panel.card(DRAIN.id) is card  # still shown until the evidence says otherwise


def test_dismiss_hides_the_card_at_once_and_drops_its_badges(qtbot: QtBot) -> None:
    panel = make_panel(qtbot)
    panel.set_suggestions([DRAIN, BACKOFF])
    assert panel.badges() == {"inventory": 1, "inventory@v1": 1}
    card = panel.card(DRAIN.id)
    assert card is not None
    with qtbot.waitSignals([panel.dismissed, panel.badges_changed], timeout=1000):
        qtbot.mouseClick(card.dismiss_button, Qt.MouseButton.LeftButton)
    assert panel.card(DRAIN.id) is None and panel.badges() == {}
    assert [s.id for s in panel.suggestions()] == [BACKOFF.id]


def test_a_suggestion_waiting_for_data_cannot_be_applied(qtbot: QtBot) -> None:
    panel = make_panel(qtbot)
    panel.set_suggestions([BACKOFF])
    card = panel.card(BACKOFF.id)
    assert card is not None
    assert not card.apply_button.isEnabled() and card.waiting.isVisible()
    assert "needs ≥ 200 requests" in card.apply_button.toolTip()
    assert panel.badges() == {}


def test_refreshes_update_cards_in_place_and_follow_the_new_order(qtbot: QtBot) -> None:
    panel = make_panel(qtbot)
    panel.set_suggestions([DRAIN, BACKOFF])
    drain_card, backoff_card = panel.card(DRAIN.id), panel.card(BACKOFF.id)
    ready_backoff = dataclasses.replace(BACKOFF, not_enough_data=None, confidence=0.9)
    panel.set_suggestions([ready_backoff, DRAIN])
    assert panel.card(DRAIN.id) is drain_card and panel.card(BACKOFF.id) is backoff_card
    assert backoff_card is not None and backoff_card.apply_button.isEnabled()
    assert [s.id for s in panel.suggestions()] == [BACKOFF.id, DRAIN.id]
    assert panel.badges() == {"inventory": 2, "inventory@v1": 1}
    panel.set_suggestions([])
    assert panel.suggestions() == [] and panel.empty.isVisible()
