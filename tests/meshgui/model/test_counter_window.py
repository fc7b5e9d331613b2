"""Window increases of one sidecar's counters: property tests over random counter series."""

from __future__ import annotations

import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from meshgui.model import EdgeKey, MeshModel
from meshgui.model.counter_window import CounterWindow
from meshgui.model.edge_counters import COUNT, SCALARS
from tests.meshgui.model.snapshots import FakeClock, ok_edge, snapshot, workload

steps = st.lists(
    st.tuples(st.integers(min_value=0, max_value=1000), st.booleans()), min_size=1, max_size=40
)


@settings(max_examples=200, deadline=None)
@given(steps, st.sampled_from([1.0, 3.0, 10.0]))
def test_rates_are_never_negative_and_exact_between_restarts(
    series: list[tuple[int, bool]], window_s: float
) -> None:
    """Each step: a second passes, `increase` calls happen, and maybe the sidecar restarted."""
    window = CounterWindow(window_s, buckets=1)
    counts: list[int] = []  # cumulative, as the sidecar reports it
    restarted_at: list[int] = []
    for t, (increase, restart) in enumerate(series):
        if restart and counts:
            restarted_at.append(t)
            counts.append(increase // 2)  # the restarted sidecar's count since its start
        else:
            counts.append((counts[-1] if counts else 0) + increase)
        current = counts[-1]
        window.record(float(t), 1, [0], [current, 0, 0, 0, 0], [], [], _resets(counts))
        delta, span = window.deltas[0, COUNT], window.spans[0]
        assert delta >= 0.0 and span >= 0.0
        start = max(0, t - int(window_s))
        if not any(start < r <= t for r in restarted_at) and t > 0:
            assert span == t - start
            assert delta == current - counts[start]
    assert window.deltas.shape == (1, SCALARS)


def _resets(counts: list[int]) -> list[int]:
    return [0] if len(counts) >= 2 and counts[-1] < counts[-2] else []


def test_edges_of_a_sidecar_dropped_from_the_profile_are_reported_gone() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    web, cart = workload("web", "web-1"), workload("cart", "cart-1")
    for i in range(2):
        clock.now = 1000.0 + i
        model.ingest("web", snapshot(clock.now, http=[ok_edge("source", web, cart, 5 * i)]))
    key = EdgeKey("web", "cart", "http")
    assert model.changed_edges() == {key}
    model.set_sidecars(["cart"])
    assert key not in model.view().edges
    assert model.changed_edges() == {key}
    assert model.view().sidecars_total == 1


def test_a_client_thread_may_ingest_while_the_gui_thread_reads() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    web, cart = workload("web", "web-1"), workload("cart", "cart-1")
    snapshots = [
        snapshot(1000.0 + i, http=[ok_edge("source", web, cart, 7 * i)]) for i in range(300)
    ]
    clock.now = 1299.0

    def feed() -> None:
        for s in snapshots:
            model.ingest("web", s)

    feeder = threading.Thread(target=feed, name="test feeder")
    feeder.start()
    for _ in range(200):
        model.view()
    feeder.join(timeout=30)
    assert not feeder.is_alive()
    assert model.view().edges[EdgeKey("web", "cart", "http")].stats.rps == 7.0
