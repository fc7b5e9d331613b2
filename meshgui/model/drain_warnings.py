"""The drain warning: which routes would have no instance left to send their traffic to, or
would send a share of it to a backend with none left.

A route whose every weighted backend selects only drained endpoints (or endpoints the caller
knows to be ejected or disconnected) fails every request it matches with 503. Operators get that
as a sentence before they apply a drain, not as an error rate after.
"""

from __future__ import annotations

from collections.abc import Collection

from proxy.config import Backend, MeshConfig, RouteConfig


def routes_left_without_targets(mesh: MeshConfig, unavailable: Collection[str]) -> list[str]:
    """One sentence per route whose every backend with a weight above 0 has no endpoint that is
    neither drained nor named in `unavailable` (endpoint names: ejected, disconnected)."""
    down = set(unavailable)
    sentences: list[str] = []
    for destination, config in mesh.services.items():
        if config.protocol != "http":
            continue
        routes = mesh.routes_for(destination)
        for index, route in enumerate(routes):
            weighted = [backend for backend in route.backends if backend.weight > 0]
            dead = [backend for backend in weighted if not _has_target(mesh, backend, down)]
            if weighted and len(dead) == len(weighted):
                sentences.append(_sentence(destination, index, len(routes), route, weighted))
            elif dead:
                # The backend is picked before the endpoint: its share fails, the rest is fine.
                sentences.append(_partial(destination, index, len(routes), route, dead))
    return sentences


def _has_target(mesh: MeshConfig, backend: Backend, down: set[str]) -> bool:
    service = mesh.services[backend.service]
    if service.drained:
        return False
    return any(
        not endpoint.drained and endpoint.name not in down
        for endpoint in service.endpoints_in_subset(backend.subset)
    )


def _route_name(destination: str, index: int, count: int, route: RouteConfig) -> str:
    if route.name is not None:
        return f"Route {route.name!r} of {destination}"
    if count > 1:
        return f"Route {index + 1} of {destination}"
    return f"The route to {destination}"


def _targets(backends: list[Backend]) -> str:
    return ", ".join(
        backend.service if backend.subset is None else f"{backend.service} ({backend.subset})"
        for backend in backends
    )


def _partial(
    destination: str, index: int, count: int, route: RouteConfig, dead: list[Backend]
) -> str:
    which = _route_name(destination, index, count, route)
    total = sum(backend.weight for backend in route.backends)
    share = 100.0 * sum(backend.weight for backend in dead) / total
    return (
        f"{which} sends {share:.0f}% of its requests to {_targets(dead)}, whose every instance "
        "is drained or unavailable: that share would fail with 503."
    )


def _sentence(
    destination: str, index: int, count: int, route: RouteConfig, weighted: list[Backend]
) -> str:
    which = _route_name(destination, index, count, route)
    targets = _targets(weighted)
    return (
        f"{which} would have no instance left to send to: every instance of {targets} is "
        "drained or unavailable, so its requests would fail with 503."
    )


def versions_left_out(before: MeshConfig, after: MeshConfig) -> list[str]:
    """Drained versions that splitting a whole-service backend by version left out of a route:
    undrained later, they would get no traffic until the route's weights are edited."""
    sentences: list[str] = []
    for destination in after.services:
        old_routes, new_routes = before.routes_for(destination), after.routes_for(destination)
        if len(old_routes) != len(new_routes):
            continue
        for index, (old, new) in enumerate(zip(old_routes, new_routes, strict=True)):
            whole = {b.service for b in old.backends if b.subset is None and b.weight > 0}
            split = whole - {b.service for b in new.backends if b.subset is None}
            for service in sorted(split):
                config = after.services[service]
                kept = {
                    endpoint.version
                    for backend in new.backends
                    if backend.service == service and backend.subset is not None
                    for endpoint in config.endpoints_in_subset(backend.subset)
                }
                versions = {e.version for e in config.endpoints if e.version is not None}
                which = _route_name(destination, index, len(new_routes), new)
                sentences.extend(
                    f"{which} no longer includes {service} {version} (every instance of it is "
                    "drained): undrained later, it gets no traffic until the route's weights "
                    "are edited."
                    for version in sorted(versions - kept)
                )
    return sentences
