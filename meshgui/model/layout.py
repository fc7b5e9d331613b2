"""Automatic layered layout of the service graph: callers left, callees right.

A Sugiyama-style pipeline kept cheap enough for 1,000 services / 5,000 edges: break cycles
(order the services so that few calls point backwards and chains stay short, see
`layout_ranks`), give every service the layer of its longest path from a caller-less service,
then reorder each layer by the barycenter of its neighbours' positions, sweeping right and left a
few times to reduce crossings.

An edge that spans more than one layer gets a dummy node in each layer it crosses (as dagre and
Graphviz do): the dummies take part in the ordering, so each crossed layer leaves a gap for the
edge, and their places come back as the edge's bend points. Drawn straight, such an edge ran
through (or along) the services it skipped, and read as a call into them. A dummy is
`bend_gap` tall, less than a node, so busy meshes do not grow much taller.

Pure and deterministic: the same graph gives the same positions whatever the input order, so a
refresh never makes the canvas jump. The sweeps are numpy; the rest is linear-time Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from meshgui.model.layout_ranks import acyclic_order
from meshgui.model.topology_index import IntArray
from meshgui.model.types import FloatArray

BARYCENTER_SWEEPS = 8
"""Alternating rightward and leftward passes; crossings rarely improve after a handful."""

Point = tuple[float, float]


@dataclass(frozen=True)
class LayeredLayout:
    positions: dict[str, Point]
    """Each node's centre (x, y)."""
    bends: dict[tuple[str, str], tuple[Point, ...]]
    """Per (caller, callee) edge spanning more than one layer, the points it passes through in
    the layers it crosses, from caller to callee: per layer (x - bend_width / 2, y) and
    (x + bend_width / 2, y), or one point (x, y) when bend_width is 0. Other edges: absent."""


def layered_layout(
    nodes: Sequence[str],
    edges: Sequence[tuple[str, str]],
    *,
    layer_gap: float = 260.0,
    node_gap: float = 120.0,
) -> dict[str, Point]:
    """Positions (x, y) of `nodes`: x = layer * layer_gap, each layer centred on y = 0.

    Edges naming a node outside `nodes`, self-loops and repeats are ignored.
    """
    return layered_layout_with_bends(nodes, edges, layer_gap=layer_gap, node_gap=node_gap).positions


def layered_layout_with_bends(
    nodes: Sequence[str],
    edges: Sequence[tuple[str, str]],
    *,
    layer_gap: float = 260.0,
    node_gap: float = 120.0,
    bend_gap: float | None = None,
    bend_width: float = 0.0,
    max_bent_edges: int | None = None,
) -> LayeredLayout:
    """`layered_layout`'s positions, and the bends of the edges that skip layers.

    Neighbours in a layer are `node_gap` apart centre to centre, a node and a crossing edge
    (node_gap + bend_gap) / 2, two crossing edges `bend_gap` (default: node_gap / 2).
    `bend_width`: how long the edge runs level through each crossed layer, the nodes' width
    for a drawing, so that it passes between that layer's boxes rather than across them.
    `max_bent_edges`: when more edges than that skip layers, none gets bends (the layers still
    leave room for them): a drawing may not afford routing thousands of polylines.
    """
    names = sorted(set(nodes))
    if not names:
        return LayeredLayout({}, {})
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
    chains = _DummyChains(layer, tail, head)
    sizes = np.full(len(chains.layer), float(node_gap))
    wanted_gap = node_gap / 2 if bend_gap is None else bend_gap
    sizes[len(names) :] = _bend_gaps(layer, chains.layer[len(names) :], wanted_gap, node_gap)
    y = _ordered_rows(chains.layer, chains.tail, chains.head, sizes)
    positions = {name: (float(layer[i]) * layer_gap, float(y[i])) for i, name in enumerate(names)}
    bends: dict[tuple[str, str], tuple[Point, ...]] = {}
    if max_bent_edges is not None and chains.long_edges > max_bent_edges:
        return LayeredLayout(positions, bends)
    oriented = chains.bends(y, layer_gap, bend_width)
    for u, targets in enumerate(successors):
        for v in targets:
            forward = bool(rank[u] < rank[v])
            points = oriented.get((u, v) if forward else (v, u))
            if points is not None:
                bends[(names[u], names[v])] = points if forward else points[::-1]
    return LayeredLayout(positions, bends)


def _bend_gaps(
    layer: IntArray, dummy_layer: IntArray, bend_gap: float, node_gap: float
) -> FloatArray:
    """Each dummy's height: `bend_gap`, less in a layer crossed by so many edges that their
    dummies would need more room than the most crowded layer's nodes. Dense meshes then grow
    about twice as tall, not five times; the edges still pass clear of the boxes, since a node
    keeps node_gap / 2 to either side whatever its neighbours' size."""
    room = float(np.bincount(layer).max()) * node_gap
    crossing = np.bincount(dummy_layer, minlength=int(layer.max()) + 1)
    gaps = np.minimum(bend_gap, room / np.maximum(crossing, 1))
    return gaps[dummy_layer]


class _DummyChains:
    """The graph with every edge that spans more than one layer replaced by a chain through a
    dummy node in each layer it crosses. Dummies are numbered after the n nodes, edge by edge
    (in the sorted order of the oriented edges: deterministic), tail side first."""

    def __init__(self, layer: IntArray, tail: IntArray, head: IntArray) -> None:
        n = len(layer)
        span = layer[head] - layer[tail]
        long = np.flatnonzero(span > 1)
        count = span[long] - 1
        ends = np.cumsum(count)
        self._starts = ends - count
        self._count = count
        self._long_tail, self._long_head = tail[long], head[long]
        self.long_edges = len(long)
        total = int(ends[-1]) if len(ends) else 0
        dummies = np.arange(n, n + total, dtype=np.int64)
        owner = np.repeat(np.arange(len(long)), count)
        step = np.arange(total) - self._starts[owner]
        self.layer = np.concatenate((layer, layer[self._long_tail][owner] + 1 + step))
        short = span <= 1
        self.tail = np.concatenate((tail[short], np.insert(dummies, self._starts, tail[long])))
        self.head = np.concatenate((head[short], np.insert(dummies, ends, head[long])))
        self._first_dummy = n

    def bends(
        self, y: FloatArray, layer_gap: float, width: float
    ) -> dict[tuple[int, int], tuple[Point, ...]]:
        """Per long edge (tail, head), its dummies' places, tail side first."""
        xs = (self.layer * layer_gap).tolist()
        ys = y.tolist()
        half = width / 2
        found: dict[tuple[int, int], tuple[Point, ...]] = {}
        for u, v, start, count in zip(
            self._long_tail.tolist(),
            self._long_head.tolist(),
            self._starts.tolist(),
            self._count.tolist(),
            strict=True,
        ):
            first = self._first_dummy + start
            dummies = range(first, first + count)
            if half:
                found[(u, v)] = tuple(
                    p for d in dummies for p in ((xs[d] - half, ys[d]), (xs[d] + half, ys[d]))
                )
            else:
                found[(u, v)] = tuple((xs[d], ys[d]) for d in dummies)
        return found


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


def _ordered_rows(layer: IntArray, tail: IntArray, head: IntArray, sizes: FloatArray) -> FloatArray:
    """Each node's y after the barycenter sweeps: a layer's members stacked in their order,
    each `sizes` tall, the layer centred on 0."""
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
    for group in members:
        size = sizes[group]
        y[group] = np.cumsum(size) - size / 2 - size.sum() / 2
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
