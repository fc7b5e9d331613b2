"""Moving a share of one route's traffic from one canvas node to another, in integer weights.

A node is a service (``"inventory"``) or one version of it (``"inventory@v1"``). A route sends
its traffic to backends by weight; a backend is a whole service or one of its subsets. To move
traffic away from one version of a whole-service backend, that backend is first split into one
backend per version (subsets named after the version are added where missing), weighted by the
endpoints' weights, so the rest of its traffic keeps going where it went.

Weights are worked out as real numbers and rounded once, at the end, by the largest-remainder
method, so a route's weights always add up to the same total: the old one when it is at least
100, else 100 (a total of 1 cannot say "75/25").
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass

from meshgui.model.mesh_change import MeshEditError
from proxy.config import Backend, EndpointConfig, RouteConfig, ServiceConfig

Node = tuple[str, str | None]
"""A node id taken apart by `split_node_id`: the service, and its version or None."""
PERCENT_TOTAL = 100
"""Routes whose weights add up to less than this are rescaled to it when edited."""

_NOT_IN_NAME = re.compile(r"[^a-z0-9-]+")


def version_weights(
    endpoints: Iterable[EndpointConfig], drained: bool = False
) -> dict[str | None, float]:
    """The share of traffic each version gets from a balancer over `endpoints`, by endpoint
    weight; drained endpoints get none unless every one is drained (or `drained`, the whole
    service). Versions in the order their first endpoint appears; None for unlabelled ones."""
    members = list(endpoints)
    live = [endpoint for endpoint in members if not endpoint.drained and not drained]
    counted = live or members
    total = sum(endpoint.weight for endpoint in counted)
    shares: dict[str | None, float] = {}
    if total <= 0:
        return shares  # no endpoints at all
    for endpoint in counted:
        shares[endpoint.version] = shares.get(endpoint.version, 0.0) + endpoint.weight / total
    return shares


def subset_versions(config: ServiceConfig, subset: str) -> frozenset[str | None]:
    """The versions a subset selects: the one its selector names, else its endpoints' ones."""
    selector = config.subsets[subset]
    if "version" in selector:
        return frozenset({selector["version"]})
    return frozenset(endpoint.version for endpoint in config.endpoints_in_subset(subset))


def version_subset(services: MutableMapping[str, ServiceConfig], service: str, version: str) -> str:
    """The subset of `service` that selects exactly `version`, added to `services` if missing.

    Raises MeshEditError when no instance of the service carries that version.
    """
    config = services[service]
    if not any(endpoint.version == version for endpoint in config.endpoints):
        raise MeshEditError(f"{service} has no instance labelled version {version}")
    wanted = {"version": version}
    for name, selector in config.subsets.items():
        if selector == wanted:
            return name
    base = _NOT_IN_NAME.sub("-", version.lower()).strip("-")[:55].strip("-") or "version"
    name, number = base, 1
    while name in config.subsets:
        number += 1
        name = f"{base}-{number}"
    services[service] = config.model_copy(update={"subsets": {**config.subsets, name: wanted}})
    return name


def sends_to(services: MutableMapping[str, ServiceConfig], route: RouteConfig, node: Node) -> bool:
    """Whether `route` sends any traffic (weight above 0) to `node`."""
    service, version = node
    config = services.get(service)
    for backend in route.backends:
        if config is None or backend.weight <= 0 or backend.service != service:
            continue
        if version is None:
            return True
        if backend.subset is None:
            if version_weights(config.endpoints, config.drained).get(version, 0.0) > 0:
                return True
        elif version in subset_versions(config, backend.subset):
            return True
    return False


@dataclass
class _Share:
    service: str
    subset: str | None
    weight: float


def move_in_route(
    route: RouteConfig,
    services: MutableMapping[str, ServiceConfig],
    source: Node,
    target: Node,
    share: float,
) -> RouteConfig | None:
    """`route` with `share` of what it sends to `source` sent to `target` instead, or None when
    it sends nothing to `source`. Subsets the new backends need are added to `services`."""
    if not sends_to(services, route, source):
        return None
    work = dict(services)  # committed only if the route changes, so no stray subsets appear
    total = sum(backend.weight for backend in route.backends)
    new_total = total if total >= PERCENT_TOTAL else PERCENT_TOTAL
    shares = [
        _Share(backend.service, backend.subset, backend.weight * new_total / total)
        for backend in route.backends
    ]
    if source[1] is not None:
        shares = _split_by_version(shares, work, source[0])
    shares = _merged(shares)
    destination = _target_share(shares, work, target)
    sources = [
        item
        for item in shares
        if item is not destination and item.weight > 0 and _goes_to(work, item, source, route)
    ]
    sent = sum(item.weight for item in sources)
    if sent <= 0:
        return None
    for item in sources:
        item.weight *= 1.0 - share
    destination.weight += sent * share
    services.update(work)
    return route.model_copy(update={"backends": _rounded(shares, new_total)})


def _split_by_version(
    shares: list[_Share], services: MutableMapping[str, ServiceConfig], service: str
) -> list[_Share]:
    config = services[service]
    split: list[_Share] = []
    for item in shares:
        if item.service != service or item.subset is not None or item.weight <= 0:
            split.append(item)
            continue
        for version, fraction in version_weights(config.endpoints, config.drained).items():
            if version is None:
                unlabelled = next(e.name for e in config.endpoints if e.version is None)
                raise MeshEditError(
                    f"{unlabelled} of {service} has no version label, so the traffic to "
                    f"{service} cannot be split by version; label it or move the whole service"
                )
            subset = version_subset(services, service, version)
            split.append(_Share(service, subset, item.weight * fraction))
    return split


def _merged(shares: list[_Share]) -> list[_Share]:
    """One share per (service, subset), at the place of the first; splitting can make twins."""
    first: dict[tuple[str, str | None], _Share] = {}
    merged: list[_Share] = []
    for item in shares:
        key = (item.service, item.subset)
        if key in first:
            first[key].weight += item.weight
        else:
            first[key] = item
            merged.append(item)
    return merged


def _target_share(
    shares: list[_Share], services: MutableMapping[str, ServiceConfig], target: Node
) -> _Share:
    service, version = target
    subset = None if version is None else version_subset(services, service, version)
    for item in shares:
        if item.service == service and item.subset == subset:
            return item
    added = _Share(service, subset, 0.0)
    shares.append(added)
    return added


def _goes_to(
    services: MutableMapping[str, ServiceConfig], item: _Share, node: Node, route: RouteConfig
) -> bool:
    service, version = node
    if item.service != service:
        return False
    if version is None:
        return True
    if item.subset is None:
        return False  # whole-service backends of this service were split into versions
    versions = subset_versions(services[service], item.subset)
    if version in versions and len(versions) > 1:
        raise MeshEditError(
            f"route {route.name or '(unnamed)'} sends to subset {item.subset} of {service}, "
            f"which holds several versions; edit the route to move traffic out of it"
        )
    return version in versions


def _rounded(shares: list[_Share], total: int) -> tuple[Backend, ...]:
    # round() first so that 49.99999999 (float noise) counts as 50, not as 49 plus a remainder.
    exact = [round(item.weight, 6) for item in shares]
    weights = [math.floor(value) for value in exact]
    left = total - sum(weights)
    by_remainder = sorted(range(len(shares)), key=lambda i: (weights[i] - exact[i], i))
    for index in by_remainder[:left]:
        weights[index] += 1
    return tuple(
        Backend(service=item.service, subset=item.subset, weight=weight)
        for item, weight in zip(shares, weights, strict=True)
    )
