"""What the change preview shows of the traffic: for each destination whose traffic would
change (and each instance, where a drain or an added or removed instance changes how a node's
traffic spreads), the rate now and the rate predicted after, each in its own unit; and where
the traffic that an instance or destination would lose goes instead.

The rates now come from the live `TopologyView`, the predictions from `traffic_prediction`.
HTTP destinations count requests per second. TCP destinations count the bytes per second
through them: their callers keep pooled connections open, so connections per second read 0
while data flows. A TCP destination that moved no bytes is counted in connections per second.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from meshgui.model.node_ids import split_node_id
from meshgui.model.traffic_prediction import predicted_instance_rates, predicted_rates
from meshgui.model.types import TopologyView
from proxy.config import MeshConfig

REQUESTS = "req/s"
BYTES = "B/s"
CONNECTIONS = "conn/s"
SMALLEST_CHANGE = {REQUESTS: 0.05, CONNECTIONS: 0.05, BYTES: 1.0}
"""Changes below this are rounding, not traffic moving."""


UNAVAILABLE_STATES = ("ejected", "disconnected")
"""Instances the balancer sends nothing new: their share of a node goes to the others."""


def unavailable_endpoints(view: TopologyView | None) -> set[str]:
    """Instances the balancer sends nothing new (ejected, or their sidecar gone)."""
    if view is None:
        return set()
    return {
        instance.name
        for node in view.nodes.values()
        for instance in node.instances
        if instance.state in UNAVAILABLE_STATES
    }


def format_traffic(value: float, unit: str) -> str:
    """``54 req/s``, ``1.2k req/s``, ``0.4 conn/s``, ``2.1 kB/s``."""
    if unit == BYTES:
        for name, scale in (("GB/s", 1e9), ("MB/s", 1e6), ("kB/s", 1e3)):
            if value >= scale:
                return f"{value / scale:.1f} {name}"
        return f"{value:.0f} B/s"
    if value == 0:
        number = "0"
    elif value >= 1000:
        number = f"{value / 1000:.1f}k"
    else:
        number = f"{value:.0f}" if value >= 10 else f"{value:.1f}"
    return f"{number} {unit}"


@dataclass(frozen=True, slots=True)
class Traffic:
    """How much a destination receives now, in its unit."""

    value: float
    unit: str = REQUESTS

    def __str__(self) -> str:
        return format_traffic(self.value, self.unit)


@dataclass(frozen=True, slots=True)
class PredictedTraffic:
    """One row of the forecast: a node (``inventory``, ``inventory@v1``) or one instance of
    it, with its rate now and after in `unit`."""

    node: str
    now: float
    after: float
    unit: str = REQUESTS
    instance: str | None = None

    @property
    def service(self) -> str:
        return split_node_id(self.node)[0]

    @property
    def name(self) -> str:
        """The instance's name, or the node's as people read it (``inventory v1``)."""
        return self.instance or display_name(self.node)

    @property
    def label(self) -> str:
        """``inventory v1``; an instance with its node: ``inventory-1 (inventory)``."""
        node = display_name(self.node)
        return node if self.instance is None else f"{self.instance} ({node})"


@dataclass(frozen=True, slots=True)
class TrafficForecast:
    rows: tuple[PredictedTraffic, ...] = ()
    notes: tuple[str, ...] = ()
    """Sentences: where the traffic that a row would lose entirely goes instead."""


def display_name(node: str) -> str:
    return node.replace("@", " ", 1)


def node_traffic(view: TopologyView) -> dict[str, Traffic]:
    """What each node receives now; one unit for every node of a service."""
    in_bytes = {
        node.service
        for node in view.nodes.values()
        if node.protocol == "tcp" and node.bytes_in_per_s > 0
    }
    traffic: dict[str, Traffic] = {}
    for name, node in view.nodes.items():
        if node.protocol == "http":
            traffic[name] = Traffic(node.rps_in, REQUESTS)
        elif node.service in in_bytes:
            traffic[name] = Traffic(node.bytes_in_per_s, BYTES)
        else:
            traffic[name] = Traffic(node.rps_in, CONNECTIONS)
    return traffic


def service_traffic(view: TopologyView) -> dict[str, Traffic]:
    """What each service receives now, its versions added up."""
    totals: dict[str, Traffic] = {}
    for node, traffic in node_traffic(view).items():
        service = split_node_id(node)[0]
        sum_so_far = totals.get(service, Traffic(0.0, traffic.unit)).value
        totals[service] = Traffic(sum_so_far + traffic.value, traffic.unit)
    return totals


def traffic_forecast(
    before: MeshConfig, after: MeshConfig, view: TopologyView | None, focus: Collection[str] = ()
) -> TrafficForecast:
    """The rows whose traffic would change (and the `focus` nodes, even when it would not),
    and where lost traffic goes; nothing when there is no live view to start from."""
    if view is None:
        return TrafficForecast()
    now = node_traffic(view)
    rates = {node: traffic.value for node, traffic in now.items()}
    predicted = predicted_rates(before, after, rates)
    rows = [
        PredictedTraffic(node, rates.get(node, 0.0), rate, _unit(now, after, node))
        for node, rate in predicted.items()
        if node in focus or _differs(rates.get(node, 0.0), rate, _unit(now, after, node))
    ]
    instances_now = {i.name: i.rps for n in view.nodes.values() for i in n.instances}
    down = unavailable_endpoints(view)
    for node, instances in predicted_instance_rates(before, after, predicted, down).items():
        unit = _unit(now, after, node)
        if len(instances) < 2 or unit == BYTES or not _differs(predicted[node], 0.0, unit):
            continue  # the node's own row says it all; instances report no bytes
        rows.extend(
            PredictedTraffic(node, instances_now.get(name, 0.0), rate, unit, name)
            for name, rate in instances.items()
            if _differs(instances_now.get(name, 0.0), rate, unit)
        )
    rows.sort(key=lambda row: (row.service, row.node, row.instance or ""))
    return TrafficForecast(tuple(rows), tuple(where_lost_traffic_goes(rows)))


def where_lost_traffic_goes(rows: Collection[PredictedTraffic]) -> list[str]:
    """For each service with rows that would lose all their traffic: a sentence naming the rows
    that gain it, with their share of the gain. Instances gain from instances, nodes from
    nodes; when nothing in the same service gains, nodes of other services may."""
    sentences: list[str] = []
    for service in dict.fromkeys(row.service for row in rows):
        own = [row for row in rows if row.service == service]
        instances = [row for row in own if row.instance is not None]
        group = instances or own
        lost = [row for row in group if row.now > 0 and not _differs(row.after, 0.0, row.unit)]
        if not lost:
            continue
        gaining = [row for row in group if _gains(row)]
        if not gaining:
            gaining = [
                row
                for row in rows
                if row.service != service and row.instance is None and _gains(row)
            ]
        gaining = [row for row in gaining if row.unit == lost[0].unit]
        total = sum(row.after - row.now for row in gaining)
        sources = " and ".join(f"{row.name} ({format_traffic(row.now, row.unit)})" for row in lost)
        if not gaining or total <= 0:
            if instances:  # the instances left are drained or down: the warnings say more
                sentences.append(
                    f"Traffic of {sources} would have no healthy instance to go to: "
                    "those calls would fail (503)."
                )
            continue
        targets = ", ".join(
            f"{row.name} ({100 * (row.after - row.now) / total:.0f}%)" for row in gaining
        )
        sentences.append(f"Traffic of {sources} would go to {targets}.")
    return sentences


def _gains(row: PredictedTraffic) -> bool:
    return row.after > row.now and _differs(row.now, row.after, row.unit)


def _differs(first: float, second: float, unit: str) -> bool:
    return abs(first - second) >= SMALLEST_CHANGE.get(unit, 0.05)


def _unit(now: Mapping[str, Traffic], after: MeshConfig, node: str) -> str:
    if node in now:
        return now[node].unit
    # A node that starts receiving traffic: TCP ones are counted like their service's others.
    service = split_node_id(node)[0]
    same = [t.unit for n, t in now.items() if split_node_id(n)[0] == service]
    config = after.services.get(service)
    if same:
        return same[0]
    return CONNECTIONS if config is not None and config.protocol == "tcp" else REQUESTS
