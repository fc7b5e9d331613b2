"""The drain warning: which routes would have no instance left to send their traffic to.

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
            if weighted and not any(_has_target(mesh, backend, down) for backend in weighted):
                sentences.append(_sentence(destination, index, len(routes), route, weighted))
    return sentences


def _has_target(mesh: MeshConfig, backend: Backend, down: set[str]) -> bool:
    service = mesh.services[backend.service]
    if service.drained:
        return False
    return any(
        not endpoint.drained and endpoint.name not in down
        for endpoint in service.endpoints_in_subset(backend.subset)
    )


def _sentence(
    destination: str, index: int, count: int, route: RouteConfig, weighted: list[Backend]
) -> str:
    if route.name is not None:
        which = f"Route {route.name!r} of {destination}"
    elif count > 1:
        which = f"Route {index + 1} of {destination}"
    else:
        which = f"The route to {destination}"
    targets = ", ".join(
        backend.service if backend.subset is None else f"{backend.service} ({backend.subset})"
        for backend in weighted
    )
    return (
        f"{which} would have no instance left to send to: every instance of {targets} is "
        "drained or unavailable, so its requests would fail with 503."
    )
