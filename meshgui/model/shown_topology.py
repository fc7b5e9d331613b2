"""Which nodes, instances and edges the canvas shows, before any numbers are attached.

A node (a service, or a version of one) or edge, once reported, stays on the canvas for as long
as a sidecar of the profile keeps its counters (a quiet service is a fact worth seeing, and
nodes must not come and go). Instances are shown while some sidecar's endpoint list names them,
or when they run a sidecar of the profile (which may be disconnected: that, too, is worth
seeing); each in the node `NodeMap` puts it in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from meshgui.model.sidecar_facts import SidecarFacts
from meshgui.model.sidecar_series import BoolArray, SidecarSeries
from meshgui.model.topology_index import IntArray, NodeMap, TopologyIndex


@dataclass(slots=True)
class ShownTopology:
    edges: BoolArray
    """Mask over edge ids."""
    nodes: list[int]
    """Node ids, ordered by name."""
    tcp_only: set[int]
    """Nodes reached over TCP and never over HTTP."""
    instances: dict[int, list[int]]
    """Node id -> its shown instance ids, ordered by name."""


def shown_topology(
    index: TopologyIndex,
    sidecars: Sequence[SidecarSeries],
    facts: SidecarFacts,
    horizon: float,
    node_map: NodeMap,
    row_edges: Callable[[SidecarSeries], IntArray],
) -> ShownTopology:
    """`horizon`: endpoint lists older than this (model clock) no longer show an instance;
    `row_edges(sidecar)`: the edge of each of its rows as the canvas shows them now."""
    edges = np.zeros(index.edge_count, dtype=np.bool_)
    for sidecar in sidecars:
        edges[row_edges(sidecar)] = True
    _, _, tcp = index.edge_arrays()
    source, destination = index.edge_node_arrays()
    nodes = set(facts.nodes_with_sidecars)
    nodes.update(source[edges].tolist(), destination[edges].tolist())
    instances: dict[int, list[int]] = {}
    records = index.instances
    of_instance = node_map.of_instance.tolist()
    for i, record in enumerate(records):
        if record.listed_at >= horizon or i in facts.own_sidecar:
            node = of_instance[i]
            instances.setdefault(node, []).append(i)
            nodes.add(node)
    for members in instances.values():
        members.sort(key=lambda i: records[i].name)
    reached_by_tcp = set(destination[edges & tcp].tolist())
    reached_by_http = set(destination[edges & ~tcp].tolist())
    names = index.node_names
    return ShownTopology(
        edges=edges,
        nodes=sorted(nodes, key=names.__getitem__),
        tcp_only=reached_by_tcp - reached_by_http,
        instances=instances,
    )
