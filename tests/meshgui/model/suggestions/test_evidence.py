"""The evidence collector: window increases per edge and instance, restarts, bounded memory."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meshgui.model.suggestions import EvidenceCollector
from meshgui.model.suggestions.counters import REQUESTS, SidecarCounters, row_width
from tests.meshgui.model.snapshots import FakeClock, endpoint, ok_edge, snapshot
from tests.meshgui.model.suggestions.histories import INV1, INV2, WEB, Flow, History


def test_a_window_counts_what_happened_in_it_and_not_before() -> None:
    history = History(window_s=60.0, step_s=5.0)
    history.flow("web-1", "source", WEB, INV1, Flow(ok=10, failed=2, retries=2))
    history.run(120)
    now = history.clock.now
    table = history.collector.table(now - 60, now)
    stats = table.toward("inventory")
    assert (stats.requests, stats.errors, stats.retries) == (12 * 12, 2 * 12, 2 * 12)
    assert stats.span_s == 60.0
    assert table.edge("web", "inventory").requests == 144
    assert table.toward("inventory", "destination").requests == 0


def test_the_first_snapshot_is_the_baseline_not_a_burst_of_past_calls() -> None:
    clock = FakeClock(100.0)
    collector = EvidenceCollector(clock=clock, window_s=60.0, step_s=1.0)
    collector.ingest("web-1", snapshot(1.0, [ok_edge("source", WEB, INV1, 50_000)]))
    clock.now += 1
    collector.ingest("web-1", snapshot(2.0, [ok_edge("source", WEB, INV1, 50_010)]))
    assert collector.table(40.0, clock.now).toward("inventory").requests == 10


def test_an_edge_that_appears_later_counts_from_zero() -> None:
    clock = FakeClock(100.0)
    collector = EvidenceCollector(clock=clock, window_s=60.0, step_s=1.0)
    collector.ingest("web-1", snapshot(1.0, [ok_edge("source", WEB, INV1, 5)]))
    clock.now += 1
    edges = [ok_edge("source", WEB, INV1, 5), ok_edge("source", WEB, INV2, 3)]
    collector.ingest("web-1", snapshot(2.0, edges))
    table = collector.table(40.0, clock.now)
    assert table.toward("inventory", instances={"inventory-2"}).requests == 3
    assert table.toward("inventory", instances={"inventory-1"}).requests == 0


def test_a_restarted_sidecar_keeps_the_calls_before_and_after_its_restart() -> None:
    history = History(window_s=60.0, step_s=5.0)
    history.flow("web-1", "source", WEB, INV1, Flow(ok=10, retries=1))
    history.run(60)
    history.run(30)
    history.restart("web-1")
    history.run(30)
    now = history.clock.now
    stats = history.collector.table(now - 60, now).toward("inventory")
    # 12 steps of 10; the step the restart happened in counts from the new process's start
    assert stats.requests == 120
    assert stats.retries == 12


def test_a_repeated_snapshot_is_ignored() -> None:
    history = History(window_s=60.0, step_s=5.0)
    history.flow("web-1", "source", WEB, INV1, Flow(ok=10))
    history.run(10)
    history.collector.ingest("web-1", history.snapshot("web-1"))
    now = history.clock.now
    assert history.collector.table(now - 60, now).toward("inventory").requests == 10


def test_instances_are_counted_by_their_own_sidecar_else_by_their_callers() -> None:
    history = History(window_s=60.0, step_s=5.0)
    history.flow("web-1", "source", WEB, INV1, Flow(ok=7, failed=1, retries=2))
    history.flow("web-1", "source", WEB, INV2, Flow(ok=9))
    history.flow("inventory-2", "destination", WEB, INV2, Flow(ok=11, failed=1))
    history.run(120)
    now = history.clock.now
    tries = history.collector.table(now - 60, now).instances("inventory")
    # inventory-1 has no sidecar reporting: its callers saw 8 outcomes + 2 failed tries
    assert (tries["inventory-1"].requests, tries["inventory-1"].errors) == (12 * 10, 12 * 3)
    assert (tries["inventory-2"].requests, tries["inventory-2"].errors) == (12 * 12, 12)


def test_silent_sidecars_are_forgotten_after_a_window() -> None:
    history = History(window_s=60.0, step_s=5.0)
    history.flow("web-1", "source", WEB, INV1, Flow(ok=1))
    history.flow("cart-1", "source", WEB, INV2, Flow(ok=1))
    history.run(10)
    history.stop("cart-1")
    history.run(65)
    assert history.collector.sidecar_ids == ["web-1"]


def test_endpoints_merge_what_every_caller_sees() -> None:
    history = History()
    history.endpoints("web-1", [endpoint("inventory", "inventory-1", healthy=False)])
    history.endpoints("cart-1", [endpoint("inventory", "inventory-1")])
    history.flow("web-1", "source", WEB, INV1, Flow(ok=1))
    history.flow("cart-1", "source", WEB, INV1, Flow(ok=1))
    history.run(5)
    seen = history.collector.endpoints("inventory")["inventory-1"]
    assert (seen.seen_by, seen.ejected_by, seen.ejection_count) == (2, 1, 1)


def test_memory_is_bounded_by_the_window_over_the_step() -> None:
    counters = SidecarCounters(window_s=60.0, step_s=5.0, columns=row_width((1.0,)))
    for t in range(10_000):
        counters.record(float(t), {})
    assert counters.sample_count <= 60 / 5 + 2


def test_step_must_fit_in_the_window() -> None:
    with pytest.raises(ValueError, match="step_s"):
        EvidenceCollector(window_s=5.0, step_s=10.0)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 50), st.booleans()), min_size=2, max_size=60),
    st.sampled_from([(10.0, 1.0), (30.0, 5.0), (60.0, 2.0)]),
)
def test_increases_are_never_negative_and_exact_without_restarts(
    steps: list[tuple[int, bool]], window: tuple[float, float]
) -> None:
    """Each second `increase` calls happen, and maybe the sidecar restarted first."""
    window_s, step_s = window
    clock = FakeClock(0.0)
    collector = EvidenceCollector(clock=clock, window_s=window_s, step_s=step_s)
    cumulative, total, restarted = 0, [], False
    for t, (increase, restart) in enumerate(steps):
        clock.now = float(t)
        if restart and t > 0:
            cumulative, restarted = 0, True
        cumulative += increase
        total.append(increase)
        collector.ingest("s", snapshot(float(t), [ok_edge("source", WEB, INV1, cumulative)]))
        stats = collector.table(clock.now - window_s, clock.now).toward("inventory")
        assert stats.requests >= 0
        if not restarted and t > 0:
            # the base sample is the newest at or before the window's start (step-aligned)
            assert stats.requests <= sum(total[1:])
    counters = collector._sidecars["s"]
    first_full = counters.increase(-1.0, clock.now)
    assert first_full is not None or len(steps) < 2
    if first_full is not None and not any(r for _, r in steps[1:]):
        oldest = counters.oldest_at
        assert oldest is not None
        # with no restart, the increase over what is kept is exactly the sum of its steps
        kept = sum(total[int(oldest) + 1 :])
        assert first_full.values[0, REQUESTS] == kept


def test_endpoint_views_follow_the_newest_snapshots() -> None:
    history = History()
    history.flow("web-1", "source", WEB, INV1, Flow(ok=1))
    history.endpoints("web-1", [endpoint("inventory", "inventory-1")])
    history.run(5)
    assert history.collector.endpoints("inventory")["inventory-1"].ejected_by == 0
    history.endpoints("web-1", [endpoint("inventory", "inventory-1", healthy=False)])
    history.run(5)
    assert history.collector.endpoints("inventory")["inventory-1"].ejected_by == 1
    assert history.collector.endpoints("cart") == {}
