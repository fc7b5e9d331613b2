"""Retry budget: retries that recover (almost) nothing are cut; useful ones are left alone."""

from __future__ import annotations

from meshgui.model.suggestions import Suggestion, SuggestionEngine
from meshgui.model.suggestions.rules import retry_budget_suggestions
from tests.meshgui.model.suggestions.histories import Flow, History, calls_to_inventory, demo_mesh

ENGINE = SuggestionEngine(rules=[retry_budget_suggestions])


def failing(history: History, retries: int, recoveries: int) -> None:
    """inventory fails half of its calls whatever is retried; `recoveries` retries work."""
    calls_to_inventory(
        history,
        Flow(ok=50, failed=50, retries=retries),
        Flow(ok=50 + recoveries, failed=50, recoveries=((20.0, recoveries),) if recoveries else ()),
    )


def evaluate(history: History) -> list[Suggestion]:
    return ENGINE.evaluate(history.collector, demo_mesh(), history.clock.now)


def test_retries_that_never_recover_are_turned_off() -> None:
    history = History()
    failing(history, retries=50, recoveries=0)
    history.run(310)
    (found,) = evaluate(history)
    assert found.ready and found.id == "retry-budget:inventory/default"
    assert found.title == "Fewer retries on inventory/default: 2 → 0 attempts"
    assert found.evidence == (
        "3,000 retries of calls to inventory over the last 5 min recovered 0 requests (0% of "
        "the retries); 50% of its 12,000 requests failed anyway."
    )
    assert found.expected_effect.startswith("Up to 10 retries/s fewer sent to inventory (+25% load")
    retry = found.apply(demo_mesh()).routes["inventory"][0].retry
    assert retry is not None and retry.attempts == 0


def test_retries_that_rarely_recover_get_one_attempt_and_a_smaller_budget() -> None:
    history = History()
    failing(history, retries=50, recoveries=3)
    history.run(310)
    (found,) = evaluate(history)
    assert found.title == (
        "Fewer retries on inventory/default: 2 → 1 attempt, budget 20% → 10% of requests"
    )
    retry = found.apply(demo_mesh()).routes["inventory"][0].retry
    assert retry is not None and (retry.attempts, retry.budget_ratio) == (1, 0.1)


def test_retries_that_recover_their_requests_are_left_alone() -> None:
    history = History()
    failing(history, retries=30, recoveries=30)
    history.run(310)
    assert evaluate(history) == []


def test_a_few_retries_are_not_enough_data() -> None:
    history = History(step_s=30.0)
    failing(history, retries=2, recoveries=0)
    history.run(330)
    (found,) = evaluate(history)
    assert found.not_enough_data == (
        "not enough data yet: needs ≥ 200 requests and ≥ 50 retries over ≥ 5 min; "
        "has 2,000 and 20 over 5 min"
    )
