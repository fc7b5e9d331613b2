"""The demo shop's traffic as the model would show it, for the demo mesh of `demo_mesh`: what
change previews predict from. Versions of inventory as one node, or as a node each."""

from __future__ import annotations

from meshgui.model.types import (
    InstanceState,
    InstanceView,
    NodeHealth,
    NodeView,
    Protocol,
    TopologyView,
)

INSTANCE_RPS = {"inventory-1": 60.0, "inventory-2": 65.0}
SERVICE_RPS = {
    "web": 54.0,
    "cart": 54.0,
    "recommendations": 36.0,
    "recommendations-lite": 0.0,
    "product-tags": 36.0,
}
DB_BYTES_PER_S = 2_100.0


def _instance(
    name: str, service: str, version: str | None, rps: float, state: InstanceState = "ready"
) -> InstanceView:
    return InstanceView(name, service, version, state, rps, 0.0, None)


def _node(
    name: str,
    instances: tuple[InstanceView, ...],
    protocol: Protocol = "http",
    bytes_in_per_s: float = 0.0,
) -> NodeView:
    rps = sum(instance.rps for instance in instances)
    return NodeView(
        name,
        protocol,
        instances,
        NodeHealth.HEALTHY,
        None,
        rps,
        0.0,
        12.0,
        bytes_in_per_s=bytes_in_per_s,
    )


def demo_traffic(
    versions_as_nodes: bool = False, inventory_2: InstanceState = "ready"
) -> TopologyView:
    """web, cart, recommendations, product-tags at their demo req/s; inventory at 125 req/s
    (inventory-1 v1: 60, inventory-2 v2: 65, in `inventory_2`'s state); inventory-db moving
    2.1 kB/s over pooled connections (no new ones: 0 conn/s)."""
    nodes: dict[str, NodeView] = {
        name: _node(name, (_instance(f"{name}-1", name, None, rps),))
        for name, rps in SERVICE_RPS.items()
    }
    one = _instance("inventory-1", "inventory", "v1", INSTANCE_RPS["inventory-1"])
    two = _instance("inventory-2", "inventory", "v2", INSTANCE_RPS["inventory-2"], inventory_2)
    if versions_as_nodes:
        nodes["inventory@v1"] = _node("inventory@v1", (one,))
        nodes["inventory@v2"] = _node("inventory@v2", (two,))
    else:
        nodes["inventory"] = _node("inventory", (one, two))
    db = _instance("inventory-db-1", "inventory-db", None, 0.0)
    nodes["inventory-db"] = _node("inventory-db", (db,), "tcp", DB_BYTES_PER_S)
    return TopologyView(nodes, {}, 100.0, 8, 8)
