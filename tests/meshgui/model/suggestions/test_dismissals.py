"""Dismissals: hidden until the evidence changes materially (as defined in the module)."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from meshgui.model.suggestions import Dismissals, Suggestion, changed_materially
from meshgui.model.suggestions.edits import SetDrained


def drain(measure: float = 0.3, *, ready: bool = True, target: str = "inv:inv-1") -> Suggestion:
    return Suggestion(
        rule="drain",
        target=target,
        target_kind="instance",
        title="Drain inv-1",
        evidence="30% errors",
        expected_effect="fewer errors",
        confidence=0.7,
        edit=SetDrained("inv", "inv-1"),
        badge_ids=("inv",),
        measure=measure,
        parameters=(("drained", 1.0),),
        not_enough_data=None if ready else "not enough data yet",
    )


def backoff(base: float, most: float, measure: float = 5.0) -> Suggestion:
    return dataclasses.replace(
        drain(measure),
        rule="retry-backoff",
        target="inv/default",
        parameters=(("backoff_base_ms", base), ("backoff_max_ms", most)),
    )


def test_a_dismissed_suggestion_stays_hidden_while_the_evidence_is_the_same() -> None:
    dismissals = Dismissals()
    other = drain(target="inv:inv-2")
    dismissals.dismiss(drain(), now=0.0)
    for t in range(0, 600, 5):
        assert dismissals.visible([drain(0.31), other], now=float(t)) == [other]


def test_markedly_worse_evidence_shows_it_again_until_dismissed_again() -> None:
    dismissals = Dismissals()
    dismissals.dismiss(drain(0.2), now=0.0)
    assert dismissals.visible([drain(0.29)], now=5.0) == []
    assert dismissals.visible([drain(0.31)], now=10.0) == [drain(0.31)]
    assert dismissals.visible([drain(0.31)], now=15.0) == [drain(0.31)]
    dismissals.dismiss(drain(0.31), now=20.0)
    assert dismissals.visible([drain(0.40)], now=25.0) == []


def test_a_different_proposal_is_material_a_similar_one_is_not() -> None:
    assert not changed_materially(backoff(10, 50), backoff(10, 40))
    assert changed_materially(backoff(10, 50), backoff(10, 100))
    assert changed_materially(backoff(10, 50), drain())  # other parameters altogether
    assert not changed_materially(backoff(10, 50, measure=5), backoff(10, 50, measure=2))


def test_data_arriving_for_a_tentative_finding_is_material() -> None:
    assert changed_materially(drain(ready=False), drain(ready=True))
    assert not changed_materially(drain(ready=True), drain(ready=False))


def test_a_new_episode_after_a_quiet_spell_shows_again() -> None:
    dismissals = Dismissals(forget_after_s=120.0)
    dismissals.dismiss(drain(), now=0.0)
    assert dismissals.visible([], now=60.0) == []
    assert dismissals.visible([drain()], now=100.0) == []  # back within the spell: same episode
    assert dismissals.visible([], now=230.0) == []
    assert len(dismissals) == 0  # forgotten after 120 s without the suggestion
    assert dismissals.visible([drain()], now=235.0) == [drain()]


def test_restore_shows_it_at_once() -> None:
    dismissals = Dismissals()
    dismissals.dismiss(drain(), now=0.0)
    dismissals.restore(drain().id)
    assert dismissals.visible([drain()], now=1.0) == [drain()]


@given(st.floats(0.01, 1.0), st.floats(0.01, 1.0))
def test_only_a_rise_by_the_factor_is_material(before: float, after: float) -> None:
    assert changed_materially(drain(before), drain(after)) == (after >= 1.5 * before)
