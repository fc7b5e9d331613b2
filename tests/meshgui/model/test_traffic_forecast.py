"""The preview's traffic forecast: rows that change, TCP services in their own unit, instances
when a drain changes how a node's traffic spreads, and where lost traffic goes."""

from __future__ import annotations

import dataclasses

import pytest

from meshgui.model.mesh_edits import reroute, set_drained
from meshgui.model.traffic_forecast import (
    BYTES,
    CONNECTIONS,
    REQUESTS,
    PredictedTraffic,
    format_traffic,
    service_traffic,
    traffic_forecast,
)
from proxy.config import MeshConfig
from tests.meshgui.model.demo_mesh import demo_mesh
from tests.meshgui.model.demo_traffic import demo_traffic


def table(rows: tuple[PredictedTraffic, ...]) -> list[tuple[str, float, float, str]]:
    return [(row.label, round(row.now, 6), round(row.after, 6), row.unit) for row in rows]


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.0, REQUESTS, "0 req/s"),
        (5.25, REQUESTS, "5.2 req/s"),
        (54.0, REQUESTS, "54 req/s"),
        (1250.0, REQUESTS, "1.2k req/s"),
        (0.4, CONNECTIONS, "0.4 conn/s"),
        (512.0, BYTES, "512 B/s"),
        (2100.0, BYTES, "2.1 kB/s"),
        (3.5e6, BYTES, "3.5 MB/s"),
    ],
)
def test_rates_read_with_their_unit(value: float, unit: str, text: str) -> None:
    assert format_traffic(value, unit) == text


def test_an_empty_mesh_takes_every_destination_to_nothing_tcp_included() -> None:
    mesh = demo_mesh()
    forecast = traffic_forecast(mesh, MeshConfig(version=mesh.version + 1), demo_traffic())
    assert table(forecast.rows) == [
        ("cart", 54.0, 0.0, REQUESTS),
        ("inventory", 125.0, 0.0, REQUESTS),
        ("inventory-db", 2100.0, 0.0, BYTES),
        ("product-tags", 36.0, 0.0, REQUESTS),
        ("recommendations", 36.0, 0.0, REQUESTS),
        ("web", 54.0, 0.0, REQUESTS),
    ]
    assert forecast.notes == ()  # nothing gains: the warnings say what fails


def test_a_drained_instance_shows_where_its_traffic_goes() -> None:
    mesh = demo_mesh()
    drained = set_drained(mesh, "inventory", "inventory-1", True).after
    forecast = traffic_forecast(mesh, drained, demo_traffic())
    assert table(forecast.rows) == [
        ("inventory-1 (inventory)", 60.0, 0.0, REQUESTS),
        ("inventory-2 (inventory)", 65.0, 125.0, REQUESTS),
    ]
    assert forecast.notes == ("Traffic of inventory-1 (60 req/s) would go to inventory-2 (100%).",)


@pytest.mark.parametrize("state", ["disconnected", "ejected"])
def test_draining_the_last_healthy_instance_sends_nothing_to_one_that_is_down(state: str) -> None:
    mesh = demo_mesh()
    drained = set_drained(mesh, "inventory", "inventory-1", True).after
    view = demo_traffic(inventory_2=state)  # type: ignore[arg-type]
    forecast = traffic_forecast(mesh, drained, view)
    after = {row.instance: row.after for row in forecast.rows if row.instance}
    assert after == {"inventory-1": 0.0, "inventory-2": 0.0}
    assert len(forecast.notes) == 1
    assert forecast.notes[0].startswith("Traffic of inventory-1 (60 req/s)")
    assert forecast.notes[0].endswith("no healthy instance to go to: those calls would fail (503).")


def test_undraining_beside_an_instance_that_is_down_gives_it_all() -> None:
    mesh = set_drained(demo_mesh(), "inventory", "inventory-1", True).after
    undrained = set_drained(mesh, "inventory", "inventory-1", False).after
    forecast = traffic_forecast(mesh, undrained, demo_traffic(inventory_2="ejected"))
    after = {row.instance: row.after for row in forecast.rows if row.instance}
    assert after == {"inventory-1": 125.0, "inventory-2": 0.0}


def test_with_versions_as_nodes_the_nodes_say_it_and_instances_are_not_repeated() -> None:
    mesh = demo_mesh()
    drained = set_drained(mesh, "inventory", "inventory-1", True).after
    forecast = traffic_forecast(mesh, drained, demo_traffic(versions_as_nodes=True))
    assert table(forecast.rows) == [
        ("inventory v1", 60.0, 0.0, REQUESTS),
        ("inventory v2", 65.0, 125.0, REQUESTS),
    ]
    assert forecast.notes == (
        "Traffic of inventory v1 (60 req/s) would go to inventory v2 (100%).",
    )


def test_a_reroute_shows_its_ends_and_where_a_whole_move_goes() -> None:
    mesh = demo_mesh()
    moved = reroute(mesh, "recommendations", "recommendations", "recommendations-lite", 1.0)
    ends = ("recommendations", "recommendations-lite", "web")
    forecast = traffic_forecast(mesh, moved.after, demo_traffic(), ends)
    assert table(forecast.rows) == [
        ("recommendations", 36.0, 0.0, REQUESTS),
        ("recommendations-lite", 0.0, 36.0, REQUESTS),
        ("web", 54.0, 54.0, REQUESTS),  # a focus node is shown though it does not change
    ]
    assert forecast.notes == (
        "Traffic of recommendations (36 req/s) would go to recommendations-lite (100%).",
    )


def test_nothing_is_forecast_without_a_view_or_a_change() -> None:
    mesh = demo_mesh()
    assert traffic_forecast(mesh, MeshConfig(), None).rows == ()
    assert traffic_forecast(mesh, mesh.with_version(3), demo_traffic()).rows == ()


def test_a_tcp_service_without_bytes_is_counted_in_connections() -> None:
    view = demo_traffic()
    db = dataclasses.replace(view.nodes["inventory-db"], bytes_in_per_s=0.0, rps_in=0.5)
    quiet = dataclasses.replace(view, nodes={**view.nodes, "inventory-db": db})
    traffic = service_traffic(quiet)
    assert (traffic["inventory-db"].value, traffic["inventory-db"].unit) == (0.5, CONNECTIONS)
    assert str(service_traffic(view)["inventory-db"]) == "2.1 kB/s"
    assert str(service_traffic(demo_traffic(versions_as_nodes=True))["inventory"]) == "125 req/s"
