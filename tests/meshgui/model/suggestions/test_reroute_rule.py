"""Reroute: a failing destination to the healthy fallback its route names at weight 0."""

from __future__ import annotations

from meshgui.model.suggestions import Suggestion, SuggestionEngine
from meshgui.model.suggestions.rules import reroute_suggestions
from proxy.config import MeshConfig, parse_mesh_document
from tests.meshgui.model.snapshots import endpoint, workload
from tests.meshgui.model.suggestions.histories import WEB, Flow, History, demo_mesh

ENGINE = SuggestionEngine(rules=[reroute_suggestions])
RECS = workload("recommendations", "recommendations-1")


def recommendations(history: History, flow: Flow, *, lite_healthy: bool = True) -> None:
    history.flow("web-1", "source", WEB, RECS, flow)
    history.endpoints(
        "web-1",
        [
            endpoint("recommendations", "recommendations-1"),
            endpoint("recommendations-lite", "recommendations-lite-1", healthy=lite_healthy),
        ],
    )


def evaluate(history: History, mesh: MeshConfig | None = None) -> list[Suggestion]:
    return ENGINE.evaluate(history.collector, mesh or demo_mesh(), history.clock.now)


def test_a_failing_destination_is_moved_to_its_idle_fallback() -> None:
    history = History()
    recommendations(history, Flow(ok=60, failed=40))
    history.run(130)
    (found,) = evaluate(history)
    assert found.ready and found.id == "reroute:recommendations/default"
    assert found.title == (
        "Reroute recommendations/default: move 100% from recommendations to recommendations-lite"
    )
    assert found.evidence.startswith(
        "recommendations failed 1,000 of 2,500 calls (40%) over the last 2.1 min (40% lately). "
        "recommendations-lite is named in the route at weight 0"
    )
    assert "it has had no traffic in the window" in found.evidence
    assert found.badge_ids == ("recommendations", "recommendations-lite")
    backends = found.apply(demo_mesh()).routes["recommendations"][0].backends
    assert [(b.service, b.weight) for b in backends] == [
        ("recommendations", 0),
        ("recommendations-lite", 100),
    ]


def test_two_minutes_of_data_are_needed() -> None:
    history = History()
    recommendations(history, Flow(ok=60, failed=40))
    history.run(60)
    (found,) = evaluate(history)
    assert found.not_enough_data == (
        "not enough data yet: needs ≥ 100 requests over ≥ 2 min; has 1,100 over 55 s"
    )


def test_a_destination_recovering_by_itself_is_not_rerouted() -> None:
    history = History()
    recommendations(history, Flow(ok=40, failed=60))
    history.run(200)
    recommendations(history, Flow(ok=100))
    history.run(110)
    assert evaluate(history) == []


def test_no_reroute_to_a_fallback_that_is_drained_or_ejected() -> None:
    history = History()
    recommendations(history, Flow(ok=60, failed=40), lite_healthy=False)
    history.run(130)
    assert evaluate(history) == []
    history = History()
    recommendations(history, Flow(ok=60, failed=40))
    history.run(130)
    document = demo_mesh().model_dump(mode="json")
    document["services"]["recommendations-lite"]["endpoints"][0]["drained"] = True
    assert evaluate(history, parse_mesh_document(document, source="test")) == []


def test_no_reroute_when_healthy_or_without_a_named_fallback() -> None:
    history = History()
    recommendations(history, Flow(ok=100))
    history.run(130)
    assert evaluate(history) == []
    history = History()
    history.flow("web-1", "source", WEB, workload("inventory", "inventory-1"), Flow(failed=50))
    history.run(130)
    assert evaluate(history) == []  # inventory's route names no fallback
