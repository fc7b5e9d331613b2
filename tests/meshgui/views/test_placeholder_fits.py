"""The empty canvas's message stays whole in a narrow canvas (beside the details dock), scaled
down rather than cut at both edges, and is never blown up in a wide one."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from meshgui.views.topology_canvas import TopologyCanvas

LONG = "None of the 8 sidecars of a-rather-long-profile-name answers.\nSee why in the status bar."


def shown_whole(canvas: TopologyCanvas) -> bool:
    mapped = canvas.mapFromScene(canvas._placeholder.sceneBoundingRect()).boundingRect()
    return canvas.viewport().rect().contains(mapped)


def test_a_long_message_is_scaled_to_fit_a_narrow_canvas(qtbot: QtBot) -> None:
    canvas = TopologyCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(300, 400)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.clear_topology(LONG)
    assert shown_whole(canvas)
    assert canvas.transform().m11() < 1.0


def test_a_message_follows_the_canvas_when_it_is_resized(qtbot: QtBot) -> None:
    canvas = TopologyCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(1200, 600)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.clear_topology(LONG)
    assert canvas.transform().m11() == 1.0  # room enough: natural size, never larger
    canvas.resize(280, 600)
    qtbot.waitUntil(lambda: shown_whole(canvas), timeout=2000)
