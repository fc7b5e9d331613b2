"""The engine over every rule: a healthy shop gets nothing, the flaky one gets drain and backoff."""

from __future__ import annotations

from meshgui.model.suggestions import RuleSettings, SuggestionEngine
from tests.meshgui.model.suggestions.histories import Flow, History, calls_to_inventory, demo_mesh

# Latency that fits the demo's 1 s inventory timeout (p99.9 x 2 ≈ 500 ms: not 4x below it).
FITTING_MS = 200.0


def test_a_healthy_mesh_gets_no_suggestion() -> None:
    history = History()
    calls_to_inventory(
        history, Flow(ok=100, latency_ms=FITTING_MS), Flow(ok=100, latency_ms=FITTING_MS)
    )
    history.run(310)
    assert SuggestionEngine().evaluate(history.collector, demo_mesh(), history.clock.now) == []


def test_the_flaky_instance_gets_drain_and_backoff_ready_ones_first() -> None:
    history = History()
    calls_to_inventory(
        history,
        Flow(ok=70, retries=30, latency_ms=FITTING_MS),
        Flow(ok=130, recoveries=((3.0, 20), (40.0, 10)), latency_ms=FITTING_MS),
    )
    history.run(200)  # long enough for a drain (3 min), not for backoff (5 min)
    found = SuggestionEngine().evaluate(history.collector, demo_mesh(), history.clock.now)
    assert [(s.id, s.ready) for s in found] == [
        ("drain:inventory:inventory-1", True),
        ("retry-backoff:inventory/default", False),
    ]
    history.run(110)
    found = SuggestionEngine().evaluate(history.collector, demo_mesh(), history.clock.now)
    assert {s.id for s in found if s.ready} == {
        "drain:inventory:inventory-1",
        "retry-backoff:inventory/default",
    }
    assert found == sorted(found, key=lambda s: -s.confidence)


def test_with_span_shortens_every_minimum_window() -> None:
    short = RuleSettings().with_span(20.0)
    assert {short.backoff.span_s, short.drain.span_s, short.reroute.span_s} == {20.0}
    assert short.backoff.requests == RuleSettings().backoff.requests
    history = History(window_s=30.0, step_s=1.0)
    calls_to_inventory(history, Flow(ok=70, retries=30), Flow(ok=130, recoveries=((3.0, 30),)))
    history.run(31)
    engine = SuggestionEngine(short)
    ids = {s.id for s in engine.evaluate(history.collector, demo_mesh(), history.clock.now)}
    assert "drain:inventory:inventory-1" in ids
