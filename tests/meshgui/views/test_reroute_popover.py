"""The reroute popover: presets on keys 1-4, an exact share, predicted req/s that follow the
share as it changes, Enter to move and Esc to cancel, placed beside the cursor on screen."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from meshgui.views.reroute_popover import DEFAULT_PERCENT, ReroutePopover, placed_near


class FakePrediction:
    """40 req/s into recommendations now; `share` of it would go to the lite service."""

    def __init__(self) -> None:
        self.shares: list[float] = []

    def __call__(self, share: float) -> Mapping[str, tuple[float, float]]:
        self.shares.append(share)
        return {
            "recommendations": (40.0, 40.0 * (1 - share)),
            "recommendations-lite": (0.0, 40.0 * share),
        }


def popover(qtbot: QtBot, predict: FakePrediction, note: str = "") -> ReroutePopover:
    dialog = ReroutePopover("recommendations", "recommendations-lite", predict, note)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    assert QTest.qWaitForWindowActive(dialog)  # the 1-4 shortcuts need the active window
    return dialog


def test_it_says_what_moves_and_starts_small(qtbot: QtBot) -> None:
    predict = FakePrediction()
    dialog = popover(qtbot, predict, note="of the traffic web sends to recommendations")
    assert "from <b>recommendations</b> to <b>recommendations-lite</b>" in dialog.title.text()
    assert dialog.note.text() == "of the traffic web sends to recommendations"
    assert dialog.share() == DEFAULT_PERCENT / 100 and predict.shares == [0.1]
    assert dialog.preset_buttons[10].isChecked()
    assert dialog.rates.rows() == [
        ("recommendations", "40", "36", "-4.0"),
        ("recommendations-lite", "0", "4.0", "+4.0"),
    ]
    assert dialog.windowFlags() & Qt.WindowType.FramelessWindowHint


def test_keys_1_to_4_pick_the_presets_and_the_prediction_follows(qtbot: QtBot) -> None:
    predict = FakePrediction()
    dialog = popover(qtbot, predict)
    for key, percent in ((Qt.Key.Key_3, 50), (Qt.Key.Key_4, 100), (Qt.Key.Key_2, 25)):
        QTest.keyClick(dialog.move_button, key)
        assert dialog.share() == percent / 100
        assert dialog.preset_buttons[percent].isChecked()
        assert sum(button.isChecked() for button in dialog.preset_buttons.values()) == 1
        assert predict.shares[-1] == percent / 100
    assert dialog.rates.rows()[1] == ("recommendations-lite", "0", "10", "+10")
    assert dialog.move_button.text() == "Move 25 %"


def test_an_exact_share_unchecks_the_presets(qtbot: QtBot) -> None:
    predict = FakePrediction()
    dialog = popover(qtbot, predict)
    dialog.spin.setFocus()
    dialog.spin.selectAll()
    QTest.keyClicks(dialog.spin, "33")  # digits go into the box, not to the preset shortcuts
    assert dialog.share() == 0.33
    assert not any(button.isChecked() for button in dialog.preset_buttons.values())
    assert dialog.rates.rows()[0] == ("recommendations", "40", "27", "-13")
    dialog.preset_buttons[100].click()
    assert dialog.share() == 1.0 and dialog.preset_buttons[100].isChecked()
    dialog.preset_buttons[100].click()  # clicking the checked preset keeps it
    assert dialog.preset_buttons[100].isChecked()


def test_enter_moves_and_escape_cancels(qtbot: QtBot) -> None:
    moving = popover(qtbot, FakePrediction())
    QTest.keyClick(moving.move_button, Qt.Key.Key_3)
    QTest.keyClick(moving.move_button, Qt.Key.Key_Return)
    assert moving.result() == QDialog.DialogCode.Accepted and moving.share() == 0.5
    cancelled = popover(qtbot, FakePrediction())
    QTest.keyClick(cancelled, Qt.Key.Key_Escape)
    assert cancelled.result() == QDialog.DialogCode.Rejected


def test_it_opens_beside_the_cursor_and_stays_on_screen() -> None:
    screen = QRect(0, 0, 1920, 1080)
    assert placed_near(QPoint(500, 400), (300, 200), screen) == QPoint(512, 412)
    # Near the right and bottom edges it opens to the left of and above the cursor.
    assert placed_near(QPoint(1900, 1070), (300, 200), screen) == QPoint(1588, 858)
    assert placed_near(QPoint(5, 5), (3000, 200), screen) == QPoint(0, 17)
