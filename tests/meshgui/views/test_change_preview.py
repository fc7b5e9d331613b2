"""The change preview: the summary in the title, warnings that Enter cannot wave through (Apply
Anyway takes a click or Alt+A), a coloured diff readable in light and dark palettes, the
sidecars it goes to, and predicted traffic: per destination, per instance, in each unit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from meshgui.demo.mesh_config import mesh_config
from meshgui.demo.plan import DemoPlan
from meshgui.model.mesh_change import mesh_diff
from meshgui.model.mesh_edits import reroute, set_drained
from meshgui.model.traffic_forecast import BYTES, PredictedTraffic, TrafficForecast
from meshgui.views.change_preview import ADDED, REMOVED, ChangePreviewDialog, DiffView
from proxy.config import MeshConfig

SIDECARS = ["web-1", "cart-1", "inventory-1", "inventory-2", "recommendations-1"]


def demo_mesh() -> MeshConfig:
    return mesh_config(DemoPlan.allocate(allocate_ports=lambda n: list(range(30000, 30000 + n))))


def shown(qtbot: QtBot, dialog: ChangePreviewDialog) -> ChangePreviewDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    assert QTest.qWaitForWindowActive(dialog)  # window shortcuts need the active window
    return dialog


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.Text, "#e0e0e0"),
        (QPalette.ColorRole.WindowText, "#e0e0e0"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def contrast(first: QColor, second: QColor) -> float:
    """WCAG contrast ratio."""

    def luminance(colour: QColor) -> float:
        channels = [colour.redF(), colour.greenF(), colour.blueF()]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def line_colours(view: DiffView, prefix: str) -> list[tuple[QColor, QColor]]:
    """(foreground, background) of every line starting with `prefix`, as highlighted."""
    found = []
    block = view.document().firstBlock()
    while block.isValid():
        text = block.text()
        if text.startswith(prefix) and not text.startswith(prefix * 3):
            ranges = block.layout().formats()
            assert ranges, f"line {text!r} is not coloured"
            char_format = ranges[0].format
            found.append((char_format.foreground().color(), char_format.background().color()))
        block = block.next()
    return found


def test_a_plain_change_shows_summary_diff_and_sidecars_and_applies_on_enter(
    qtbot: QtBot,
) -> None:
    change = reroute(
        demo_mesh(), "recommendations", "recommendations", "recommendations-lite", 0.25
    )
    dialog = shown(qtbot, ChangePreviewDialog(change, SIDECARS))
    assert change.summary in dialog.windowTitle()
    assert dialog.summary_label.text() == change.summary
    assert dialog.warnings_box is None
    diff = dialog.diff_view.toPlainText()
    assert "+    - {service: recommendations-lite, weight: 25}" in diff
    assert "-    - {service: recommendations-lite, weight: 0}" in diff
    assert "version:" not in diff
    assert dialog.sidecars_label.text() == (
        "Will be sent to 5 sidecars: web-1, cart-1, inventory-1, inventory-2, recommendations-1"
    )
    assert dialog.apply_button.isDefault() and dialog.apply_button.isEnabled()
    assert dialog.rates is None
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_ctrl_return_applies_and_escape_cancels(qtbot: QtBot) -> None:
    change = reroute(demo_mesh(), "recommendations", "recommendations", "recommendations-lite", 0.5)
    applying = shown(qtbot, ChangePreviewDialog(change, SIDECARS))
    QTest.keyClick(applying.diff_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert applying.result() == QDialog.DialogCode.Accepted
    cancelling = shown(qtbot, ChangePreviewDialog(change, SIDECARS))
    QTest.keyClick(cancelling, Qt.Key.Key_Escape)
    assert cancelling.result() == QDialog.DialogCode.Rejected and not cancelling.isVisible()


def test_warnings_are_prominent_and_enter_does_not_apply(qtbot: QtBot) -> None:
    change = set_drained(demo_mesh(), "inventory", None, True)
    assert change.warnings  # draining every inventory instance leaves its route no target
    dialog = shown(qtbot, ChangePreviewDialog(change, SIDECARS))
    assert dialog.warnings_box is not None and dialog.warnings_box.isVisible()
    assert [label.text() for label in dialog.warnings_box.labels] == [
        f"• {warning}" for warning in change.warnings
    ]
    assert dialog.warnings_box.y() < dialog.diff_view.y()
    assert dialog.apply_button.text() == "&Apply Anyway"
    assert not dialog.apply_button.isDefault() and dialog.cancel_button.isDefault()
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Rejected

    clicked = shown(qtbot, ChangePreviewDialog(change, SIDECARS))
    QTest.keyClick(clicked, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert clicked.isVisible()  # no shortcut past a warning
    QTest.mouseClick(clicked.apply_button, Qt.MouseButton.LeftButton)
    assert clicked.result() == QDialog.DialogCode.Accepted


def test_apply_anyway_has_a_mnemonic(qtbot: QtBot) -> None:
    change = set_drained(demo_mesh(), "inventory", None, True)
    dialog = shown(qtbot, ChangePreviewDialog(change, SIDECARS))
    QTest.keyClick(dialog, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    # A mnemonic "animates" the click: it lands a moment later.
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=3000)


def test_a_drain_diff_is_the_line_it_adds(qtbot: QtBot) -> None:
    change = set_drained(demo_mesh(), "inventory", "inventory-1", True)
    dialog = shown(qtbot, ChangePreviewDialog(change, SIDECARS))
    changed = [
        line
        for line in dialog.diff_view.toPlainText().splitlines()
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert changed == ["+      drained: true"]


def test_no_sidecar_means_nothing_to_apply(qtbot: QtBot) -> None:
    change = reroute(demo_mesh(), "recommendations", "recommendations", "recommendations-lite", 0.1)
    dialog = shown(qtbot, ChangePreviewDialog(change, []))
    assert not dialog.apply_button.isEnabled()
    assert "No sidecar is connected" in dialog.sidecars_label.text()


def test_many_sidecars_are_counted_and_listed_in_the_tooltip(qtbot: QtBot) -> None:
    change = reroute(demo_mesh(), "recommendations", "recommendations", "recommendations-lite", 0.1)
    many = [f"web-{n}" for n in range(1, 31)]
    dialog = shown(qtbot, ChangePreviewDialog(change, many))
    assert dialog.sidecars_label.text().endswith("web-12 and 18 more")
    assert dialog.sidecars_label.toolTip().splitlines() == many


def test_predicted_rates_per_destination(qtbot: QtBot) -> None:
    change = reroute(demo_mesh(), "inventory", "inventory@v1", "inventory@v2", 0.5)
    predicted = {"inventory@v1": (30.0, 15.0), "inventory@v2": (30.0, 45.0)}
    dialog = shown(qtbot, ChangePreviewDialog(change, SIDECARS, predicted))
    assert dialog.rates is not None
    assert dialog.rates.rows() == [
        ("inventory v1", "30", "15", "-15"),
        ("inventory v2", "30", "45", "+15"),
    ]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_diff_lines_are_green_and_red_and_readable(qtbot: QtBot, dark: bool) -> None:
    view = DiffView()
    qtbot.addWidget(view)
    if dark:
        view.setPalette(dark_palette())
    mesh = demo_mesh()
    change = reroute(mesh, "recommendations", "recommendations", "recommendations-lite", 0.25)
    view.show_diff(mesh_diff(change.before, change.after))
    added, removed = line_colours(view, "+"), line_colours(view, "-")
    assert len(added) == 2 and len(removed) == 2
    for (foreground, background), hue in ((added[0], ADDED), (removed[0], REMOVED)):
        assert abs(background.hslHue() - hue.hslHue()) < 25  # tinted with the colour it means
        assert contrast(foreground, background) >= 4.5, (foreground.name(), background.name())
    base = view.palette().color(QPalette.ColorRole.Base)
    assert (added[0][1].lightnessF() < 0.5) == (base.lightnessF() < 0.5)


def test_an_empty_diff_says_so(qtbot: QtBot) -> None:
    view = DiffView()
    qtbot.addWidget(view)
    view.show_diff("")
    assert view.toPlainText() == "The config text does not change."
    assert view.isReadOnly()


def test_a_forecast_shows_instances_tcp_units_and_where_traffic_goes(qtbot: QtBot) -> None:
    change = set_drained(demo_mesh(), "inventory", "inventory-1", True)
    forecast = TrafficForecast(
        (
            PredictedTraffic("inventory", 60.0, 0.0, instance="inventory-1"),
            PredictedTraffic("inventory", 65.0, 125.0, instance="inventory-2"),
            PredictedTraffic("inventory-db", 2100.0, 0.0, BYTES),
        ),
        ("Traffic of inventory-1 (60 req/s) would go to inventory-2 (100%).",),
    )
    dialog = shown(qtbot, ChangePreviewDialog(change, SIDECARS, forecast))
    assert dialog.rates is not None
    assert dialog.rates.rows() == [
        ("inventory-1 (inventory)", "60 req/s", "0 req/s", "-60 req/s"),
        ("inventory-2 (inventory)", "65 req/s", "125 req/s", "+60 req/s"),
        ("inventory-db", "2.1 kB/s", "0 B/s", "-2.1 kB/s"),
    ]
    header = dialog.rates.horizontalHeaderItem(1)
    assert header is not None and header.text() == "now"  # the unit is in every number
    assert dialog.traffic_notes is not None and dialog.traffic_notes.isVisible()
    assert dialog.traffic_notes.text() == forecast.notes[0]
    assert dialog.rates.height() >= dialog.rates.fitted_height()  # no row cut off

    nothing = shown(qtbot, ChangePreviewDialog(change, SIDECARS, TrafficForecast()))
    assert nothing.rates is None and nothing.traffic_notes is None
