"""`edge_healths` (all edges at once, numpy) says what `edge_health` (one edge) says, at the
thresholds too, so the view cache can use it without changing a colour."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, astuple

import numpy as np
import pytest

from meshgui.model import EdgeKey, MeshModel
from meshgui.model.edge_view_map import _slot_setters
from meshgui.model.edge_views import edge_healths, tries_failed_percents
from meshgui.model.health import (
    DEGRADED_ERROR_PCT,
    FAILING_ERROR_PCT,
    edge_health,
    tries_failed_percent,
)
from meshgui.model.types import EdgeStats, EdgeView
from tests.meshgui.model.snapshots import FakeClock, ok_edge, snapshot, workload

WEB, CART = workload("web", "web-1"), workload("cart", "cart-1")
WEB_CART = EdgeKey("web", "cart", "http")


def test_every_edge_gets_the_health_edge_health_gives_it() -> None:
    rng = np.random.default_rng(7)
    n = 20_000
    rps = np.where(rng.random(n) < 0.2, 0.0, rng.lognormal(0.0, 2.0, n))
    error_pct = np.where(rng.random(n) < 0.3, 0.0, rng.uniform(0.0, 40.0, n))
    error_pct[:500], error_pct[500:1000] = FAILING_ERROR_PCT, DEGRADED_ERROR_PCT
    retries = np.where(rng.random(n) < 0.5, 0.0, rng.lognormal(-1.0, 2.0, n))
    end_gone = rng.random(n) < 0.3
    expected = [
        edge_health(r, e, an_end_disconnected=bool(g), retries_per_s=t)
        for r, e, t, g in zip(
            rps.tolist(), error_pct.tolist(), retries.tolist(), end_gone.tolist(), strict=True
        )
    ]
    assert edge_healths(rps, error_pct, retries, end_gone) == expected
    assert len(set(expected)) == 5  # every health was met


def test_every_edge_gets_the_failed_tries_share_its_label_computes() -> None:
    """Bit for bit: the canvas's label (`tries_failed_percent`) and the model's look keys
    (`tries_failed_percents`) must agree on which side of a threshold a share lies."""
    rng = np.random.default_rng(3)
    n = 5_000
    rps = np.where(rng.random(n) < 0.1, 0.0, rng.lognormal(2.0, 2.0, n))
    error_pct = np.where(rng.random(n) < 0.5, 0.0, rng.uniform(0.0, 100.0, n))
    retries = np.where(rng.random(n) < 0.3, 0.0, rng.lognormal(0.0, 2.0, n))
    expected = [
        tries_failed_percent(r, e, t)
        for r, e, t in zip(rps.tolist(), error_pct.tolist(), retries.tolist(), strict=True)
    ]
    assert tries_failed_percents(rps, error_pct, retries).tolist() == expected
    assert tries_failed_percents(np.zeros(1), np.zeros(1), np.zeros(1)).tolist() == [0.0]


def test_no_edges_no_healths() -> None:
    empty = np.zeros(0)
    assert edge_healths(empty, empty, empty, np.zeros(0, dtype=np.bool_)) == []


def test_an_edge_view_built_slot_by_slot_is_the_one_its_constructors_make() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    for i, count in enumerate((100, 160)):
        clock.now = 1000.0 + i
        model.ingest("web", snapshot(clock.now, http=[ok_edge("source", WEB, CART, count)]))
    built = model.view().edges[WEB_CART]
    made = EdgeView(WEB_CART, EdgeStats(*astuple(built.stats)), built.health)
    assert built == made and hash(built) == hash(made) and repr(built) == repr(made)
    assert built.stats.rps == 60.0 and type(built.stats.in_flight) is int
    with pytest.raises(FrozenInstanceError):
        built.stats.rps = 1.0  # type: ignore[misc]


def test_a_field_added_to_a_view_class_is_not_silently_left_unset() -> None:
    with pytest.raises(TypeError, match="EdgeStats has 8 fields, expected 9"):
        _slot_setters(EdgeStats, 9)


def test_changed_edges_say_which_ones_look_different() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    calls = 0
    for i, step in enumerate((1000, 1000, 1000, 1001, 5000)):
        calls += step
        clock.now = 1000.0 + i
        model.ingest("web", snapshot(clock.now, http=[ok_edge("source", WEB, CART, calls)]))
        if i == 2:
            first = model.changed_edges()
            assert first == {WEB_CART} and first.restyled == first.relabelled == {WEB_CART}
            before = model.view()
        if i == 3:  # 1,000.3 req/s over the window: the same width as 1,000
            changed = model.changed_edges()
            assert changed == {WEB_CART} and not changed.restyled
            # p99 is 9.95 ms, on the rounding boundary of "9.9"/"10.0": such an edge always
            # counts as relabelled (a spare repaint up close, never a missed one).
            assert model.view().edges[WEB_CART].stats.p99_ms == 9.95
            assert changed.relabelled == {WEB_CART}
    changed = model.changed_edges()  # a jump: another width, another label
    assert changed.restyled == changed.relabelled == {WEB_CART}
    after = model.view()
    # Each mapping keeps its own refresh's numbers; a view read twice is the same object.
    assert before.edges[WEB_CART].stats.rps == 1000.0
    assert after.edges[WEB_CART].stats.rps > 1000.0
    assert after.edges[WEB_CART] is after.edges[WEB_CART]
    assert list(after.edges) == [WEB_CART] and after.edges.get(EdgeKey("x", "y", "http")) is None
