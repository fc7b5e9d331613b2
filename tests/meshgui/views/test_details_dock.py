"""The details dock: charts for the selected edge only (asked of the model each refresh, for the
chosen window), and a selected service's instances with their state and rates."""

from __future__ import annotations

from dataclasses import replace

from pytestqt.qtbot import QtBot

from meshgui.views.details_dock import DetailsDock
from meshgui.views.instance_table import COLUMNS
from tests.meshgui.views.fakes import (
    RECOMMENDATIONS_TAGS,
    WEB_CART,
    FakeModel,
    instance,
    node,
    retail_view,
)


def shown_dock(qtbot: QtBot, model: FakeModel) -> DetailsDock:
    dock = DetailsDock()
    qtbot.addWidget(dock)
    dock.set_source(model.history)
    dock.show()
    dock.refresh(model.view())
    return dock


def test_nothing_selected_asks_for_no_history(qtbot: QtBot) -> None:
    model = FakeModel()
    dock = shown_dock(qtbot, model)
    dock.refresh(model.view())
    assert dock.pages.currentWidget() is dock.empty
    assert model.history_calls == []


def test_the_selected_edge_alone_is_charted(qtbot: QtBot) -> None:
    model = FakeModel()
    dock = shown_dock(qtbot, model)
    dock.select_edge(WEB_CART)
    dock.refresh(model.view())
    assert dock.pages.currentWidget() is dock.charts
    assert model.history_calls == [(WEB_CART, 300.0), (WEB_CART, 300.0)]
    assert dock.charts.title.text() == "web → cart (http)"
    assert "120\u00a0req/s" in dock.charts.summary.text()
    x, _ = dock.charts.rate_curve.getOriginalDataset()
    assert x is not None and len(x) == 300
    _, p99 = dock.charts.latency_curves["p99_ms"].getOriginalDataset()
    assert p99 is not None and len(p99) == 300

    model.history_calls.clear()
    dock.select_edge(RECOMMENDATIONS_TAGS)
    dock.refresh(model.view())
    assert {key for key, _ in model.history_calls} == {RECOMMENDATIONS_TAGS}


def test_a_longer_window_asks_for_more_history(qtbot: QtBot) -> None:
    model = FakeModel()
    dock = shown_dock(qtbot, model)
    dock.select_edge(WEB_CART)
    dock.charts.window_box.setCurrentText("Last 1 h")
    assert model.history_calls[-1] == (WEB_CART, 3600.0)
    x, _ = dock.charts.rate_curve.getOriginalDataset()
    assert x is not None and len(x) == 3600


def test_a_hidden_dock_charts_nothing(qtbot: QtBot) -> None:
    model = FakeModel()
    dock = shown_dock(qtbot, model)
    dock.select_edge(WEB_CART)
    dock.hide()
    model.history_calls.clear()
    dock.refresh(model.view())
    assert model.history_calls == []


def test_a_selected_service_lists_its_instances(qtbot: QtBot) -> None:
    view = retail_view()
    inventory = node("inventory", 2)
    draining = instance("inventory-2", "inventory", state="draining", rps=1.5)
    nodes = dict(view.nodes)
    nodes["inventory"] = type(inventory)(
        **{
            **{f: getattr(inventory, f) for f in inventory.__slots__},
            "instances": (inventory.instances[0], draining),
        }  # type: ignore[attr-defined]
    )
    model = FakeModel(type(view)(nodes, view.edges, view.newest_data_at, 5, 6))
    dock = shown_dock(qtbot, model)
    dock.select_node("inventory")
    assert dock.pages.currentWidget() is dock.node_details
    rows = dock.node_details.table.rows()
    assert [r[COLUMNS.index("Instance")] for r in rows] == ["inventory-1", "inventory-2"]
    assert rows[1][COLUMNS.index("State")] == "draining"
    assert rows[1][COLUMNS.index("req/s")] == "1.50"
    assert model.history_calls == []
    dock.select_node(None)
    assert dock.pages.currentWidget() is dock.empty


def test_a_flaky_service_shows_the_tries_its_callers_retried(qtbot: QtBot) -> None:
    """No call into inventory failed, yet its callers retried 4.5 tries a second (the model
    sums its inbound edges' retries): the header says so beside the 0 %, as the node's amber
    colour does."""
    view = retail_view()
    nodes = dict(view.nodes)
    inventory = replace(nodes["inventory"], rps_in=50.0, error_pct=0.0, p99_ms=48.66)
    nodes["inventory"] = replace(inventory, retries_in=4.5)
    dock = shown_dock(qtbot, FakeModel(replace(view, nodes=nodes)))
    dock.select_node("inventory")
    first, second = dock.node_details.summary.text().replace("\u00a0", " ").split("\n")
    assert first == "disconnected · 50.0 req/s in · p99 48.7 ms"
    # 4.5 retries over 54.5 tries: 8.26 % of the tries failed.
    assert second == "0% of calls failed · 8.26% of tries failed · 4.50 retries/s"
