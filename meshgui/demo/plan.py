"""The shape of the demo shop: its services, their instances, who calls whom, and the loopback
ports each instance and its sidecar get for one run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from meshgui.demo.ports import LOOPBACK, free_ports


@dataclass(frozen=True)
class ServiceSpec:
    """One service of the shop: its instances (name, version label) and its dependencies."""

    name: str
    instances: tuple[tuple[str, str | None], ...]
    calls: tuple[str, ...] = ()
    """HTTP services it calls through its sidecar's outbound listener."""
    tcp_calls: tuple[str, ...] = ()
    """TCP services it reaches through one of its sidecar's `tcp_outbound` listeners."""
    protocol: Literal["http", "tcp"] = "http"


SHOP: tuple[ServiceSpec, ...] = (
    ServiceSpec("web", (("web-1", None),), calls=("inventory", "cart", "recommendations")),
    ServiceSpec("cart", (("cart-1", None),), calls=("inventory",)),
    ServiceSpec(
        "inventory", (("inventory-1", "v1"), ("inventory-2", "v2")), tcp_calls=("inventory-db",)
    ),
    ServiceSpec("inventory-db", (("inventory-db-1", None),), protocol="tcp"),
    ServiceSpec(
        "recommendations", (("recommendations-1", None),), calls=("product-tags", "inventory")
    ),
    ServiceSpec("recommendations-lite", (("recommendations-lite-1", None),)),
    ServiceSpec("product-tags", (("product-tags-1", None),)),
)
"""The online shop of the seed story. recommendations-lite is called by nobody until an
operator routes recommendations traffic to it."""

EXPECTED_EDGES: tuple[tuple[str, str], ...] = tuple(
    (spec.name, callee) for spec in SHOP for callee in (*spec.calls, *spec.tcp_calls)
)
"""Every (caller, callee) pair that carries traffic under the load generator."""


@dataclass(frozen=True)
class InstancePorts:
    """Loopback ports of one instance: its app, the app's fault-control endpoint, its sidecar."""

    app: int
    control: int
    outbound: int
    inbound: int
    admin: int
    metrics: int
    tcp_outbound: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoInstance:
    """One instance of a service: an app process behind its own sidecar process."""

    spec: ServiceSpec
    name: str
    version: str | None
    ports: InstancePorts

    @property
    def service(self) -> str:
        return self.spec.name

    @property
    def labels(self) -> dict[str, str]:
        return {"version": self.version} if self.version else {}

    def address(self, port: int) -> str:
        return f"{LOOPBACK}:{port}"

    @property
    def inbound_address(self) -> str:
        return self.address(self.ports.inbound)

    @property
    def admin_address(self) -> str:
        return self.address(self.ports.admin)

    @property
    def metrics_url(self) -> str:
        return f"http://{self.address(self.ports.metrics)}/metrics"

    @property
    def ready_url(self) -> str:
        return f"http://{self.address(self.ports.metrics)}/ready"

    @property
    def control_url(self) -> str | None:
        """The app's fault-control endpoint; the TCP database has none."""
        if self.spec.protocol == "tcp":
            return None
        return f"http://{self.address(self.ports.control)}"


@dataclass(frozen=True)
class DemoPlan:
    """Every instance of the shop with the ports it gets in this run."""

    instances: tuple[DemoInstance, ...]

    @classmethod
    def allocate(
        cls,
        services: tuple[ServiceSpec, ...] = SHOP,
        allocate_ports: Callable[[int], list[int]] | None = None,
    ) -> DemoPlan:
        """A plan with distinct free loopback ports for every listener of every instance."""
        take = allocate_ports or free_ports
        members = [(spec, name, version) for spec in services for name, version in spec.instances]
        needed = sum(6 + len(spec.tcp_calls) for spec, _, _ in members)
        pool = iter(take(needed))
        instances = []
        for spec, name, version in members:
            base = [next(pool) for _ in range(6)]
            tcp = {callee: next(pool) for callee in spec.tcp_calls}
            app, control, outbound, inbound, admin, metrics = base
            ports = InstancePorts(app, control, outbound, inbound, admin, metrics, tcp)
            instances.append(DemoInstance(spec, name, version, ports))
        return cls(tuple(instances))

    def instance(self, name: str) -> DemoInstance:
        """The instance called `name`. Raises KeyError."""
        for member in self.instances:
            if member.name == name:
                return member
        raise KeyError(name)

    def of_service(self, service: str) -> tuple[DemoInstance, ...]:
        return tuple(member for member in self.instances if member.service == service)

    @property
    def entry(self) -> DemoInstance:
        """Where the users' traffic comes in: web's first instance."""
        return self.of_service("web")[0]
