"""Which canvas edge each counter row of a sidecar adds to, under the current `NodeMap`.

A sidecar records its rows under service edges (cart -> inventory). With versions shown as
nodes the same rows belong to edges between the caller's and the callee's version nodes
(cart -> inventory@v1), which depend on what the model learnt about instance versions since
the row was made: so the mapping is made when asked, in numpy, and kept until the sidecar adds
rows or an instance's version becomes known.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from meshgui.model.sidecar_series import RowMeta, SidecarSeries
from meshgui.model.topology_index import IntArray, NodeMap, TopologyIndex
from meshgui.model.types import Protocol


class RowEdges:
    """`of(sidecar)`: per row of its counters, the id of the edge it adds to."""

    def __init__(self, index: TopologyIndex) -> None:
        self._index = index
        self._nodes = index.node_map(False)
        self._cache: dict[str, tuple[RowMeta, NodeMap, IntArray]] = {}

    def use(self, nodes: NodeMap) -> None:
        """Map rows onto `nodes` from now on (call once per recompute, before `of`)."""
        self._nodes = nodes

    def forget(self, keep: Iterable[str]) -> None:
        """Drop what is kept for sidecars other than `keep`."""
        wanted = set(keep)
        for gone in set(self._cache) - wanted:
            del self._cache[gone]

    def of(self, sidecar: SidecarSeries) -> IntArray:
        meta, nodes = sidecar.meta, self._nodes
        if not nodes.split:
            return meta.edge  # rows are recorded under service edges already
        cached = self._cache.get(sidecar.sidecar_id)
        if cached is not None and cached[0] is meta and cached[1] is nodes:
            return cached[2]
        edges = self._map(meta, nodes)
        self._cache[sidecar.sidecar_id] = (meta, nodes, edges)
        return edges

    def _map(self, meta: RowMeta, nodes: NodeMap) -> IntArray:
        index = self._index
        if not len(meta.edge):
            return meta.edge
        _, destination_service, tcp = index.edge_arrays()
        # A caller or callee not known by instance (outside the mesh, or a call that reached no
        # endpoint) stays on its service's own node.
        source = np.where(
            meta.caller_instance >= 0,
            nodes.of_instance[meta.caller_instance],
            nodes.of_service[meta.source_service],
        )
        destination = np.where(
            meta.destination_instance >= 0,
            nodes.of_instance[meta.destination_instance],
            nodes.of_service[destination_service[meta.edge]],
        )
        width = max(index.node_count, 1)
        codes = (source * width + destination) * 2 + tcp[meta.edge]
        unique, inverse = np.unique(codes, return_inverse=True)
        names = index.node_names
        ids = [
            index.edge(names[code // 2 // width], names[code // 2 % width], _protocol(code))
            for code in unique.tolist()
        ]
        mapped: IntArray = np.asarray(ids, dtype=np.int64)[inverse.reshape(-1)]
        return mapped


def _protocol(code: int) -> Protocol:
    return "tcp" if code % 2 else "http"
