"""Hypothesis strategies for the layout tests: random acyclic service graphs."""

from __future__ import annotations

from hypothesis import strategies as st


@st.composite
def acyclic_graphs(
    draw: st.DrawFn, *, min_nodes: int, max_nodes: int, max_edges: int
) -> tuple[list[str], list[tuple[str, str]]]:
    """Nodes s0..sN and edges that always run from the lower number to the higher."""
    n = draw(st.integers(min_value=min_nodes, max_value=max_nodes))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    raw = draw(st.lists(pairs, max_size=max_edges))
    edges = [(f"s{min(u, v)}", f"s{max(u, v)}") for u, v in raw if u != v]
    return [f"s{i}" for i in range(n)], edges
