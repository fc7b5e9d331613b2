"""The fake retail mesh with versions shown as nodes (inventory@v1, inventory@v2) and a spare
recommendations-lite: what reroute gestures are tried on."""

from __future__ import annotations

from typing import Any

from meshgui.model.types import (
    EdgeKey,
    InstanceView,
    NodeHealth,
    NodeView,
    TopologyView,
)
from tests.meshgui.views.fakes import NOW, edge, stats

WEB_CART = EdgeKey("web", "cart", "http")
CART_V1 = EdgeKey("cart", "inventory@v1", "http")
CART_V2 = EdgeKey("cart", "inventory@v2", "http")
WEB_RECOMMENDATIONS = EdgeKey("web", "recommendations", "http")
LITE_TAGS = EdgeKey("recommendations-lite", "product-tags", "http")
V1_DB = EdgeKey("inventory@v1", "inventory-db", "tcp")


def versioned_instance(name: str, service: str, version: str | None, state: str = "ready") -> Any:
    return InstanceView(name, service, version, state, 10.0, 0.0, "127.0.0.1:4000")  # type: ignore[arg-type]


def versioned_node(
    name: str,
    instances: tuple[Any, ...],
    health: NodeHealth = NodeHealth.HEALTHY,
    rps_in: float = 20.0,
    protocol: str = "http",
) -> NodeView:
    return NodeView(name, protocol, instances, health, None, rps_in, 0.0, 12.0)  # type: ignore[arg-type]


def versioned_view(v1_state: str = "ready") -> TopologyView:
    v1_health = NodeHealth.DRAINED if v1_state == "drained" else NodeHealth.HEALTHY
    nodes = {
        "web": versioned_node("web", (versioned_instance("web-1", "web", None),), rps_in=0.0),
        "cart": versioned_node("cart", (versioned_instance("cart-1", "cart", None),)),
        "inventory@v1": versioned_node(
            "inventory@v1",
            (versioned_instance("inventory-1", "inventory", "v1", v1_state),),
            v1_health,
        ),
        "inventory@v2": versioned_node(
            "inventory@v2",
            (
                versioned_instance("inventory-2", "inventory", "v2"),
                versioned_instance("inventory-3", "inventory", "v2"),
            ),
        ),
        "inventory-db": versioned_node(
            "inventory-db", (versioned_instance("db-1", "inventory-db", None),), protocol="tcp"
        ),
        "recommendations": versioned_node(
            "recommendations", (versioned_instance("rec-1", "recommendations", None),)
        ),
        "recommendations-lite": versioned_node(
            "recommendations-lite",
            (versioned_instance("lite-1", "recommendations-lite", None),),
            rps_in=0.0,
        ),
        "product-tags": versioned_node(
            "product-tags", (versioned_instance("tags-1", "product-tags", None),)
        ),
    }
    edges = {
        WEB_CART: edge(WEB_CART, stats(120.0)),
        CART_V1: edge(CART_V1, stats(40.0)),
        CART_V2: edge(CART_V2, stats(12.0)),
        WEB_RECOMMENDATIONS: edge(WEB_RECOMMENDATIONS, stats(30.0)),
        LITE_TAGS: edge(LITE_TAGS, stats(0.0, p99=None, in_flight=0, bytes_per_s=0.0)),
        V1_DB: edge(V1_DB, stats(4.0, p99=None)),
    }
    return TopologyView(nodes, edges, NOW - 2, 8, 8)
