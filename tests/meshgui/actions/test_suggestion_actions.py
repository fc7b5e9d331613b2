"""Suggestions in the main window: evaluated results reach the dock and the canvas badges,
Apply goes to the change pipeline, Dismiss keeps a suggestion away on the next evaluation."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from meshgui.actions.suggestion_actions import SuggestionActions
from meshgui.model.suggestions import Suggestion
from tests.meshgui.views.fakes import retail_view
from tests.meshgui.views.test_main_window import offline_window
from tests.meshgui.views.test_suggestions_panel import BACKOFF, DRAIN


def test_ready_suggestions_are_listed_badged_applied_and_dismissed(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = offline_window(qtbot, tmp_path)
    with qtbot.waitSignal(window.canvas.layout_applied, timeout=5000):
        window.canvas.apply_view(retail_view())
    applied: list[Suggestion] = []
    actions = SuggestionActions(window, current_mesh=lambda: None, apply=applied.append)
    actions.mesh_started()
    actions._evaluated.emit(actions._generation, [DRAIN, BACKOFF])
    qtbot.waitUntil(lambda: len(actions.panel.suggestions()) == 2, timeout=3000)
    node = window.canvas.node_item("inventory")
    assert node is not None and node.badge == 1  # BACKOFF waits for data: no badge
    assert "1 suggestion" in window.statusBar().currentMessage()

    card = actions.panel.card(DRAIN.id)
    assert card is not None
    card.apply_button.click()
    assert applied == [DRAIN]

    card.dismiss_button.click()
    actions._evaluated.emit(actions._generation, [DRAIN, BACKOFF])
    qtbot.waitUntil(lambda: len(actions.panel.suggestions()) == 1, timeout=3000)
    assert node.badge == 0

    stale_generation = actions._generation
    actions.mesh_started()
    actions._evaluated.emit(stale_generation, [BACKOFF])  # from the mesh shown before
    qtbot.wait(50)
    assert actions.panel.suggestions() == []
