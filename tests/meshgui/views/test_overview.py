"""Zoomed far out, the overview layer draws the mesh in batched calls while the items stop
painting (but stay clickable); what it draws follows the data and the items' positions."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from meshgui.model.types import NodeHealth
from meshgui.views.overview_layer import OVERVIEW_MAX_SCALE
from meshgui.views.styles import HEALTH_COLOURS
from meshgui.views.topology_canvas import NO_CONTENTS, TopologyCanvas
from tests.meshgui.views.fakes import WEB_CART, edge, retail_view, stats
from tests.meshgui.views.gesture_input import click


def zoom_to_overview(canvas: TopologyCanvas) -> None:
    while canvas.scale_factor >= OVERVIEW_MAX_SCALE:
        canvas.zoom_out()


def pixels_of(canvas: TopologyCanvas, colour: QColor, tolerance: int = 4) -> int:
    """Pixels of about `colour` (the raster engine rounds a channel by a step or two)."""
    image = canvas.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(-1, 4)  # B, G, R, A
    want = np.array([colour.blue(), colour.green(), colour.red()], dtype=np.int16)
    close = np.abs(pixels[:, :3].astype(np.int16) - want) <= tolerance
    return int(close.all(axis=1).sum())


def test_far_out_the_items_stop_painting_and_the_layer_draws(
    shown_canvas: TopologyCanvas,
) -> None:
    cart = shown_canvas.node_item("cart")
    busy = shown_canvas.edge_item(WEB_CART)
    assert cart is not None and busy is not None
    assert not shown_canvas.overview
    assert not cart.flags() & NO_CONTENTS
    zoom_to_overview(shown_canvas)
    assert shown_canvas.overview
    assert cart.flags() & NO_CONTENTS and busy.flags() & NO_CONTENTS
    assert pixels_of(shown_canvas, HEALTH_COLOURS["FAILING"]) > 0  # the failing call's line
    shown_canvas.reset_zoom()
    assert not shown_canvas.overview
    assert not cart.flags() & NO_CONTENTS and not busy.flags() & NO_CONTENTS


def test_the_overview_follows_new_data(shown_canvas: TopologyCanvas) -> None:
    shown_canvas.centerOn(0, 0)
    zoom_to_overview(shown_canvas)
    failing = HEALTH_COLOURS["FAILING"]
    before = pixels_of(shown_canvas, failing)
    view = retail_view()
    edges = dict(view.edges)
    edges[WEB_CART] = edge(WEB_CART, stats(120.3, 40.0), NodeHealth.FAILING)
    shown_canvas.apply_view(replace(view, edges=edges), changed={WEB_CART})
    assert pixels_of(shown_canvas, failing) > before


def test_a_node_dragged_in_the_overview_takes_its_edges_along(
    qtbot: QtBot, shown_canvas: TopologyCanvas
) -> None:
    zoom_to_overview(shown_canvas)
    failing = HEALTH_COLOURS["FAILING"]
    tags = shown_canvas.node_item("product-tags")
    assert tags is not None
    before = pixels_of(shown_canvas, failing)
    tags.setPos(tags.pos().x() + 2000, tags.pos().y() + 1500)  # a long way: a longer line
    shown_canvas.fit_to_window()
    zoom_to_overview(shown_canvas)
    assert pixels_of(shown_canvas, failing) != before


def test_in_the_overview_a_click_still_selects_a_service(
    qtbot: QtBot, shown_canvas: TopologyCanvas
) -> None:
    zoom_to_overview(shown_canvas)
    cart = shown_canvas.node_item("cart")
    assert cart is not None
    with qtbot.waitSignal(shown_canvas.node_selected, timeout=1000) as selected:
        click(shown_canvas, shown_canvas.mapFromScene(cart.pos()))
    assert selected.args == ["cart"]
