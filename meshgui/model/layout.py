"""Automatic layered layout of the service graph: callers left, callees right.

A Sugiyama-style pipeline kept cheap enough for 1,000 services / 5,000 edges: break cycles
(order the services so that few calls point backwards and chains stay short, see
`layout_ranks`), give every service the layer of its longest path from a caller-less service,
then reorder each layer by the barycenter of its neighbours' positions, sweeping right and left a
few times to reduce crossings. Long edges get no dummy nodes: the barycenter of a neighbour
several layers away is as good a hint, and dummies would multiply the work.

Pure and deterministic: the same graph gives the same positions whatever the input order, so a
refresh never makes the canvas jump. The sweeps are numpy; the rest is linear-time Python.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from meshgui.model.layout_ranks import acyclic_order
from meshgui.model.topology_index import IntArray
from meshgui.model.types import FloatArray

BARYCENTER_SWEEPS = 8
"""Alternating rightward and leftward passes; crossings rarely improve after a handful."""


def layered_layout(
    nodes: Sequence[str],
    edges: Sequence[tuple[str, str]],
    *,
    layer_gap: float = 260.0,
    node_gap: float = 120.0,
) -> dict[str, tuple[float, float]]:
    """Positions (x, y) of `nodes`: x = layer * layer_gap, each layer centred on y = 0.

    Edges naming a node outside `nodes`, self-loops and repeats are ignored.
    """
    names = sorted(set(nodes))
    if not names:
        return {}
    ids = {name: i for i, name in enumerate(names)}
    successors: list[set[int]] = [set() for _ in names]
    for source, destination in edges:
        u, v = ids.get(source), ids.get(destination)
        if u is not None and v is not None and u != v:
            successors[u].add(v)
    order = acyclic_order([sorted(targets) for targets in successors])
    rank = np.empty(len(names), dtype=np.int64)
    rank[order] = np.arange(len(names))
    # Every edge oriented along the order: the graph is now acyclic and `order` is topological.
    tail, head = _oriented_edges(successors, rank)
    layer = _longest_path_layers(order, tail, head, rank)
    y = _ordered_rows(layer, tail, head)
    return {
        name: (float(layer[i]) * layer_gap, float(y[i]) * node_gap) for i, name in enumerate(names)
    }


def _oriented_edges(successors: Sequence[set[int]], rank: IntArray) -> tuple[IntArray, IntArray]:
    pairs = [(u, v) for u, targets in enumerate(successors) for v in targets]
    if not pairs:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    both = np.asarray(pairs, dtype=np.int64)
    u, v = both[:, 0], both[:, 1]
    forward = rank[u] < rank[v]
    tail, head = np.where(forward, u, v), np.where(forward, v, u)
    # A cycle of two (a -> b and b -> a) becomes one edge twice; once is enough.
    unique = np.unique(np.stack((tail, head), axis=1), axis=0)
    return unique[:, 0], unique[:, 1]


def _longest_path_layers(
    order: Sequence[int], tail: IntArray, head: IntArray, rank: IntArray
) -> IntArray:
    layer = np.zeros(len(order), dtype=np.int64)
    if len(tail) == 0:
        return layer
    # Relax edges in the topological order of their tails: each tail is final when reached.
    by_tail = np.argsort(rank[tail], kind="stable")
    tails, heads = tail[by_tail].tolist(), head[by_tail].tolist()
    layers = layer.tolist()
    for u, v in zip(tails, heads, strict=True):
        if layers[u] + 1 > layers[v]:
            layers[v] = layers[u] + 1
    return np.asarray(layers, dtype=np.int64)


def _ordered_rows(layer: IntArray, tail: IntArray, head: IntArray) -> FloatArray:
    """Each node's row within its layer, centred on 0, after the barycenter sweeps."""
    n, depth = len(layer), int(layer.max()) + 1
    members = [np.flatnonzero(layer == k) for k in range(depth)]
    y = np.zeros(n)
    slot = np.zeros(n, dtype=np.int64)
    for group in members:
        _place(group, y, slot)
    # Rightward passes place a layer by its callers, leftward ones by its callees.
    by_callers = _edges_by_layer(head, tail, layer, depth)
    by_callees = _edges_by_layer(tail, head, layer, depth)
    for sweep in range(BARYCENTER_SWEEPS):
        rightward = sweep % 2 == 0
        groups = by_callers if rightward else by_callees
        layers = range(1, depth) if rightward else range(depth - 2, -1, -1)
        for k in layers:
            moving, fixed = groups[k]
            if len(moving) == 0:
                continue
            group = members[k]
            local = slot[moving]
            sums = np.bincount(local, weights=y[fixed], minlength=len(group))
            counts = np.bincount(local, minlength=len(group))
            wanted = np.divide(sums, counts, out=y[group].copy(), where=counts > 0)
            group = group[np.argsort(wanted, kind="stable")]
            members[k] = group
            _place(group, y, slot)
    return y


def _place(group: IntArray, y: FloatArray, slot: IntArray) -> None:
    slot[group] = np.arange(len(group))
    y[group] = slot[group] - (len(group) - 1) / 2.0


def _edges_by_layer(
    moving: IntArray, fixed: IntArray, layer: IntArray, depth: int
) -> list[tuple[IntArray, IntArray]]:
    """Per layer k: the edges whose `moving` end is in k, as (moving, fixed) node arrays."""
    by_layer = np.argsort(layer[moving], kind="stable")
    bounds = np.searchsorted(layer[moving][by_layer], np.arange(depth + 1))
    moving, fixed = moving[by_layer], fixed[by_layer]
    return [
        (moving[bounds[k] : bounds[k + 1]], fixed[bounds[k] : bounds[k + 1]]) for k in range(depth)
    ]
