"""Fixtures for the view tests: a canvas showing the fake retail mesh, laid out and visible."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from meshgui.views.topology_canvas import TopologyCanvas
from tests.meshgui.views.fakes import ColumnLayout, retail_view

CanvasFactory = Callable[..., TopologyCanvas]


@pytest.fixture
def layout() -> ColumnLayout:
    return ColumnLayout()


@pytest.fixture
def shown_canvas(qtbot: QtBot, layout: ColumnLayout) -> TopologyCanvas:
    canvas = TopologyCanvas(layout_function=layout)
    qtbot.addWidget(canvas)
    canvas.resize(1400, 700)
    canvas.show()
    with qtbot.waitSignal(canvas.layout_applied, timeout=5000):
        canvas.apply_view(retail_view())
    return canvas
