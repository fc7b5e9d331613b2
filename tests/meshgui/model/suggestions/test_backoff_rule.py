"""Retry backoff from recovery times: known answers, too little data, settings already right."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from meshgui.model.suggestions import Suggestion, SuggestionEngine
from meshgui.model.suggestions.rules import backoff_suggestions
from proxy.config import MeshConfig, parse_mesh_document
from tests.meshgui.model.suggestions.histories import Flow, History, calls_to_inventory, demo_mesh

ENGINE = SuggestionEngine(rules=[backoff_suggestions])
RECOVERIES = ((3.0, 10), (8.0, 10), (20.0, 8), (40.0, 2))
"""Per step: p25 falls at 4 ms and p95 at 31 ms within the (1,5] and (25,50] ms buckets."""


def flaky(history: History, recoveries: tuple[tuple[float, int], ...] = RECOVERIES) -> None:
    count = sum(n for _, n in recoveries)
    calls_to_inventory(
        history, Flow(ok=100, retries=count), Flow(ok=100 + count, recoveries=recoveries)
    )


def evaluate(history: History, mesh: MeshConfig | None = None) -> list[Suggestion]:
    return ENGINE.evaluate(history.collector, mesh or demo_mesh(), history.clock.now)


def test_backoff_follows_the_low_and_high_quantiles_of_recovery_times() -> None:
    history = History()
    flaky(history)
    history.run(310)
    (found,) = evaluate(history)
    assert found.ready and found.id == "retry-backoff:inventory/default"
    assert found.title == ("Retry backoff of inventory/default: base 25ms → 5ms, max 250ms → 50ms")
    assert found.evidence.startswith(
        "1,800 of 13,800 requests to inventory recovered on a retry over the last 5 min "
        "(from 1 calling service). Time from the failed try to the success: p25 4 ms, "
    )
    assert "p95 31 ms" in found.evidence and "now waits 25ms to 250ms" in found.evidence
    assert "95% of the recoveries seen took ≤ 31 ms" in found.expected_effect
    retry = found.apply(demo_mesh()).routes["inventory"][0].retry
    assert retry is not None and (retry.backoff_base, retry.backoff_max) == (0.005, 0.05)
    assert found.parameters == (("backoff_base_ms", 5.0), ("backoff_max_ms", 50.0))


def test_too_short_a_window_is_not_enough_data() -> None:
    history = History()
    flaky(history)
    history.run(60)
    (found,) = evaluate(history)
    assert found.not_enough_data == (
        "not enough data yet: needs ≥ 200 requests and ≥ 20 recoveries over ≥ 5 min; "
        "has 2,530 and 330 over 55 s"
    )


def test_too_few_recoveries_is_not_enough_data() -> None:
    history = History(step_s=30.0)
    flaky(history, recoveries=((3.0, 1),))
    history.run(330)
    (found,) = evaluate(history)
    assert found.not_enough_data is not None
    assert (
        "≥ 20 recoveries" in found.not_enough_data and "and 10 over 5 min" in found.not_enough_data
    )


def test_a_backoff_that_already_fits_is_left_alone() -> None:
    history = History()
    flaky(history, recoveries=((20.0, 20), (200.0, 10)))
    history.run(310)
    assert evaluate(history) == []


def test_no_suggestion_without_failures_or_without_retries() -> None:
    history = History()
    calls_to_inventory(history, Flow(ok=100), Flow(ok=100))
    history.run(310)
    assert evaluate(history) == []
    history = History()
    flaky(history)
    history.run(310)
    document = demo_mesh().model_dump(mode="json")
    del document["routes"]["inventory"][0]["retry"]
    assert evaluate(history, parse_mesh_document(document, source="test")) == []


def is_nice(ms: float) -> bool:
    mantissa = ms / 10 ** math.floor(math.log10(ms))
    return any(math.isclose(mantissa, step) for step in (1, 2, 2.5, 5))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0.7, 3.0, 8.0, 20.0, 40.0, 80.0, 200.0, 400.0, 900.0]),
            st.integers(1, 20),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_suggested_backoff_is_ordered_round_and_valid(
    recoveries: list[tuple[float, int]],
) -> None:
    history = History(window_s=100.0, step_s=10.0)
    flaky(history, tuple(recoveries))
    history.run(110)
    engine = SuggestionEngine(ENGINE.settings.with_span(100.0), rules=[backoff_suggestions])
    for found in engine.evaluate(history.collector, demo_mesh(), history.clock.now):
        base, most = (value for _, value in found.parameters)
        assert 1.0 <= base <= most and is_nice(base) and is_nice(most)
        edited = found.apply(demo_mesh())
        assert MeshConfig.model_validate(edited.model_dump()) == edited
