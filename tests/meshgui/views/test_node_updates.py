"""What a stats tick costs a node: zoomed in it repaints only when it reads differently (colour
or second line); zoomed out it never repaints itself and formats its second line only when
asked."""

from __future__ import annotations

from dataclasses import replace

import pytest

from meshgui.model.types import NodeHealth
from meshgui.views.overview_layer import OVERVIEW_MAX_SCALE
from meshgui.views.topology_canvas import TopologyCanvas
from tests.meshgui.views.fakes import retail_view


@pytest.fixture
def canvas(qtbot) -> TopologyCanvas:  # type: ignore[no-untyped-def]
    canvas = TopologyCanvas()
    qtbot.addWidget(canvas)
    canvas.apply_view(retail_view())
    return canvas


def test_up_close_a_node_repaints_only_when_it_reads_differently(
    canvas: TopologyCanvas, monkeypatch: pytest.MonkeyPatch
) -> None:
    canvas.resetTransform()  # zoom 1: the overview layer hidden
    assert not canvas.overview
    cart = canvas.node_item("cart")
    assert cart is not None
    updates: list[bool] = []
    monkeypatch.setattr(cart, "update", lambda *_: updates.append(True))
    view = cart.view
    cart.set_view(replace(view, rps_in=view.rps_in + 0.01))  # "20 req/s" still
    assert updates == [] and cart.view.rps_in == view.rps_in + 0.01  # the tooltip's exact number
    cart.set_view(replace(view, rps_in=35.0))
    assert updates == [True] and cart.detail_text == "1 instance · 35 req/s"
    cart.set_view(replace(view, rps_in=35.0, health=NodeHealth.FAILING))
    assert len(updates) == 2  # same text, another colour


def test_zoomed_out_far_a_node_never_repaints_itself_and_reads_right_when_asked(
    canvas: TopologyCanvas, monkeypatch: pytest.MonkeyPatch
) -> None:
    while canvas.scale_factor >= OVERVIEW_MAX_SCALE:
        canvas.zoom_out()
    assert canvas.overview
    cart = canvas.node_item("cart")
    assert cart is not None
    updates: list[bool] = []
    monkeypatch.setattr(cart, "update", lambda *_: updates.append(True))
    cart.set_view(replace(cart.view, rps_in=35.0, health=NodeHealth.FAILING))
    assert updates == []
    assert cart.detail_text == "1 instance · 35 req/s"
