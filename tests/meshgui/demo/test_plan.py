"""The shop's shape, its ports, and the mesh config an operator would write for it."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from meshgui.demo.mesh_config import mesh_config, mesh_document, sidecar_file, sidecar_yaml
from meshgui.demo.plan import EXPECTED_EDGES, SHOP, DemoPlan
from proxy.config import load_sidecar_file


def counting_ports(count: int) -> list[int]:
    return list(range(20000, 20000 + count))


def plan() -> DemoPlan:
    return DemoPlan.allocate(allocate_ports=counting_ports)


def test_the_shop_of_the_seed_story() -> None:
    names = [member.name for member in plan().instances]
    assert names == [
        "web-1",
        "cart-1",
        "inventory-1",
        "inventory-2",
        "inventory-db-1",
        "recommendations-1",
        "recommendations-lite-1",
        "product-tags-1",
    ]
    assert {(m.name, m.version) for m in plan().of_service("inventory")} == {
        ("inventory-1", "v1"),
        ("inventory-2", "v2"),
    }
    assert set(EXPECTED_EDGES) == {
        ("web", "inventory"),
        ("web", "cart"),
        ("web", "recommendations"),
        ("cart", "inventory"),
        ("recommendations", "product-tags"),
        ("recommendations", "inventory"),
        ("inventory", "inventory-db"),
    }
    assert not any("recommendations-lite" in edge for edge in EXPECTED_EDGES)


def test_every_listener_gets_its_own_port() -> None:
    ports = []
    for member in plan().instances:
        p = member.ports
        ports += [p.app, p.control, p.outbound, p.inbound, p.admin, p.metrics]
        ports += list(p.tcp_outbound.values())
    assert len(ports) == len(set(ports))
    assert plan().instance("inventory-2").ports.tcp_outbound.keys() == {"inventory-db"}


def test_the_mesh_config_passes_the_sidecar_schema_with_operator_policies() -> None:
    mesh = mesh_config(plan())
    assert mesh.services["inventory-db"].protocol == "tcp"
    assert mesh.services["inventory"].subsets == {"v1": {"version": "v1"}, "v2": {"version": "v2"}}
    for name, service in mesh.services.items():
        if service.protocol == "http":
            assert service.outlier_detection.enabled, name
    for destination in ("inventory", "cart", "recommendations", "product-tags"):
        (route,) = mesh.routes[destination]
        assert route.timeout is not None and route.timeout <= 2.0
        assert route.retry is not None and route.retry.attempts == 2
        assert set(route.retry.retry_on) == {"connect-failure", "reset", "retriable-status-codes"}
        assert route.retry.retriable_status_codes == (503,)
    weights = {b.service: b.weight for b in mesh.routes["recommendations"][0].backends}
    assert weights == {"recommendations": 100, "recommendations-lite": 0}


def test_every_sidecar_file_is_valid_and_points_at_its_token(tmp_path: Path) -> None:
    the_plan = plan()
    mesh = mesh_config(the_plan)
    for member in the_plan.instances:
        settings = sidecar_file(member, mesh, tmp_path / f"{member.name}.token").sidecar
        assert settings.instance == member.name
        assert settings.token is not None and settings.token.file is not None
        assert settings.drain_timeout <= 1.0
        assert settings.labels == member.labels
    inventory = sidecar_file(the_plan.instance("inventory-1"), mesh, tmp_path / "t").sidecar
    assert set(inventory.tcp_outbound) == {"inventory-db"}


@given(st.permutations(range(30000, 30060)))
def test_any_free_ports_make_a_valid_mesh(shuffled: list[int]) -> None:
    source = itertools.chain(shuffled)
    the_plan = DemoPlan.allocate(allocate_ports=lambda n: [next(source) for _ in range(n)])
    assert mesh_config(the_plan).version == mesh_document(the_plan)["version"] == 1
    assert len(SHOP) == len({m.service for m in the_plan.instances})


def test_sidecar_files_are_written_as_they_load(tmp_path: Path) -> None:
    the_plan = plan()
    mesh = mesh_config(the_plan)
    for member in the_plan.instances:
        config = sidecar_file(member, mesh, tmp_path / "token")
        path = tmp_path / f"{member.name}.yaml"
        path.write_text(sidecar_yaml(config))
        assert load_sidecar_file(path) == config
