"""The layout's order: strongly connected components first, SpringRank heights within them."""

from __future__ import annotations

import numpy as np

from meshgui.model.layout_ranks import acyclic_order, spring_heights


def backwards(order: list[int], successors: list[list[int]]) -> list[tuple[int, int]]:
    rank = {v: i for i, v in enumerate(order)}
    return [(u, v) for u, targets in enumerate(successors) for v in targets if rank[u] > rank[v]]


def test_heights_of_a_chain_rise_one_step_per_call() -> None:
    heights = spring_heights([[1], [2], [3], []])
    assert np.allclose(np.diff(heights), 1.0, atol=0.01)  # the regularisation bends it a little


def test_an_acyclic_graph_keeps_every_call_forward() -> None:
    # 0 -> 3 directly and through a long chain: heights alone might place 3 before 4, the
    # component order may not.
    successors = [[1, 3], [2], [4], [], [3], []]
    assert backwards(acyclic_order(successors), successors) == []


def test_a_call_back_up_is_the_one_reversed() -> None:
    # Tiers 0 -> {1, 2} -> {3, 4} -> 5, and 5 calls 0 back: that call, not a tier's, points back.
    successors = [[1, 2], [3, 4], [3, 4], [5], [5], [0]]
    assert backwards(acyclic_order(successors), successors) == [(5, 0)]


def test_a_very_long_chain_needs_no_recursion() -> None:
    n = 20_000  # deeper than Python's recursion limit
    successors = [[v + 1] for v in range(n - 1)] + [[0]]
    order = acyclic_order(successors)
    assert sorted(order) == list(range(n))
    assert len(backwards(order, successors)) == 1


def test_isolated_nodes_and_no_edges() -> None:
    assert sorted(acyclic_order([[], [], []])) == [0, 1, 2]
    assert acyclic_order([]) == []
