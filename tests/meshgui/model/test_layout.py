"""Layered layout: callers left of callees, cycles broken, crossings reduced, deterministic."""

from __future__ import annotations

import random
import time

from hypothesis import given, settings

from meshgui.model import layered_layout
from meshgui.model.layout_cycles import greedy_acyclic_order
from tests.meshgui.model.graph_strategies import acyclic_graphs

RETAIL = [
    ("unknown", "web"),
    ("web", "cart"),
    ("web", "recommendations"),
    ("cart", "inventory"),
    ("recommendations", "inventory"),
    ("recommendations", "product-tags"),
    ("inventory", "inventory-db"),
]
RETAIL_NODES = sorted({name for edge in RETAIL for name in edge})


def crossings(positions: dict[str, tuple[float, float]], edges: list[tuple[str, str]]) -> int:
    """Crossings between edges that join the same two adjacent layers."""
    count = 0
    for i, (a, b) in enumerate(edges):
        for c, d in edges[i + 1 :]:
            (ax, ay), (bx, by) = positions[a], positions[b]
            (cx, cy), (dx, dy) = positions[c], positions[d]
            if (ax, bx) == (cx, dx) and (ay - cy) * (by - dy) < 0:
                count += 1
    return count


def test_callers_are_left_of_their_callees() -> None:
    positions = layered_layout(RETAIL_NODES, RETAIL)
    assert set(positions) == set(RETAIL_NODES)
    for caller, callee in RETAIL:
        assert positions[caller][0] < positions[callee][0]
    # Longest path: inventory sits right of recommendations, not beside it.
    assert positions["inventory"][0] == 3 * 260.0
    assert positions["unknown"][0] == 0.0


def test_gaps_and_centred_layers() -> None:
    positions = layered_layout(["a", "b", "c"], [("a", "b"), ("a", "c")], layer_gap=10, node_gap=4)
    assert positions["a"] == (0.0, 0.0)
    assert sorted(positions[n] for n in "bc") == [(10.0, -2.0), (10.0, 2.0)]


def test_same_graph_same_positions_whatever_the_input_order() -> None:
    first = layered_layout(RETAIL_NODES, RETAIL)
    shuffled_nodes, shuffled_edges = RETAIL_NODES[::-1], RETAIL[::-1]
    assert layered_layout(shuffled_nodes, shuffled_edges) == first
    assert layered_layout(RETAIL_NODES, RETAIL) == first


def test_cycles_are_broken_and_every_node_gets_its_own_place() -> None:
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "b"), ("x", "x")]
    positions = layered_layout(["a", "b", "c", "d", "x"], edges)
    assert len(set(positions.values())) == 5
    backwards = [(u, v) for u, v in edges if u != v and positions[u][0] >= positions[v][0]]
    assert len(backwards) <= 2  # two cycles (a-b-c, b-c-d): one reversed edge each at most


def test_greedy_order_reverses_only_one_edge_of_a_simple_cycle() -> None:
    order = greedy_acyclic_order([[1], [2], [0]])
    rank = {v: i for i, v in enumerate(order)}
    backwards = [(u, v) for u, v in [(0, 1), (1, 2), (2, 0)] if rank[u] > rank[v]]
    assert len(backwards) == 1


def tiered_mesh(
    seed: int, tiers: int = 5, width: int = 12
) -> tuple[list[str], list[tuple[str, str]]]:
    """A shop in `tiers` tiers: each service called from the tier before it, more calls to the
    next tier, and 8 calls back up to an earlier tier (cycles)."""
    rng = random.Random(seed)
    by_tier = [[f"t{t}-{i:02d}" for i in range(width)] for t in range(tiers)]
    edges = {(rng.choice(by_tier[t - 1]), n) for t in range(1, tiers) for n in by_tier[t]}
    while len(edges) < 150:
        t = rng.randrange(tiers - 1)
        edges.add((rng.choice(by_tier[t]), rng.choice(by_tier[t + 1])))
    back: set[tuple[str, str]] = set()
    while len(back) < 8:
        t = rng.randrange(1, tiers)
        back.add((rng.choice(by_tier[t]), rng.choice(by_tier[rng.randrange(t)])))
    return [n for tier in by_tier for n in tier], sorted(edges | back)


def test_a_few_calls_back_up_do_not_stretch_the_tiers() -> None:
    # Greedy cycle removal alone laid these 5-tier meshes out in 10 columns on average (up to
    # 13), each back-call it kept forward stretching a chain; the tiers should stay near 5.
    depths = []
    for seed in range(10):
        nodes, edges = tiered_mesh(seed)
        positions = layered_layout(nodes, edges)
        depths.append(len({x for x, _ in positions.values()}))
        assert len(set(positions.values())) == len(nodes)
    assert sum(depths) / len(depths) <= 8, depths


def test_barycenter_ordering_removes_an_avoidable_crossing() -> None:
    # Sorted by name, layer 1 would be [p, q] with a->q, b->p crossing; the sweep uncrosses it.
    edges = [("a", "q"), ("b", "p"), ("a", "z"), ("b", "y")]
    positions = layered_layout(["a", "b", "p", "q", "y", "z"], edges)
    assert crossings(positions, edges) == 0


def test_edges_to_unlisted_nodes_are_ignored_and_empty_is_empty() -> None:
    assert layered_layout([], [("a", "b")]) == {}
    assert set(layered_layout(["a"], [("a", "b")])) == {"a"}


@settings(max_examples=60, deadline=None)
@given(acyclic_graphs(min_nodes=1, max_nodes=25, max_edges=60))
def test_random_acyclic_graphs_flow_left_to_right(
    graph: tuple[list[str], list[tuple[str, str]]],
) -> None:
    nodes, edges = graph
    positions = layered_layout(nodes, edges)
    assert len(set(positions.values())) == len(nodes)
    for u, v in edges:
        assert positions[u][0] < positions[v][0]


def test_timing_for_1000_services_and_5000_edges() -> None:
    rng = random.Random(7)
    nodes = [f"svc-{i:04d}" for i in range(1000)]
    edges: set[tuple[str, str]] = set()
    while len(edges) < 5000:
        u, v = rng.randrange(1000), rng.randrange(1000)
        # Mostly "downstream" calls, with some back-calls to make cycles.
        if u != v and (u < v or rng.random() < 0.05):
            edges.add((nodes[u], nodes[v]))
    started = time.perf_counter()
    positions = layered_layout(nodes, sorted(edges))
    elapsed = time.perf_counter() - started
    layers = len({x for x, _ in positions.values()})
    print(f"\nlayered_layout 1000 nodes / 5000 edges: {elapsed * 1000:.0f} ms, {layers} layers")
    assert len(positions) == 1000
