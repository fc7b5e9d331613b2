"""Edges that skip layers are routed through a dummy point in each layer they cross: the layer
leaves a gap for them, so drawn through their bends they pass between its services, never
through one (where they would read as a call into it)."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings

from meshgui.model.layout import LayeredLayout, layered_layout, layered_layout_with_bends
from tests.meshgui.model.graph_strategies import acyclic_graphs

WIDTH, HEIGHT = 176.0, 54.0
"""The canvas's node boxes."""

SHOP = [
    ("unknown", "web"),
    ("web", "cart"),
    ("web", "recommendations"),
    ("web", "inventory"),  # skips the layer of cart and recommendations
    ("cart", "inventory"),
    ("recommendations", "inventory"),
    ("recommendations", "product-tags"),
    ("inventory", "inventory-db"),
]
SHOP_NODES = sorted({name for edge in SHOP for name in edge})

Point = tuple[float, float]


def canvas_layout(
    nodes: list[str], edges: list[tuple[str, str]], max_bent_edges: int | None = None
) -> LayeredLayout:
    """With the canvas's gaps (`layout_runner`); bends run level for a node's width."""
    return layered_layout_with_bends(
        nodes,
        edges,
        layer_gap=360.0,
        node_gap=110.0,
        bend_gap=36.0,
        bend_width=WIDTH,
        max_bent_edges=max_bent_edges,
    )


def crosses_box(a: Point, b: Point, centre: Point) -> bool:
    """Whether segment a-b meets the node box around `centre` (Liang-Barsky clipping)."""
    (x0, y0), (x1, y1), (cx, cy) = a, b, centre
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in (
        (-dx, x0 - (cx - WIDTH / 2)),
        (dx, (cx + WIDTH / 2) - x0),
        (-dy, y0 - (cy - HEIGHT / 2)),
        (dy, (cy + HEIGHT / 2) - y0),
    ):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def boxes_hit(
    positions: dict[str, Point], bends: dict[tuple[str, str], tuple[Point, ...]]
) -> list[tuple[str, str, str]]:
    """(caller, callee, node) for every node box in a crossed layer that a bent edge meets,
    drawn from centre to centre through its bends."""
    hits = []
    for (caller, callee), points in bends.items():
        start, end = positions[caller], positions[callee]
        low, high = sorted((start[0], end[0]))
        path = [start, *points, end]
        for name, centre in positions.items():
            if not low < centre[0] < high:
                continue  # only the layers it crosses
            if any(crosses_box(a, b, centre) for a, b in itertools.pairwise(path)):
                hits.append((caller, callee, name))
    return hits


def test_a_skipping_edge_bends_between_the_services_of_the_layer_it_crosses() -> None:
    laid_out = canvas_layout(SHOP_NODES, SHOP)
    positions = laid_out.positions
    assert set(laid_out.bends) == {("web", "inventory")}
    bends = laid_out.bends[("web", "inventory")]
    x = positions["cart"][0]
    y = bends[0][1]
    # Level through cart's layer, for a node's width, in the gap between its two services.
    assert bends == ((x - WIDTH / 2, y), (x + WIDTH / 2, y))
    cart, recommendations = positions["cart"][1], positions["recommendations"][1]
    assert min(cart, recommendations) < y < max(cart, recommendations)
    assert min(abs(y - cart), abs(y - recommendations)) >= (110.0 + 36.0) / 2
    assert boxes_hit(positions, laid_out.bends) == []


def test_every_bent_edge_of_a_larger_mesh_stays_clear_of_the_boxes_it_passes() -> None:
    rng = random.Random(3)
    tiers = [[f"t{t}-{i:02d}" for i in range(8)] for t in range(6)]
    edges = {(rng.choice(tiers[t - 1]), n) for t in range(1, 6) for n in tiers[t]}
    while len(edges) < 90:  # many calls skip one or more tiers
        t = rng.randrange(5)
        edges.add((rng.choice(tiers[t]), rng.choice(tiers[rng.randrange(t + 1, 6)])))
    nodes = [n for tier in tiers for n in tier]
    laid_out = canvas_layout(nodes, sorted(edges))
    assert len(laid_out.bends) >= 20
    assert boxes_hit(laid_out.positions, laid_out.bends) == []
    # Bends are only for edges that skip layers, one pair per layer crossed.
    for (caller, callee), points in laid_out.bends.items():
        crossed = round((laid_out.positions[callee][0] - laid_out.positions[caller][0]) / 360.0)
        assert len(points) == 2 * (crossed - 1)


def test_a_call_back_across_layers_bends_from_its_caller_to_its_callee() -> None:
    # d calls a back: its bends run right to left, from d's side to a's.
    edges = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")]
    laid_out = layered_layout_with_bends(["a", "b", "c", "d"], edges)
    positions = laid_out.positions
    caller, callee = next(iter(laid_out.bends))
    points = laid_out.bends[(caller, callee)]
    assert positions[caller][0] > positions[callee][0]  # it points backwards
    xs = [x for x, _ in points]
    assert xs == sorted(xs, reverse=True)
    assert len(points) == 2  # one point per crossed layer when bend_width is 0


def test_bends_do_not_depend_on_the_input_order() -> None:
    first = canvas_layout(SHOP_NODES, SHOP)
    again = canvas_layout(SHOP_NODES[::-1], SHOP[::-1] + SHOP[:2])
    assert again == first


def test_bends_leave_the_layers_alone() -> None:
    plain = layered_layout(SHOP_NODES, SHOP)
    bent = layered_layout_with_bends(SHOP_NODES, SHOP).positions
    assert {n: x for n, (x, _) in bent.items()} == {n: x for n, (x, _) in plain.items()}


@settings(max_examples=40, deadline=None)
@given(acyclic_graphs(min_nodes=2, max_nodes=20, max_edges=50))
def test_random_acyclic_graphs_bend_clear_of_every_box(
    graph: tuple[list[str], list[tuple[str, str]]],
) -> None:
    nodes, edges = graph
    laid_out = canvas_layout(nodes, edges)
    assert boxes_hit(laid_out.positions, laid_out.bends) == []
    for u, v in edges:
        assert laid_out.positions[u][0] < laid_out.positions[v][0]


def test_too_many_skipping_edges_get_no_bends_but_keep_their_room() -> None:
    capped = canvas_layout(SHOP_NODES, SHOP, max_bent_edges=0)
    assert capped.bends == {}
    assert capped.positions == canvas_layout(SHOP_NODES, SHOP).positions
