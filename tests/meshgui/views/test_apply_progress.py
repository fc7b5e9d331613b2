"""The apply progress dock: a row per sidecar from pending to its answer in words, a summary when
done, follow-up buttons that fit the failures, and a dock that shows itself on a partial failure."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from meshgui.client.config_ops import ApplyProgress, ApplyReport, ApplyState
from meshgui.demo.mesh_config import mesh_config
from meshgui.demo.plan import DemoPlan
from meshgui.model.mesh_change import MeshChange
from meshgui.model.mesh_edits import reroute
from meshgui.views.apply_progress import ApplyProgressPanel, summary_text
from meshgui.views.styles import HEALTH_COLOURS

SIDECARS = ["web-1", "cart-1", "inventory-1", "inventory-2"]


def a_change() -> MeshChange:
    mesh = mesh_config(DemoPlan.allocate(allocate_ports=lambda n: list(range(31000, 31000 + n))))
    return reroute(mesh, "inventory", "inventory@v1", "inventory@v2", 0.5)  # version 1 -> 2


def docked(qtbot: QtBot) -> tuple[QMainWindow, ApplyProgressPanel]:
    window = QMainWindow()
    qtbot.addWidget(window)
    panel = ApplyProgressPanel(window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, panel)
    window.show()
    qtbot.waitExposed(window)
    return window, panel


def report(change: MeshChange, *results: ApplyProgress) -> ApplyReport:
    return ApplyReport(change, {result.sidecar_id: result for result in results})


def applied(sidecar: str) -> ApplyProgress:
    return ApplyProgress(sidecar, "applied", 2, f"{sidecar} runs version 2")


def test_rows_go_from_pending_to_applied(qtbot: QtBot) -> None:
    _, panel = docked(qtbot)
    change = a_change()
    panel.start(change, SIDECARS)
    assert panel.title.text() == f"Applying: {change.summary}"
    assert [panel.row_texts(s)[0] for s in SIDECARS] == ["…"] * 4
    assert not any(b.isEnabled() for b in (panel.retry_button, panel.rollback_button))
    panel.show_progress(applied("cart-1"))
    assert panel.row_texts("cart-1") == ("applied v2", "")
    item, pending_item = panel.table.topLevelItem(1), panel.table.topLevelItem(0)
    assert item is not None and pending_item is not None
    green = HEALTH_COLOURS["HEALTHY"]
    assert abs(item.foreground(1).color().hslHue() - green.hslHue()) < 10
    muted = panel.palette().color(QPalette.ColorRole.PlaceholderText)
    assert pending_item.foreground(1).color() == muted

    panel.finish(report(change, *(applied(s) for s in SIDECARS)))
    assert panel.summary.text() == "Applied to all 4 sidecars."
    assert panel.title.text() == f"Applied: {change.summary}"
    assert not panel.failures.isVisible()
    buttons = (panel.retry_button, panel.rollback_button, panel.reload_button)
    assert not any(button.isEnabled() for button in buttons)


def test_each_failure_is_said_in_words(qtbot: QtBot) -> None:
    _, panel = docked(qtbot)
    change = a_change()
    panel.start(change, [*SIDECARS, "product-tags-1"])
    panel.finish(
        report(
            change,
            applied("web-1"),
            ApplyProgress("cart-1", "stale", 3, "cart-1 runs version 3, not 1: reload first"),
            ApplyProgress("inventory-1", "denied", None, "inventory-1 refused the admin token"),
            ApplyProgress("inventory-2", "rejected", None, "routes.x: no service named 'x'"),
        )
    )
    assert panel.row_texts("cart-1") == (
        "stale",
        "the sidecar is at version 3, the change was made against 1"
        " — someone else changed the mesh",
    )
    assert panel.row_texts("inventory-1") == ("denied", "inventory-1 refused the admin token")
    assert panel.row_texts("inventory-2") == ("rejected", "routes.x: no service named 'x'")
    assert panel.row_texts("product-tags-1") == ("no answer", "the sidecar never answered")
    assert panel.summary.text() == (
        "Applied to 1 of 5 sidecars only; 1 stale, 1 denied, 1 rejected, 1 no answer."
    )
    assert panel.title.text().startswith("Not fully applied")
    failures = panel.failures.text().splitlines()
    assert len(failures) == 4 and failures[0].startswith("• cart-1: stale — the sidecar is at")
    assert panel.failures.isVisible()


def test_failures_without_a_message_still_say_why(qtbot: QtBot) -> None:
    _, panel = docked(qtbot)
    change = a_change()
    panel.start(change, SIDECARS)
    panel.show_progress(ApplyProgress("web-1", "unreachable"))
    panel.show_progress(ApplyProgress("cart-1", "denied"))
    panel.show_progress(ApplyProgress("inventory-1", "stale"))
    assert panel.row_texts("web-1") == ("unreachable", "no answer from the sidecar's admin address")
    assert "admin token" in panel.row_texts("cart-1")[1]
    assert "someone else changed the mesh" in panel.row_texts("inventory-1")[1]


def test_buttons_follow_the_failures(qtbot: QtBot) -> None:
    _, panel = docked(qtbot)
    change = a_change()
    cases: dict[tuple[ApplyState, ApplyState], tuple[bool, bool, bool]] = {
        # results -> (retry failed, roll back, reload and reapply)
        ("applied", "unreachable"): (True, True, False),
        ("applied", "stale"): (False, True, True),
        ("stale", "stale"): (False, False, True),
        ("rejected", "denied"): (True, False, False),
        ("stale", "error"): (True, False, True),
    }
    for states, expected in cases.items():
        panel.start(change, SIDECARS[:2])
        results = [ApplyProgress(s, state, 2) for s, state in zip(SIDECARS, states, strict=False)]
        panel.finish(report(change, *results))
        enabled = (
            panel.retry_button.isEnabled(),
            panel.rollback_button.isEnabled(),
            panel.reload_button.isEnabled(),
        )
        assert enabled == expected, states


def test_buttons_hand_back_the_report_once(qtbot: QtBot) -> None:
    _, panel = docked(qtbot)
    change = a_change()
    panel.start(change, SIDECARS[:3])
    finished = report(
        change,
        applied("web-1"),
        ApplyProgress("cart-1", "unreachable", None, "cart-1 cannot be reached"),
        ApplyProgress("inventory-1", "stale", 4),
    )
    panel.finish(finished)
    with qtbot.waitSignal(panel.retry_requested, timeout=1000) as retry:
        panel.retry_button.click()
    assert retry.args == [finished]
    assert not panel.rollback_button.isEnabled() and not panel.reload_button.isEnabled()

    panel.start(change, SIDECARS[:3])
    panel.finish(finished)
    with qtbot.waitSignal(panel.rollback_requested, timeout=1000) as rollback:
        panel.rollback_button.click()
    assert rollback.args == [finished]

    panel.start(change, SIDECARS[:3])
    panel.finish(finished)
    with qtbot.waitSignal(panel.reload_requested, timeout=1000) as reload:
        panel.reload_button.click()
    assert reload.args == [finished]


def test_a_partial_failure_shows_the_hidden_dock(qtbot: QtBot) -> None:
    _, panel = docked(qtbot)
    change = a_change()
    panel.start(change, SIDECARS[:2])
    panel.hide()
    panel.finish(report(change, applied("web-1"), ApplyProgress("cart-1", "error", None, "boom")))
    assert panel.isVisible()


def test_a_success_leaves_a_hidden_dock_hidden(qtbot: QtBot) -> None:
    _, panel = docked(qtbot)
    change = a_change()
    panel.start(change, SIDECARS[:1])
    panel.hide()
    panel.finish(report(change, applied("web-1")))
    assert not panel.isVisible()
    assert panel.summary.text() == "Applied to the sidecar."


def test_summary_when_nothing_applied() -> None:
    states = {"web-1": "unreachable", "cart-1": "unreachable"}
    assert summary_text(states) == "Not applied to any of 2 sidecars: 2 unreachable."
