"""The routing table: the mesh config compiled into plain objects the hot path reads.

A new table is built beside the old one whenever the mesh config changes and swapped in with one
assignment (make-before-break); requests already routed finish on the old one. Endpoint state
(latency estimate, ejections, connection pool) lives in `EndpointRegistry` and survives swaps.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate

from proxy.config import MeshConfig, RouteConfig, ServiceConfig, split_address
from proxy.policy.balancer import PeakEwmaBalancer, RoundRobinBalancer
from proxy.policy.breaker import CircuitBreaker
from proxy.policy.endpoint import EndpointState
from proxy.policy.outlier import OutlierDetector
from proxy.policy.retry import RetryBudget, RetryConditions, is_idempotent
from proxy.telemetry import HttpEdge, StatsRegistry, Workload

Balancer = PeakEwmaBalancer | RoundRobinBalancer
Clock = Callable[[], float]


class EndpointRegistry:
    """Every endpoint this sidecar has heard of, by name; reused across routing tables."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._by_name: dict[str, EndpointState] = {}

    def sync(self, service: ServiceConfig) -> tuple[EndpointState, ...]:
        states = []
        for ep in service.endpoints:
            host, port = split_address(ep.address)
            state = self._by_name.get(ep.name)
            if state is None or (state.host, state.port) != (host, port):
                state = EndpointState(ep.name, host, port, now=self._clock(), weight=ep.weight)
                self._by_name[ep.name] = state
            state.weight = ep.weight
            state.labels = dict(ep.labels)
            state.drained = ep.drained or service.drained
            states.append(state)
        return tuple(states)

    def get(self, name: str) -> EndpointState | None:
        return self._by_name.get(name)

    def all(self) -> list[EndpointState]:
        return list(self._by_name.values())


class Destination:
    """One destination service as this sidecar sends to it."""

    __slots__ = (
        "_balancers",
        "_edges",
        "_local",
        "_stats",
        "breaker",
        "config",
        "endpoint_edges",
        "endpoints",
        "name",
        "namespace",
        "outlier",
    )

    def __init__(
        self,
        name: str,
        config: ServiceConfig,
        endpoints: tuple[EndpointState, ...],
        *,
        namespace: str,
        local: Workload,
        stats: StatsRegistry,
        rng: random.Random,
    ) -> None:
        self.name = name
        self.namespace = namespace
        self.config = config
        self.endpoints = endpoints
        self.breaker = CircuitBreaker(
            config.circuit_breaker.max_requests, config.circuit_breaker.max_pending
        )
        od = config.outlier_detection
        self.outlier = OutlierDetector(
            endpoints,
            consecutive_failures=od.consecutive_failures,
            base_ejection_time=od.base_ejection_time,
            max_ejection_percent=od.max_ejection_percent,
            enabled=od.enabled,
        )
        self._balancers: dict[str | None, Balancer] = {}
        for subset in (None, *config.subsets):
            names = {e.name for e in config.endpoints_in_subset(subset)}
            members = tuple(e for e in endpoints if e.name in names)
            self._balancers[subset] = (
                RoundRobinBalancer(members)
                if config.load_balancer == "round_robin"
                else PeakEwmaBalancer(members, rng)
            )
        self._edges: dict[str, HttpEdge] = {}
        self.endpoint_edges: dict[EndpointState, HttpEdge] = {}
        """`edge_for`'s answers, for the hot path to look up without a call."""
        self._local = local
        self._stats = stats

    def balancer(self, subset: str | None) -> Balancer:
        return self._balancers[subset]

    def edge_for(self, endpoint: EndpointState) -> HttpEdge:
        edge = self._edges.get(endpoint.name)
        if edge is None:
            peer = Workload(
                self.name, self.namespace, endpoint.labels.get("version"), endpoint.name
            )
            edge = self._stats.http_edge("source", self._local, peer)
            self._edges[endpoint.name] = edge
        self.endpoint_edges[endpoint] = edge
        return edge

    def service_edge(self) -> HttpEdge:
        """The edge for calls that never reached an endpoint (no healthy endpoint, overflow)."""
        edge = self._edges.get("")
        if edge is None:
            edge = self._stats.http_edge("source", self._local, Workload(self.name, self.namespace))
            self._edges[""] = edge
        return edge


class CompiledRoute:
    """One route: what it matches, where it sends, and its timeout and retry policy."""

    __slots__ = (
        "_backends",
        "_cumulative",
        "_total",
        "attempts",
        "backoff_base",
        "backoff_max",
        "budget",
        "conditions",
        "header_matches",
        "matches_every_path",
        "method",
        "name",
        "only_backend",
        "path_prefix",
        "per_try_timeout",
        "retry_non_idempotent",
        "timeout",
    )

    def __init__(
        self,
        config: RouteConfig,
        destinations: dict[str, Destination],
        clock: Clock,
    ) -> None:
        match = config.match
        self.name = config.name or ""
        self.path_prefix = (match.path_prefix or "/").encode()
        self.method = match.method.encode() if match.method else None
        self.header_matches = tuple((k.encode(), v.encode()) for k, v in match.headers.items())
        weighted = [
            (b.weight, destinations[b.service], b.subset) for b in config.backends if b.weight > 0
        ]
        self._backends = [(dest, dest.balancer(subset)) for _, dest, subset in weighted]
        self._cumulative = list(accumulate(w for w, _, _ in weighted))
        self._total = float(self._cumulative[-1])
        self.only_backend = self._backends[0] if len(self._backends) == 1 else None
        """The backend when there is just one: the hot path then skips `pick_backend`."""
        self.matches_every_path = (
            self.path_prefix == b"/" and self.method is None and not self.header_matches
        )
        """No condition but the catch-all prefix: any origin-form target ("/...") matches."""
        self.timeout = config.timeout
        retry = config.retry
        self.attempts = retry.attempts if retry else 0
        self.per_try_timeout = retry.per_try_timeout if retry else None
        self.conditions = RetryConditions(
            retry.retry_on if retry else (), retry.retriable_status_codes if retry else ()
        )
        self.backoff_base = retry.backoff_base if retry else 0.0
        self.backoff_max = retry.backoff_max if retry else 0.0
        self.retry_non_idempotent = retry.retry_non_idempotent if retry else False
        self.budget = (
            RetryBudget(retry.budget_ratio, retry.budget_min_per_second, clock=clock)
            if retry and retry.attempts > 0
            else None
        )

    def matches(self, method: bytes, path: bytes, headers: list[tuple[bytes, bytes]]) -> bool:
        if not path.startswith(self.path_prefix):
            return False
        if self.method is not None and method != self.method:
            return False
        return self.headers_match(headers)

    def headers_match(self, headers: list[tuple[bytes, bytes]]) -> bool:
        """Every header condition holds; `headers` are (lower-cased name, value) pairs."""
        for name, value in self.header_matches:
            if not any(n.lower() == name and v == value for n, v in headers):
                return False
        return True

    def pick_backend(self, rand: Callable[[], float]) -> tuple[Destination, Balancer]:
        backends = self._backends
        if len(backends) == 1:
            return backends[0]
        return backends[bisect_right(self._cumulative, rand() * self._total)]

    def may_retry_method(self, method: bytes) -> bool:
        return self.retry_non_idempotent or is_idempotent(method)


def host_keys(service: str, namespace: str) -> list[bytes]:
    """Every Host a local app may use for a service: short, namespaced and full names."""
    return [
        f"{service}".encode(),
        f"{service}.{namespace}".encode(),
        f"{service}.{namespace}.svc".encode(),
        f"{service}.{namespace}.svc.cluster.local".encode(),
    ]


class RoutingTable:
    """Host -> ordered routes, for one version of the mesh config."""

    def __init__(
        self,
        mesh: MeshConfig,
        *,
        namespace: str,
        local: Workload,
        endpoints: EndpointRegistry,
        stats: StatsRegistry,
        clock: Clock,
        rng: random.Random,
    ) -> None:
        self.mesh = mesh
        self.version = mesh.version
        self.destinations: dict[str, Destination] = {
            name: Destination(
                name,
                svc,
                endpoints.sync(svc),
                namespace=namespace,
                local=local,
                stats=stats,
                rng=rng,
            )
            for name, svc in mesh.services.items()
        }
        self._by_host: dict[bytes, tuple[CompiledRoute, ...]] = {}
        # Hosts whose first route has no condition but the catch-all prefix: it wins for every
        # origin-form request, so a request to such a host needs one lookup and nothing else.
        self.catch_all: dict[bytes, CompiledRoute] = {}
        for name, svc in mesh.services.items():
            if svc.protocol != "http":
                continue
            routes = tuple(
                CompiledRoute(r, self.destinations, clock) for r in mesh.routes_for(name)
            )
            for key in host_keys(name, namespace):
                self._remember(key, routes)

    def _remember(self, host: bytes, routes: tuple[CompiledRoute, ...]) -> None:
        self._by_host[host] = routes
        if routes and routes[0].matches_every_path:
            self.catch_all[host] = routes[0]

    def routes_for_host(self, host: bytes) -> tuple[CompiledRoute, ...] | None:
        routes = self._by_host.get(host)
        if routes is None:
            # Slow path: a port or upper case in the Host header; cache what resolves.
            bare = host.rsplit(b":", 1)[0] if b":" in host and not host.endswith(b"]") else host
            routes = self._by_host.get(bare.lower())
            if routes is not None and len(self._by_host) < 10_000:
                self._remember(host, routes)
        return routes

    def route_for(
        self,
        host: bytes,
        method: bytes,
        target: bytes,
        headers: Callable[[], list[tuple[bytes, bytes]]],
    ) -> CompiledRoute | None:
        """The first route for `host` that matches; `target` is the request target as sent
        (query included). `headers` gives (lower-cased name, value) pairs and is called only
        when a route on the way matches on headers, so most requests never build the list."""
        route = self.catch_all.get(host)
        if route is not None:
            # Every path prefix starts with "/", so nothing else could match either.
            return route if target[:1] == b"/" else None
        routes = self.routes_for_host(host)
        if routes is None:
            return None
        path = target.split(b"?", 1)[0]
        pairs: list[tuple[bytes, bytes]] | None = None
        for route in routes:
            if not path.startswith(route.path_prefix):
                continue
            if route.method is not None and method != route.method:
                continue
            if route.header_matches:
                if pairs is None:
                    pairs = headers()
                if not route.headers_match(pairs):
                    continue
            return route
        return None

    def match(
        self, host: bytes, method: bytes, path: bytes, headers: list[tuple[bytes, bytes]]
    ) -> CompiledRoute | None:
        routes = self.routes_for_host(host)
        if routes is None:
            return None
        for route in routes:
            if route.matches(method, path, headers):
                return route
        return None
