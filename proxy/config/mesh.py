"""The mesh config shared by every sidecar: services, their endpoints and policies, and routes.

The admin API replaces this part as a whole document; `MeshConfig` validates the references
between services, subsets and routes so that a document that loads can be applied as is.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Literal

from pydantic import Field, model_validator

from proxy.config.policies import CircuitBreaker, OutlierDetection
from proxy.config.routes import Backend, RouteConfig
from proxy.config.types import Address, Labels, Loc, Name, StrictModel, format_loc, raise_problems


class EndpointConfig(StrictModel):
    """One instance of a service, reached through its sidecar's inbound listener."""

    name: Name
    address: Address
    weight: int = Field(default=1, ge=1, le=1000)
    labels: Labels = {}
    drained: bool = False
    """A drained endpoint finishes what it has but gets no new requests."""

    @property
    def version(self) -> str | None:
        """The ``version`` label, which Istio's dashboards and our subsets key on."""
        return self.labels.get("version")

    def matches(self, selector: Mapping[str, str]) -> bool:
        """Whether every label in `selector` is set to the same value on this endpoint."""
        labels = self.labels
        return all(labels.get(key) == value for key, value in selector.items())


class ServiceConfig(StrictModel):
    """A destination service: its endpoints, how to balance over them, and its guard rails."""

    protocol: Literal["http", "tcp"] = "http"
    load_balancer: Literal["p2c_ewma", "round_robin"] = "p2c_ewma"
    drained: bool = False
    """Drain every endpoint of the service at once."""
    endpoints: tuple[EndpointConfig, ...] = ()
    subsets: dict[Name, Labels] = {}
    """Named label selectors, as the subsets of an Istio DestinationRule."""
    outlier_detection: OutlierDetection = OutlierDetection()
    circuit_breaker: CircuitBreaker = CircuitBreaker()

    def endpoints_in_subset(self, subset: str | None) -> tuple[EndpointConfig, ...]:
        """Endpoints selected by the named subset (all of them for None), drained ones included.

        Raises KeyError for a subset the service does not define.
        """
        if subset is None:
            return self.endpoints
        selector = self.subsets[subset]
        return tuple(endpoint for endpoint in self.endpoints if endpoint.matches(selector))

    @model_validator(mode="after")
    def _unique_endpoint_names(self) -> ServiceConfig:
        first_index: dict[str, int] = {}
        problems: list[tuple[Loc, str]] = []
        for index, endpoint in enumerate(self.endpoints):
            if endpoint.name in first_index:
                earlier = format_loc(("endpoints", first_index[endpoint.name]))
                problems.append(
                    (
                        ("endpoints", index, "name"),
                        f"{endpoint.name!r} is also the name of {earlier}",
                    )
                )
            first_index.setdefault(endpoint.name, index)
        raise_problems(problems)
        return self


class MeshConfig(StrictModel):
    """Every service in the mesh and the routes towards them, at one config version."""

    version: int = Field(default=0, ge=0)
    services: dict[Name, ServiceConfig] = {}
    routes: dict[Name, tuple[RouteConfig, ...]] = {}
    """Per destination service; the first matching route wins."""

    def with_version(self, version: int) -> MeshConfig:
        """The same config stamped with another version number."""
        if version < 0:
            raise ValueError(f"a config version must not be negative, got {version}")
        return self.model_copy(update={"version": version})

    def routes_for(self, service: str) -> tuple[RouteConfig, ...]:
        """The routes towards `service`; an HTTP service without routes gets one catch-all route
        to all of its endpoints with the default timeout and no retries. Raises KeyError for an
        unknown service; a TCP service has no routes."""
        config = self.services[service]
        if config.protocol == "tcp":
            return ()
        routes = self.routes.get(service)
        if routes is not None:
            return routes
        return (RouteConfig(backends=(Backend(service=service),)),)

    @property
    def route_count(self) -> int:
        """How many routes the document defines (catch-all defaults not counted)."""
        return sum(len(routes) for routes in self.routes.values())

    @model_validator(mode="after")
    def _references_resolve(self) -> MeshConfig:
        problems = _endpoint_name_clashes(self.services)
        for destination, routes in self.routes.items():
            problems.extend(_route_problems(self, destination, routes))
        raise_problems(problems)
        return self


def _unknown_service(name: str, mesh: MeshConfig) -> str:
    close = difflib.get_close_matches(name, list(mesh.services), n=1)
    if close:
        hint = f"did you mean {close[0]!r}?"
    elif len(mesh.services) <= 8:
        hint = f"known: {', '.join(mesh.services) or 'none'}"
    else:
        hint = f"{len(mesh.services)} services are defined"
    return f"no service named {name!r} in mesh.services ({hint})"


def _route_problems(
    mesh: MeshConfig, destination: str, routes: tuple[RouteConfig, ...]
) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    target = mesh.services.get(destination)
    if target is None:
        problems.append((("routes", destination), _unknown_service(destination, mesh)))
    elif target.protocol == "tcp":
        reason = f"{destination} is a tcp service; routes are HTTP-only"
        problems.append((("routes", destination), reason))
    if not routes:
        # An empty list would make every request 404; leaving the key out gives the catch-all
        # default, which is almost certainly what was meant.
        reason = "needs at least one route (leave the key out for the default route)"
        problems.append((("routes", destination), reason))
    seen_names: set[str] = set()
    for index, route in enumerate(routes):
        loc: Loc = ("routes", destination, index)
        if route.name is not None and route.name in seen_names:
            problems.append(((*loc, "name"), f"route name {route.name!r} is used twice"))
        seen_names.add(route.name or "")
        for number, backend in enumerate(route.backends):
            problems.extend(_backend_problems(mesh, backend, (*loc, "backends", number)))
    return problems


def _backend_problems(mesh: MeshConfig, backend: Backend, loc: Loc) -> list[tuple[Loc, str]]:
    service = mesh.services.get(backend.service)
    if service is None:
        return [((*loc, "service"), _unknown_service(backend.service, mesh))]
    if service.protocol == "tcp":
        return [((*loc, "service"), f"{backend.service} is a tcp service; it cannot be routed to")]
    if backend.subset is not None and backend.subset not in service.subsets:
        defined = ", ".join(service.subsets) or "none"
        reason = f"service {backend.service} has no subset {backend.subset!r} (defined: {defined})"
        return [((*loc, "subset"), reason)]
    return []


def _endpoint_name_clashes(services: Mapping[str, ServiceConfig]) -> list[tuple[Loc, str]]:
    # Endpoint names key metrics and drain commands mesh-wide, so they must be unique mesh-wide.
    owner: dict[str, Loc] = {}
    problems: list[tuple[Loc, str]] = []
    for service_name, service in services.items():
        for index, endpoint in enumerate(service.endpoints):
            loc: Loc = ("services", service_name, "endpoints", index)
            earlier = owner.setdefault(endpoint.name, loc)
            if earlier is not loc and earlier[1] != service_name:
                reason = f"{endpoint.name!r} is also used by {format_loc(earlier)}"
                problems.append(((*loc, "name"), reason))
    return problems
