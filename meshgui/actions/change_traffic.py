"""What a change would do to the traffic, for its preview: the warnings about traffic it would
lose (removed services and routes, drains that leave nothing to send to), the predicted traffic
table, and the req/s table the reroute popover shows while the share is chosen. All of it from
the `TopologyView` on screen when the change is built."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from meshgui.model.mesh_change import MeshChange
from meshgui.model.mesh_edits import left_without_targets, predicted_rates, removal_warnings
from meshgui.model.traffic_forecast import (
    TrafficForecast,
    service_traffic,
    traffic_forecast,
    unavailable_endpoints,
)
from meshgui.model.types import TopologyView


def node_rates(view: TopologyView | None) -> dict[str, float]:
    return {} if view is None else {name: node.rps_in for name, node in view.nodes.items()}


def rate_table(
    change: MeshChange, view: TopologyView | None, focus: Iterable[str] = ()
) -> dict[str, tuple[float, float]]:
    """req/s into each node now and as predicted after `change`: the nodes whose traffic
    changes, and the `focus` nodes (the two ends of a reroute) even when it does not."""
    now = node_rates(view)
    after = predicted_rates(change.before, change.after, now)
    shown = set(focus)
    return {
        node: (now.get(node, 0.0), rps)
        for node, rps in sorted(after.items())
        if abs(now.get(node, 0.0) - rps) >= 0.05 or node in shown
    }


def with_traffic_warnings(change: MeshChange, view: TopologyView | None) -> MeshChange:
    """`change` warning, besides what it warns already, about every service and route it
    removes that carries traffic now (every one, without a view), about removing every
    service, and about every route or TCP service it leaves with nowhere healthy to send to.
    Adding the same warnings twice changes nothing."""
    down = unavailable_endpoints(view)
    traffic = None if view is None else service_traffic(view)
    already = set(left_without_targets(change.before, down))
    already.update(change.warnings)
    removals = removal_warnings(change.before, change.after, traffic)
    dead_ends = left_without_targets(change.after, down)
    new_removals = [w for w in dict.fromkeys(removals) if w not in already]
    new_dead_ends = [w for w in dict.fromkeys(dead_ends) if w not in already]
    if not new_removals and not new_dead_ends:
        return change
    # Removals first: they are the most destructive, and the first thing an operator reads.
    warnings = (*new_removals, *change.warnings, *new_dead_ends)
    return dataclasses.replace(change, warnings=warnings)


def forecast(
    change: MeshChange, view: TopologyView | None, focus: Iterable[str] = ()
) -> TrafficForecast:
    """The preview's traffic table for `change`, from the traffic `view` shows now."""
    return traffic_forecast(change.before, change.after, view, tuple(focus))
