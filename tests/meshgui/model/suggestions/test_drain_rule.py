"""Drain rule: an instance far from its siblings for a sustained window, and only then."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from meshgui.model.suggestions import Suggestion, SuggestionEngine
from meshgui.model.suggestions.rules import drain_suggestions
from proxy.config import MeshConfig, parse_mesh_document
from tests.meshgui.model.suggestions.histories import (
    INV1,
    INV2,
    WEB,
    Flow,
    History,
    calls_to_inventory,
    demo_mesh,
    inventory_endpoints,
)

ENGINE = SuggestionEngine(rules=[drain_suggestions])
FLAKY = Flow(ok=70, retries=30)
"""inventory-1 as web's sidecar sees it: 30% of its tries fail, and are retried elsewhere."""
RECOVERED = Flow(ok=130, recoveries=((12.0, 30),))
HEALTHY = Flow(ok=100)


def evaluate(history: History, mesh: MeshConfig | None = None) -> list[Suggestion]:
    return ENGINE.evaluate(history.collector, mesh or demo_mesh(), history.clock.now)


def test_a_flaky_instance_is_suggested_for_draining_with_its_numbers() -> None:
    history = History()
    calls_to_inventory(history, FLAKY, RECOVERED)
    history.run(310)
    (found,) = evaluate(history)
    assert found.ready and found.id == "drain:inventory:inventory-1"
    assert found.title.startswith("Drain inventory-1 (inventory v1): 30% errors vs 0%")
    assert found.evidence == (
        "inventory-1 failed 1,800 of 6,000 tries (30%) over the last 5 min; per 1.7 min slice: "
        "30%, 30%, 30%. Its siblings (inventory-2): 0% of 7,800."
    )
    assert found.badge_ids == ("inventory", "inventory@v1")
    assert 0.5 <= found.confidence <= 0.95
    edited = found.apply(demo_mesh())
    drained = {e.name: e.drained for e in edited.services["inventory"].endpoints}
    assert drained == {"inventory-1": True, "inventory-2": False}
    assert MeshConfig.model_validate(edited.model_dump()) == edited


def test_not_enough_data_says_what_is_needed_and_what_there_is() -> None:
    history = History()
    calls_to_inventory(history, FLAKY, RECOVERED)
    history.run(60)
    (found,) = evaluate(history)
    assert not found.ready
    assert found.not_enough_data == (
        "not enough data yet: needs ≥ 100 requests and ≥ 100 tries on its siblings over "
        "≥ 3 min; has 1,100 and 1,430 over 55 s"
    )
    assert found.confidence < 0.5


def test_no_suggestion_when_every_instance_is_healthy() -> None:
    history = History()
    calls_to_inventory(history, HEALTHY, HEALTHY)
    history.run(300)
    assert evaluate(history) == []


def test_a_burst_that_ended_is_not_sustained() -> None:
    history = History()
    calls_to_inventory(history, FLAKY, RECOVERED)
    history.run(100)
    calls_to_inventory(history, HEALTHY, HEALTHY)
    history.run(200)
    assert evaluate(history) == []


def test_a_slow_instance_is_suggested_too() -> None:
    history = History()
    calls_to_inventory(history, Flow(ok=100, latency_ms=400.0), HEALTHY)
    history.run(300)
    (found,) = evaluate(history)
    assert found.ready and "p90" in found.title and "inventory-1" in found.title


def test_an_instance_already_drained_is_left_alone() -> None:
    history = History()
    calls_to_inventory(history, FLAKY, RECOVERED)
    history.run(300)
    mesh = demo_mesh()
    drained = ENGINE.evaluate(history.collector, mesh, history.clock.now)[0].apply(mesh)
    assert evaluate(history, drained) == []


def test_no_drain_that_would_leave_a_weighted_subset_without_endpoints() -> None:
    document = demo_mesh().model_dump(mode="json")
    document["routes"]["inventory"][0]["backends"] = [
        {"service": "inventory", "subset": "v1", "weight": 50},
        {"service": "inventory", "subset": "v2", "weight": 50},
    ]
    history = History()
    calls_to_inventory(history, FLAKY, RECOVERED)
    history.run(300)
    assert evaluate(history, parse_mesh_document(document, source="test")) == []


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 4), st.integers(0, 4))
def test_differences_of_a_few_points_are_never_a_drain(mine: int, theirs: int) -> None:
    """Percent failing on each instance, both under the 5-point gap the rule needs."""
    history = History(window_s=200.0, step_s=10.0)
    calls_to_inventory(
        history,
        Flow(ok=100 - mine, retries=mine),
        Flow(ok=100 - theirs, retries=theirs),
    )
    history.run(200)
    assert evaluate(history) == []


def test_the_evidence_mentions_outlier_ejections() -> None:
    history = History()
    calls_to_inventory(history, FLAKY, RECOVERED)
    history.endpoints("web-1", inventory_endpoints(ejected=True))
    history.run(310)
    (found,) = evaluate(history)
    assert found.evidence.endswith(
        "Outlier detection has ejected it 1 time and let it back each time (ejected right now "
        "by 1 of the 1 sidecars listing it)."
    )


def test_an_instance_whose_sidecar_is_silent_is_judged_by_its_callers_counts() -> None:
    history = History()
    history.flow("web-1", "source", WEB, INV1, FLAKY)
    history.flow("web-1", "source", WEB, INV2, RECOVERED)
    history.run(310)
    (found,) = evaluate(history)
    assert found.ready and found.target == "inventory:inventory-1"
    assert found.evidence.startswith(
        "inventory-1 failed 1,800 of 6,000 tries (30%) over the last 5 min (counted by its "
        "callers' sidecars: its own reported nothing)"
    )
