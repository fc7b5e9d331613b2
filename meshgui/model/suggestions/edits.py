"""The config edits suggestions make, as data: each a pure function of the mesh config built
with pydantic's `model_copy`, checking first that the config still has what it edits.

`model_copy` does not validate, so each edit keeps the invariants the schema checks (per-try
timeout within the route's timeout, backoff base within its maximum) and the edited route is
validated again on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from meshgui.model.suggestions.types import StaleSuggestionError
from proxy.config import MeshConfig, RouteConfig


@dataclass(frozen=True, slots=True)
class RouteRef:
    """A route of `destination`: by name when it has one, else by position. `implicit` is the
    catch-all default route of a destination the config gives no routes."""

    destination: str
    index: int
    name: str | None
    implicit: bool = False

    def find(self, mesh: MeshConfig) -> tuple[tuple[RouteConfig, ...], int]:
        """The destination's routes as they stand, and this route's position among them."""
        where = f"route {self.label}"
        if self.destination not in mesh.services:
            raise StaleSuggestionError(f"{where}: service {self.destination} left the mesh")
        routes = mesh.routes_for(self.destination)
        if self.implicit:
            if self.destination in mesh.routes:
                raise StaleSuggestionError(f"{where}: {self.destination} has routes of its own now")
            return routes, 0
        if self.name is not None:
            for index, route in enumerate(routes):
                if route.name == self.name:
                    return routes, index
            raise StaleSuggestionError(f"{where} is no longer in the mesh config")
        if self.index >= len(routes) or routes[self.index].name is not None:
            raise StaleSuggestionError(f"{where} is no longer in the mesh config")
        return routes, self.index

    @property
    def label(self) -> str:
        return (
            f"{self.destination}/{self.name}" if self.name else f"{self.destination}/#{self.index}"
        )

    def replace(self, mesh: MeshConfig, route: RouteConfig) -> MeshConfig:
        routes, index = self.find(mesh)
        RouteConfig.model_validate(route.model_dump())  # the invariants model_copy skips
        edited = (*routes[:index], route, *routes[index + 1 :])
        return mesh.model_copy(update={"routes": {**mesh.routes, self.destination: edited}})


@dataclass(frozen=True, slots=True)
class SetRetryBackoff:
    route: RouteRef
    base_s: float
    max_s: float

    def apply(self, mesh: MeshConfig) -> MeshConfig:
        routes, index = self.route.find(mesh)
        route = routes[index]
        if route.retry is None:
            raise StaleSuggestionError(f"route {self.route.label} no longer retries")
        retry = route.retry.model_copy(
            update={"backoff_base": self.base_s, "backoff_max": self.max_s}
        )
        return self.route.replace(mesh, route.model_copy(update={"retry": retry}))


@dataclass(frozen=True, slots=True)
class SetRetryLimits:
    """Fewer attempts and/or a smaller budget share."""

    route: RouteRef
    attempts: int
    budget_ratio: float

    def apply(self, mesh: MeshConfig) -> MeshConfig:
        routes, index = self.route.find(mesh)
        route = routes[index]
        if route.retry is None:
            raise StaleSuggestionError(f"route {self.route.label} no longer retries")
        update = {"attempts": self.attempts, "budget_ratio": self.budget_ratio}
        retry = route.retry.model_copy(update=update)
        return self.route.replace(mesh, route.model_copy(update={"retry": retry}))


@dataclass(frozen=True, slots=True)
class SetTimeouts:
    """The route's overall timeout, and its per-try timeout when it has one (None: leave it)."""

    route: RouteRef
    timeout_s: float
    per_try_s: float | None = None

    def apply(self, mesh: MeshConfig) -> MeshConfig:
        routes, index = self.route.find(mesh)
        route = routes[index]
        update: dict[str, object] = {"timeout": self.timeout_s}
        retry = route.retry
        if retry is not None and retry.per_try_timeout is not None:
            per_try = self.per_try_s if self.per_try_s is not None else retry.per_try_timeout
            per_try = min(per_try, self.timeout_s)
            update["retry"] = retry.model_copy(update={"per_try_timeout": per_try})
        return self.route.replace(mesh, route.model_copy(update=update))


@dataclass(frozen=True, slots=True)
class SetDrained:
    """Drain one endpoint: it finishes what it has and gets no new requests."""

    service: str
    endpoint: str

    def apply(self, mesh: MeshConfig) -> MeshConfig:
        service = mesh.services.get(self.service)
        names = [endpoint.name for endpoint in service.endpoints] if service else []
        if service is None or self.endpoint not in names:
            raise StaleSuggestionError(
                f"{self.endpoint} is no longer an endpoint of {self.service}"
            )
        endpoints = tuple(
            endpoint.model_copy(update={"drained": True})
            if endpoint.name == self.endpoint
            else endpoint
            for endpoint in service.endpoints
        )
        edited = service.model_copy(update={"endpoints": endpoints})
        return mesh.model_copy(update={"services": {**mesh.services, self.service: edited}})


@dataclass(frozen=True, slots=True)
class MoveWeight:
    """Give the weight of the backends at `sources` to the backend at `target` (same route)."""

    route: RouteRef
    sources: tuple[int, ...]
    target: int
    backends: tuple[tuple[str, str | None], ...]
    """(service, subset) of every backend when the suggestion was made: the check it still is."""

    def apply(self, mesh: MeshConfig) -> MeshConfig:
        routes, index = self.route.find(mesh)
        route = routes[index]
        if tuple((b.service, b.subset) for b in route.backends) != self.backends:
            raise StaleSuggestionError(f"the backends of route {self.route.label} changed")
        moved = sum(route.backends[i].weight for i in self.sources)
        backends = tuple(
            backend.model_copy(
                update={
                    "weight": 0
                    if i in self.sources
                    else backend.weight + (moved if i == self.target else 0)
                }
            )
            for i, backend in enumerate(route.backends)
        )
        return self.route.replace(mesh, route.model_copy(update={"backends": backends}))
