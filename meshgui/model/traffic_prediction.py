"""What a config change would do to the traffic: the rate into each node, now and after.

The sidecars report the req/s each node receives; the configs say what share of each
destination's traffic goes to each node. For every destination whose shares change, its total
req/s is estimated from the nodes only it sends to, what it sends now is taken off the nodes
and what it would send after is added. Traffic into a destination is assumed to spread evenly
over its routes (which route matches depends on the requests, which the config cannot know).

A TCP service has no routes: its traffic goes to its own live instances, in whatever unit the
caller counts it (bytes/s, connections/s). Each destination is worked out on its own, so rates
in different units may share one mapping. Within a node, traffic spreads over its live
instances by endpoint weight (`predicted_instance_rates`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from meshgui.model.node_ids import node_id, split_node_id
from meshgui.model.route_weights import version_weights
from proxy.config import MeshConfig

NodeOf = Callable[[str, str | None], str]


def predicted_rates(
    before: MeshConfig, after: MeshConfig, destination_rps: Mapping[str, float]
) -> dict[str, float]:
    """The req/s each node id would get after the change from `before` to `after`, given the
    req/s into each node id now. Node ids are services, or ``service@version`` for services
    the caller gives per version; nodes that would start receiving traffic are included."""
    versioned = {service for service, version in map(split_node_id, destination_rps) if version}

    def node_of(service: str, version: str | None) -> str:
        return node_id(service, version if service in versioned else None)

    now = {d: destination_shares(before, d, node_of) for d in before.services}
    later = {d: destination_shares(after, d, node_of) for d in after.services}
    senders: dict[str, set[str]] = {}
    for destination, shares in now.items():
        for node, fraction in shares.items():
            if fraction > 0:
                senders.setdefault(node, set()).add(destination)
    predicted = {node: float(rate) for node, rate in destination_rps.items()}
    for destination, shares in now.items():
        shares_after = later.get(destination, {})
        if shares_after == shares:
            continue
        own = [node for node, fraction in shares.items() if senders.get(node) == {destination}]
        covered = sum(shares[node] for node in own)
        if covered <= 0:
            continue  # its traffic cannot be told apart from other destinations'
        rate = sum(destination_rps.get(node, 0.0) for node in own) / covered
        for node, fraction in shares.items():
            sent = destination_rps.get(node, 0.0) if node in own else rate * fraction
            predicted[node] = predicted.get(node, 0.0) - sent
        for node, fraction in shares_after.items():
            predicted[node] = predicted.get(node, 0.0) + rate * fraction
    return {node: max(0.0, round(rate, 9)) for node, rate in predicted.items()}


def destination_shares(mesh: MeshConfig, destination: str, node_of: NodeOf) -> dict[str, float]:
    """The share of `destination`'s traffic that reaches each node, by route and endpoint
    weights; traffic towards a backend whose every endpoint is drained reaches nothing."""
    routes = mesh.routes_for(destination)
    shares: dict[str, float] = {}
    for route in routes:
        total = sum(backend.weight for backend in route.backends)
        for backend in route.backends:
            if backend.weight <= 0:
                continue
            part = backend.weight / total / len(routes)
            _add_shares(shares, mesh, backend.service, backend.subset, part, node_of)
    if mesh.services[destination].protocol == "tcp":
        _add_shares(shares, mesh, destination, None, 1.0, node_of)
    return shares


def _add_shares(
    shares: dict[str, float],
    mesh: MeshConfig,
    service: str,
    subset: str | None,
    part: float,
    node_of: NodeOf,
) -> None:
    config = mesh.services[service]
    selected = config.endpoints_in_subset(subset)
    live = [] if config.drained else [e for e in selected if not e.drained]
    for version, fraction in version_weights(live).items():
        node = node_of(service, version)
        shares[node] = shares.get(node, 0.0) + part * fraction


def predicted_instance_rates(
    before: MeshConfig,
    after: MeshConfig,
    nodes_after: Mapping[str, float],
    unavailable: Collection[str] = (),
) -> dict[str, dict[str, float]]:
    """Per node whose live instances change (drained, undrained, added, removed, reweighted):
    the rate each of its instances would get after, out of the node's predicted rate in
    `nodes_after` (node ids as `predicted_rates` takes them), by endpoint weight; an instance
    that would get nothing (drained, removed) is included with 0. So is one `unavailable`
    (ejected, its sidecar gone): the balancer sends it nothing, so its share goes to the
    others; with no other, every instance gets 0 (those calls fail)."""
    versioned = {service for service, version in map(split_node_id, nodes_after) if version}

    def node_of(service: str, version: str | None) -> str:
        return node_id(service, version if service in versioned else None)

    old, new = live_instances(before, node_of), live_instances(after, node_of)
    homes = [*instance_nodes(before, node_of).items(), *instance_nodes(after, node_of).items()]
    predicted: dict[str, dict[str, float]] = {}
    for node in sorted(old.keys() | new.keys()):
        weights = new.get(node, {})
        if weights == old.get(node, {}):
            continue  # the balancer keeps spreading the node's traffic as it does now
        weights = {name: w for name, w in weights.items() if name not in unavailable}
        total = sum(weights.values())
        rate = nodes_after.get(node, 0.0)
        named = dict.fromkeys(name for name, home in homes if home == node)
        share = {name: weights.get(name, 0) / total if total else 0.0 for name in named}
        predicted[node] = {name: rate * fraction for name, fraction in share.items()}
    return predicted


def live_instances(mesh: MeshConfig, node_of: NodeOf) -> dict[str, dict[str, int]]:
    """node id -> {endpoint name: weight} of the endpoints that may be sent new traffic."""
    nodes: dict[str, dict[str, int]] = {}
    for service, config in mesh.services.items():
        for endpoint in config.endpoints:
            if not (config.drained or endpoint.drained):
                node = nodes.setdefault(node_of(service, endpoint.version), {})
                node[endpoint.name] = endpoint.weight
    return nodes


def instance_nodes(mesh: MeshConfig, node_of: NodeOf) -> dict[str, str]:
    """endpoint name -> its node id, for every endpoint, drained or not."""
    return {
        endpoint.name: node_of(service, endpoint.version)
        for service, config in mesh.services.items()
        for endpoint in config.endpoints
    }
