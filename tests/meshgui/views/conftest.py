"""Fixtures for the view tests: a canvas showing the fake retail mesh, laid out and visible."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from meshgui.views.topology_canvas import TopologyCanvas
from tests.meshgui.views.fakes import ColumnLayout, canvas_showing, retail_view

CanvasFactory = Callable[..., TopologyCanvas]


@pytest.fixture
def layout() -> ColumnLayout:
    return ColumnLayout()


@pytest.fixture
def shown_canvas(qtbot: QtBot, layout: ColumnLayout) -> TopologyCanvas:
    return canvas_showing(qtbot, retail_view(), layout)
