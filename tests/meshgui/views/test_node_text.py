"""A node's second line: instances not serving named by state, shorter wordings when the box is
too narrow, a caller outside the mesh by the calls it makes, a TCP service by its bytes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtGui import QFontMetrics, QGuiApplication
from pytestqt.qtbot import QtBot

from meshgui.model.types import NodeHealth
from meshgui.views.node_item import NODE_WIDTH, NodeItem
from meshgui.views.node_text import node_detail, node_details
from meshgui.views.overview_layer import OverviewLayer
from meshgui.views.styles import CanvasStyle
from tests.meshgui.views.fakes import node


def with_states(*states: str, **fields: Any) -> Any:
    base = node("inventory", len(states), NodeHealth.DEGRADED, rps_in=113.0)
    instances = tuple(replace(i, state=s) for i, s in zip(base.instances, states, strict=True))
    return replace(base, instances=instances, **fields)


def test_instances_not_serving_are_counted_by_state() -> None:
    view = with_states("ready", "drained", "disconnected", "ejected")
    assert node_details(view) == [
        "4 instances (1 drained, 1 down, 1 ejected) · 113 req/s",
        "4 inst (1 drained, 1 down, 1 ejected) · 113 req/s",
        "1/4 ready · 113 req/s",
    ]
    assert node_detail(with_states("ready", "ready")) == "2 instances · 113 req/s"


def test_a_caller_outside_the_mesh_shows_the_calls_it_makes() -> None:
    unknown = replace(node("unknown", 0, rps_in=0.0), rps_out=46.0)
    assert node_detail(unknown) == "no sidecar · 46 req/s out"


def test_a_tcp_service_with_pooled_connections_shows_its_bytes() -> None:
    db = replace(node("inventory-db", protocol="tcp", rps_in=0.0), bytes_in_per_s=4400.0)
    assert node_detail(db) == "1 instance · 4.4 kB/s"
    busy = replace(db, rps_in=3.0)
    assert node_detail(busy) == "1 instance · 3.0 conn/s"


def test_the_box_takes_the_longest_wording_that_fits(qtbot: QtBot) -> None:
    style = CanvasStyle(QGuiApplication.palette(), QGuiApplication.font())
    view = with_states("ready", "drained", "disconnected", "ejected")
    item = NodeItem(view, style, OverviewLayer(style), lambda _item: None)
    metrics = QFontMetrics(style.detail_font)
    wordings = node_details(view)
    wide = metrics.horizontalAdvance(wordings[0])
    assert item._fitting_detail(wide) == wordings[0]
    narrow = metrics.horizontalAdvance(wordings[2])
    assert item._fitting_detail(narrow) == wordings[2]
    assert metrics.horizontalAdvance(item._fitting_detail(int(NODE_WIDTH) - 22)) <= NODE_WIDTH - 22
    assert item._fitting_detail(10).endswith("…")
