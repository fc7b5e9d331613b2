"""The journal panel: newest change first with its outcome coloured, the selected change's diff
below, a filter over every word of it, and the selection kept when the journal grows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from meshgui.model.change_journal import JournalEntry
from meshgui.views.journal_panel import OUTCOME_COLUMN, JournalPanel, entry_time, versions_text
from meshgui.views.styles import HEALTH_COLOURS

T0 = 1_764_000_000.0
REROUTE_DIFF = (
    "--- version 1\n+++ version 2\n@@ -1,3 +1,3 @@\n   backends:\n"
    "-    - {service: recommendations, weight: 100}\n"
    "+    - {service: recommendations, weight: 75}\n"
)
TIMEOUT_DIFF = "--- version 2\n+++ version 3\n@@ -1,2 +1,2 @@\n-    timeout: 1s\n+    timeout: 2s\n"
ENTRIES = [
    JournalEntry(T0, "demo", "Move 25% of recommendations", REROUTE_DIFF, "applied", {"web-1": 2}),
    JournalEntry(
        T0 + 60,
        "demo",
        "Edit the routes of inventory",
        TIMEOUT_DIFF,
        "partly applied",
        {"web-1": 3, "cart-1": 2},
    ),
    JournalEntry(T0 + 120, "staging", "Drain inventory-1 (inventory)", "", "failed", {}),
]


def panel(qtbot: QtBot) -> JournalPanel:
    journal = JournalPanel()
    qtbot.addWidget(journal)
    journal.show()
    qtbot.waitExposed(journal)
    return journal


def test_nothing_recorded_yet(qtbot: QtBot) -> None:
    journal = panel(qtbot)
    assert journal.details.text() == "No changes recorded yet."
    assert journal.table.topLevelItemCount() == 0


def test_newest_first_with_outcome_coloured_and_the_newest_selected(qtbot: QtBot) -> None:
    journal = panel(qtbot)
    journal.set_entries(ENTRIES)
    assert journal.shown_entries() == ENTRIES[::-1]
    top = journal.table.topLevelItem(0)
    assert [top.text(c) for c in range(4)] == [
        entry_time(T0 + 120),
        "staging",
        "Drain inventory-1 (inventory)",
        "failed",
    ]
    red, green = HEALTH_COLOURS["FAILING"], HEALTH_COLOURS["HEALTHY"]
    assert abs(top.foreground(OUTCOME_COLUMN).color().hslHue() - red.hslHue()) < 10
    bottom = journal.table.topLevelItem(2)
    assert abs(bottom.foreground(OUTCOME_COLUMN).color().hslHue() - green.hslHue()) < 10
    assert journal.selected_entry() == ENTRIES[2]
    assert journal.diff_view.toPlainText() == "No config text changed."
    assert "no sidecar acknowledged it" in journal.details.text()


def test_selecting_an_entry_shows_its_diff(qtbot: QtBot) -> None:
    journal = panel(qtbot)
    journal.set_entries(ENTRIES)
    journal.table.setCurrentItem(journal.table.topLevelItem(1))
    assert journal.diff_view.toPlainText() == TIMEOUT_DIFF
    assert journal.details.text().startswith("Edit the routes of inventory — partly applied")
    assert journal.details.text().endswith("cart-1 v2, web-1 v3")
    assert "by meshgui on demo" in journal.details.text()


def test_the_filter_matches_every_word_anywhere_and_escape_clears_it(qtbot: QtBot) -> None:
    journal = panel(qtbot)
    journal.set_entries(ENTRIES)
    QTest.keyClicks(journal.filter_edit, "inventory TIMEOUT")  # summary + diff, any case
    assert journal.shown_entries() == [ENTRIES[1]]
    assert journal.count_label.text() == "1 of 3 changes"
    journal.filter_edit.setText("staging")
    assert journal.shown_entries() == [ENTRIES[2]]
    journal.filter_edit.setText("nothing like it")
    assert journal.shown_entries() == []
    assert journal.details.text() == "No change matches the filter."
    QTest.keyClick(journal.filter_edit, Qt.Key.Key_Escape)
    assert journal.filter_edit.text() == "" and len(journal.shown_entries()) == 3


def test_the_selection_survives_a_new_entry(qtbot: QtBot) -> None:
    journal = panel(qtbot)
    journal.set_entries(ENTRIES)
    journal.table.setCurrentItem(journal.table.topLevelItem(2))
    assert journal.selected_entry() == ENTRIES[0]
    newer = JournalEntry(T0 + 300, "demo", "Undo: Move 25% of recommendations", "", "undone", {})
    journal.set_entries([*ENTRIES, newer])
    assert journal.shown_entries()[0] == newer
    assert journal.selected_entry() == ENTRIES[0]
    assert journal.diff_view.toPlainText() == REROUTE_DIFF


def test_versions_in_words() -> None:
    assert versions_text({"web-1": 4, "cart-1": 4}) == "version 4 on 2 sidecars"
    assert versions_text({"web-1": 4}) == "version 4 on 1 sidecar"
    assert versions_text({"web-1": 4, "cart-1": 3}) == "cart-1 v3, web-1 v4"
