"""Warnings about changes that would lose traffic, as sentences for the change preview.

Drains: which routes would have no instance left to send their traffic to, or would send a
share of it to a backend with none left; which TCP services would have no instance left. A
route whose every weighted backend selects only drained endpoints (or endpoints the caller
knows to be ejected or disconnected) fails every request it matches with 503.

Removals (`removal_warnings`): services and routes a change drops while they carry traffic,
and a change that drops every service at once (a mesh file with ``services: {}``).

Operators get these as sentences before they apply the change, not as an error rate after.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from meshgui.model.traffic_forecast import REQUESTS, Traffic
from proxy.config import Backend, MeshConfig, RouteConfig, RouteMatch

MOST_NAMED = 6
"""Beyond this many services, a warning names the busiest and counts the rest."""


def left_without_targets(mesh: MeshConfig, unavailable: Collection[str]) -> list[str]:
    """`routes_left_without_targets`, then the TCP services with no instance left to connect to
    (every one drained, removed, or named in `unavailable`)."""
    down = set(unavailable)
    sentences = routes_left_without_targets(mesh, down)
    for service, config in mesh.services.items():
        live = [e for e in config.endpoints if not e.drained and e.name not in down]
        if config.protocol == "tcp" and (config.drained or not live):
            sentences.append(
                f"{service} (TCP) would have no instance left to connect to: every instance of "
                "it is drained or unavailable, so new connections to it would be closed at once."
            )
    return sentences


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


def removal_warnings(
    before: MeshConfig, after: MeshConfig, traffic: Mapping[str, Traffic] | None
) -> list[str]:
    """Sentences for what `after` drops of `before` while it carries traffic: every service at
    once, a service, a route of a service that stays. `traffic` is what each service receives
    now; None when that is unknown, and then every removal is named."""
    removed = [service for service in before.services if service not in after.services]
    if before.services and not after.services:
        return [_everything_removed(before, traffic)]
    busy = [service for service in removed if _busy(service, traffic)]
    sentences: list[str] = []
    if len(busy) > 2:
        which = "services" if traffic is None else "services that receive traffic now"
        sentences.append(
            f"This removes {len(busy)} {which}: {_named(busy, traffic)}. HTTP calls to them "
            "would fail with 404 (no route), new TCP connections would be closed at once."
        )
    else:
        sentences.extend(_service_removed(before, service, traffic) for service in busy)
    for destination in before.services:
        if destination in after.services and _busy(destination, traffic):
            sentences.extend(_routes_dropped(before, after, destination, traffic))
    return sentences


def _busy(service: str, traffic: Mapping[str, Traffic] | None) -> bool:
    return traffic is None or (service in traffic and traffic[service].value > 0)


def _now(service: str, traffic: Mapping[str, Traffic] | None) -> str:
    if traffic is None:
        return "traffic now unknown"
    return f"{traffic.get(service, Traffic(0.0))} now"


def _named(services: list[str], traffic: Mapping[str, Traffic] | None) -> str:
    def busiest(service: str) -> tuple[bool, float]:
        load = traffic.get(service) if traffic is not None else None
        return (load is None or load.unit != REQUESTS, -(load.value if load else 0.0))

    def load(service: str) -> str:
        return "traffic unknown" if traffic is None else str(traffic.get(service, Traffic(0.0)))

    ordered = sorted(services, key=busiest)
    named = ", ".join(f"{s} ({load(s)})" for s in ordered[:MOST_NAMED])
    more = len(ordered) - MOST_NAMED
    return f"{named} and {more} more" if more > 0 else named


def _everything_removed(before: MeshConfig, traffic: Mapping[str, Traffic] | None) -> str:
    count = len(before.services)
    busy = [service for service in before.services if _busy(service, traffic)]
    if traffic is None:
        load = "Their traffic now is unknown."
    elif busy:
        load = f"Traffic now: {_named(busy, traffic)}."
    else:
        load = "None of them receives traffic now."
    return (
        f"This removes every service from the mesh (all {count}): the sidecars would have "
        f"nothing left to route to, so every call between services would fail. {load}"
    )


def _service_removed(
    before: MeshConfig, service: str, traffic: Mapping[str, Traffic] | None
) -> str:
    if before.services[service].protocol == "tcp":
        return (
            f"This removes {service} (TCP, {_now(service, traffic)}): new connections to it "
            "would be closed at once."
        )
    return (
        f"This removes {service} ({_now(service, traffic)}): calls to it would fail with "
        "404 (no route)."
    )


def _routes_dropped(
    before: MeshConfig, after: MeshConfig, destination: str, traffic: Mapping[str, Traffic] | None
) -> list[str]:
    old, new = before.routes_for(destination), after.routes_for(destination)
    kept = {_identity(route) for route in new}
    catch_all = any(route.match == RouteMatch() for route in new)
    fallback = (
        f"the requests it matched would go to the routes of {destination} that are left"
        if catch_all
        else "the requests it matched would fail with 404 (no route) unless another route "
        "matches them"
    )
    load = f" while {destination} receives {traffic[destination]}" if traffic is not None else ""
    return [
        f"{_route_name(destination, index, len(old), route)} ({_match_text(route.match)}) is "
        f"removed{load}: {fallback}."
        for index, route in enumerate(old)
        if _identity(route) not in kept
    ]


def _identity(route: RouteConfig) -> tuple[str, object]:
    # A named route is the same route whatever it matches; an unnamed one is what it matches.
    return ("name", route.name) if route.name is not None else ("match", _match_key(route.match))


def _match_key(match: RouteMatch) -> tuple[object, ...]:
    return (match.path_prefix, match.method, tuple(sorted(match.headers.items())))


def _match_text(match: RouteMatch) -> str:
    parts = [f"path {match.path_prefix}*"] if match.path_prefix else []
    parts += [match.method] if match.method else []
    parts += [f"{name}: {value}" for name, value in sorted(match.headers.items())]
    return "matching " + ", ".join(parts) if parts else "matching every request"
