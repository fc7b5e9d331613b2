"""Per-edge history: one value per step, bounded rings, NaN gaps, a coarser tier for the hour."""

from __future__ import annotations

import numpy as np
import pytest

from meshgui.model import EdgeKey, MeshModel
from meshgui.model.edge_history import METRICS, EdgeHistoryStore
from tests.meshgui.model.snapshots import FakeClock, ok_edge, snapshot, workload

WEB, CART = workload("web", "web-1"), workload("cart", "cart-1")
WEB_CART = EdgeKey("web", "cart", "http")


def steady(
    model: MeshModel, clock: FakeClock, seconds: int, rate: int, start: int = 0, base: int = 0
) -> None:
    """web calls cart at `rate`/s from second `start` on, having made `base` calls before; the
    app refreshes (view()) once a second."""
    for i in range(start, start + seconds):
        clock.now = 1000.0 + i
        count = base + rate * (i - start)
        model.ingest("web", snapshot(clock.now, http=[ok_edge("source", WEB, CART, count)]))
        model.view()


def test_one_value_per_second_for_the_asked_span() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock, window_s=5.0)
    steady(model, clock, 20, rate=40)
    history = model.history(WEB_CART, 10)
    assert len(history.t) == 10
    assert np.array_equal(history.t, np.arange(1010.0, 1020.0))
    assert np.allclose(history.rps, 40.0)
    assert np.allclose(history.error_pct, 0.0)
    assert np.all((history.p99_ms > 5.0) & (history.p99_ms <= 10.0))
    assert history.t.dtype == np.float64 and history.rps.dtype == np.float64


def test_before_the_edge_existed_and_missed_refreshes_are_nan() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock, window_s=5.0)
    steady(model, clock, 5, rate=40)
    clock.now = 1008.0  # no refresh for three seconds, then one
    model.ingest("web", snapshot(clock.now, http=[ok_edge("source", WEB, CART, 40 * 8)]))
    history = model.history(WEB_CART, 12)
    assert np.array_equal(history.t, np.arange(997.0, 1009.0))
    rps = history.rps
    assert np.isnan(rps[:3]).all()  # before the first snapshot
    assert np.isnan(rps[8:11]).all()  # 1005..1007: nobody looked
    assert rps[11] == pytest.approx(40.0)


def test_an_idle_edge_has_zero_rate_and_no_percentiles() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock, window_s=5.0)
    for i in range(4):
        clock.now = 1000.0 + i
        model.ingest("web", snapshot(clock.now, http=[ok_edge("source", WEB, CART, 9)]))
        model.view()
    history = model.history(WEB_CART, 3)
    assert np.array_equal(history.rps, [0.0, 0.0, 0.0])
    assert np.isnan(history.error_pct).all() and np.isnan(history.p50_ms).all()


def test_memory_stays_bounded_however_long_it_runs() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock, window_s=5.0, history_s=30.0, fine_history_s=30.0)
    steady(model, clock, 40, rate=10)
    history = model.history(WEB_CART, 3600)
    assert len(history.t) == 30
    store = EdgeHistoryStore(history_s=30.0, resolution_s=1.0, fine_s=30.0, coarse_s=10.0)
    for step in range(500):
        store.record(float(step), np.full((METRICS, 3), float(step)))
    assert store.fine.values.shape[0] == 30 and store.coarse is None
    recent = store.read(2, 5)
    assert np.array_equal(recent.rps, [495.0, 496.0, 497.0, 498.0, 499.0])


def test_older_history_is_kept_as_coarse_means() -> None:
    clock = FakeClock()
    model = MeshModel(
        clock=clock, window_s=1.0, history_s=120.0, fine_history_s=20.0, coarse_resolution_s=10.0
    )
    steady(model, clock, 50, rate=10)
    steady(model, clock, 50, rate=30, start=50, base=500)
    history = model.history(WEB_CART, 100)
    t, rps = history.t, history.rps
    fine = t >= t[-1] - 19
    assert fine.sum() == 20 and np.all(np.diff(t[fine]) == 1.0)
    coarse_t = t[~fine]
    assert np.all(np.diff(coarse_t) == 10.0)
    coarse = dict(zip(coarse_t.tolist(), rps[~fine].tolist(), strict=True))
    assert coarse[1010.0] == pytest.approx(10.0)
    assert coarse[1060.0] == pytest.approx(30.0)
    # 1050..1059 straddles the change: its first second still measured the old rate.
    assert coarse[1050.0] == pytest.approx((10.0 + 9 * 30.0) / 10)
    assert store_bytes(model) < 100_000


def store_bytes(model: MeshModel) -> int:
    store = model._history  # the test looks inside to show the memory bound
    coarse = store.coarse.values.nbytes if store.coarse is not None else 0
    return int(store.fine.values.nbytes + coarse)


def test_unknown_edges_have_an_empty_history() -> None:
    model = MeshModel(clock=FakeClock())
    assert len(model.history(EdgeKey("a", "b", "http"), 60).t) == 0
