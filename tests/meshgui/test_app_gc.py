"""The app's garbage-collector policy: the objects of a drawn, laid-out mesh are frozen out of
the collector's full passes, and a new mesh unfreezes them (so the old mesh's cycles can go)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from meshgui.app import keep_gc_pauses_short
from meshgui.views.topology_canvas import TopologyCanvas


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # never leave the test run's objects frozen


@pytest.mark.usefixtures("unfrozen")
def test_a_laid_out_mesh_is_frozen_out_of_full_collections(qtbot: QtBot) -> None:
    canvas = TopologyCanvas()
    qtbot.addWidget(canvas)
    keep_gc_pauses_short(canvas)
    assert gc.get_freeze_count() == 0
    canvas.layout_applied.emit()
    assert gc.get_freeze_count() > 0
