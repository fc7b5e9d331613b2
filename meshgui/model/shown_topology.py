"""Which services, instances and edges the canvas shows, before any numbers are attached.

A service or edge, once reported, stays on the canvas for as long as a sidecar of the profile
keeps its counters (a quiet service is a fact worth seeing, and nodes must not come and go).
Instances are shown while some sidecar's endpoint list names them, or when they run a sidecar
of the profile (which may be disconnected: that, too, is worth seeing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from meshgui.model.sidecar_facts import SidecarFacts
from meshgui.model.sidecar_series import BoolArray, SidecarSeries
from meshgui.model.topology_index import TopologyIndex


@dataclass(slots=True)
class ShownTopology:
    edges: BoolArray
    """Mask over edge ids."""
    services: list[int]
    """Service ids, ordered by name."""
    tcp_only: set[int]
    """Services reached over TCP and never over HTTP."""
    instances: dict[int, list[int]]
    """Service id -> its shown instance ids, ordered by name."""


def shown_topology(
    index: TopologyIndex, sidecars: Sequence[SidecarSeries], facts: SidecarFacts, horizon: float
) -> ShownTopology:
    """`horizon`: endpoint lists older than this (model clock) no longer show an instance."""
    edges = np.zeros(index.edge_count, dtype=np.bool_)
    for sidecar in sidecars:
        edges[sidecar.edge_ids] = True
    source, destination, tcp = index.edge_arrays()
    services = set(facts.services_with_sidecars)
    services.update(source[edges].tolist(), destination[edges].tolist())
    instances: dict[int, list[int]] = {}
    records = index.instances
    for i, record in enumerate(records):
        if record.listed_at >= horizon or i in facts.own_sidecar:
            instances.setdefault(record.service_id, []).append(i)
            services.add(record.service_id)
    for members in instances.values():
        members.sort(key=lambda i: records[i].name)
    reached_by_tcp = set(destination[edges & tcp].tolist())
    reached_by_http = set(destination[edges & ~tcp].tolist())
    names = index.service_names
    return ShownTopology(
        edges=edges,
        services=sorted(services, key=names.__getitem__),
        tcp_only=reached_by_tcp - reached_by_http,
        instances=instances,
    )
