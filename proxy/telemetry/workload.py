"""Who is on either end of an edge: a workload's identity as Istio's labels need it."""

from __future__ import annotations

from dataclasses import dataclass

UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Workload:
    """One service version, optionally one instance of it.

    `instance` is not an Istio label: edges to two instances of one version render as one series
    (summed) but stay apart in the admin snapshot, which shows per-instance views.
    """

    service: str
    namespace: str = "default"
    version: str | None = None
    instance: str | None = None

    @property
    def workload_name(self) -> str:
        """Istio's workload name: `<service>-<version>` when versioned, else the service."""
        return f"{self.service}-{self.version}" if self.version else self.service

    @property
    def fqdn(self) -> str:
        """The Kubernetes-style service name Kiali matches on (`<svc>.<ns>.svc.cluster.local`)."""
        return f"{self.service}.{self.namespace}.svc.cluster.local"

    @property
    def is_unknown(self) -> bool:
        """True for a peer we could not identify (see `UNKNOWN_WORKLOAD`)."""
        return self.service == UNKNOWN and self.namespace == UNKNOWN


# A caller without a peer header: every label about it renders as "unknown" (Istio's convention),
# which Kiali treats as "not set" and shows as an unknown node rather than dropping the sample.
UNKNOWN_WORKLOAD = Workload(service=UNKNOWN, namespace=UNKNOWN)
