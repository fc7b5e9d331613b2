"""What a config change would do to the traffic: req/s into each node, now and after.

The sidecars report the req/s each node receives; the configs say what share of each
destination's traffic goes to each node. For every destination whose shares change, its total
req/s is estimated from the nodes only it sends to, what it sends now is taken off the nodes
and what it would send after is added. Traffic into a destination is assumed to spread evenly
over its routes (which route matches depends on the requests, which the config cannot know).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

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
            config = mesh.services[backend.service]
            selected = config.endpoints_in_subset(backend.subset)
            live = [] if config.drained else [e for e in selected if not e.drained]
            part = backend.weight / total / len(routes)
            for version, fraction in version_weights(live).items():
                node = node_of(backend.service, version)
                shares[node] = shares.get(node, 0.0) + part * fraction
    return shares
