"""The demo shop's mesh config, with made-up ports, as a fixture for the pure edits."""

from __future__ import annotations

from meshgui.demo.mesh_config import mesh_config
from meshgui.demo.plan import DemoPlan
from proxy.config import MeshConfig


def counting_ports(count: int) -> list[int]:
    return list(range(20000, 20000 + count))


def demo_mesh() -> MeshConfig:
    """recommendations -> recommendations (100) / recommendations-lite (0); inventory has
    inventory-1 (v1) and inventory-2 (v2), subsets v1/v2, and a whole-service route backend."""
    return mesh_config(DemoPlan.allocate(allocate_ports=counting_ports))
