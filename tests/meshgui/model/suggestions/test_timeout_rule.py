"""Timeouts from the latency distribution: far too long, firing on healthy traffic, neither."""

from __future__ import annotations

from meshgui.model.suggestions import Suggestion, SuggestionEngine
from meshgui.model.suggestions.rules import timeout_suggestions
from proxy.config import MeshConfig, parse_mesh_document
from tests.meshgui.model.suggestions.histories import Flow, History, calls_to_inventory, demo_mesh

ENGINE = SuggestionEngine(rules=[timeout_suggestions])


def evaluate(history: History, mesh: MeshConfig | None = None) -> list[Suggestion]:
    return ENGINE.evaluate(history.collector, mesh or demo_mesh(), history.clock.now)


def test_a_timeout_far_above_the_p999_is_cut_to_p999_times_the_margin() -> None:
    history = History()
    calls_to_inventory(history, Flow(ok=100, latency_ms=20.0), Flow(ok=100, latency_ms=20.0))
    history.run(310)
    (found,) = evaluate(history)
    assert found.ready and found.id == "timeout:inventory/default"
    # p99.9 ≈ 25 ms (top of the 10-25 ms bucket) x 2 = 50 ms, raised to the 100 ms floor
    assert found.title == (
        "Timeout of inventory/default far above need: 1s → 100ms (and the per-try timeout with it)"
    )
    assert "12,000 calls to inventory over the last 5 min took p99 25 ms, p99.9 25 ms" in (
        found.evidence
    )
    assert "keeps a x2 margin" in found.expected_effect
    route = found.apply(demo_mesh()).routes["inventory"][0]
    assert route.timeout == 0.1 and route.retry is not None
    assert route.retry.per_try_timeout == 0.1


def test_a_timeout_far_above_needs_two_thousand_calls_over_five_minutes() -> None:
    history = History()
    calls_to_inventory(history, Flow(ok=100, latency_ms=20.0), Flow(ok=100, latency_ms=20.0))
    history.run(60)
    (found,) = evaluate(history)
    assert found.not_enough_data == (
        "not enough data yet: needs ≥ 2,000 requests over ≥ 5 min; has 2,200 over 55 s"
    )


def test_a_timeout_that_fits_the_latency_is_left_alone() -> None:
    history = History()
    calls_to_inventory(history, Flow(ok=100, latency_ms=200.0), Flow(ok=100, latency_ms=200.0))
    history.run(310)
    assert evaluate(history) == []


def test_timeouts_firing_on_healthy_traffic_are_raised() -> None:
    history = History()
    slow_tries = Flow(ok=100, latency_ms=600.0)
    calls_to_inventory(
        history,
        Flow(ok=98, timeouts=2, latency_ms=300.0),
        Flow(ok=98, timeouts=2, latency_ms=300.0),
        inv1_own=slow_tries,
        inv2_own=slow_tries,
    )
    history.run(310)
    (found,) = evaluate(history)
    assert found.ready
    assert found.title == (
        "Timeout of inventory/default too short: 1s → 2s and the per-try timeout 300ms → 2s"
    )
    assert found.evidence.startswith(
        "240 of 12,000 calls to inventory (2%) hit the 1s deadline over the last 5 min, while "
        "other failures were 0%"
    )
    assert "one try at p99.9 1 s" in found.evidence
    route = found.apply(demo_mesh()).routes["inventory"][0]
    assert route.timeout == 2.0


def test_timeouts_on_failing_traffic_are_not_a_timeout_problem() -> None:
    history = History()
    calls_to_inventory(
        history,
        Flow(ok=90, failed=8, timeouts=2, latency_ms=20.0),
        Flow(ok=98, timeouts=2, latency_ms=20.0),
    )
    history.run(310)
    assert evaluate(history) == []


def test_the_default_catch_all_route_gets_a_route_of_its_own() -> None:
    document = demo_mesh().model_dump(mode="json")
    del document["routes"]["inventory"]
    mesh = parse_mesh_document(document, source="test")
    history = History()
    calls_to_inventory(history, Flow(ok=100, latency_ms=20.0), Flow(ok=100, latency_ms=20.0))
    history.run(310)
    (found,) = evaluate(history, mesh)
    assert found.target == "inventory/#0" and "15s → 100ms" in found.title
    edited = found.apply(mesh)
    assert edited.routes["inventory"][0].timeout == 0.1
    assert MeshConfig.model_validate(edited.model_dump()) == edited
