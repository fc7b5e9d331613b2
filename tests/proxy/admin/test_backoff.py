"""Backoff: capped exponential growth with equal jitter, reset after a success."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proxy.admin.backoff import Backoff


class FixedRandom(random.Random):
    def __init__(self, share: float) -> None:
        super().__init__(0)
        self.share = share

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self.share


def test_delays_double_up_to_the_cap() -> None:
    backoff = Backoff(initial=0.1, cap=1.0, rng=FixedRandom(1.0))
    delays = [backoff.next_delay() for _ in range(6)]
    assert delays == pytest.approx([0.1, 0.2, 0.4, 0.8, 1.0, 1.0])


def test_jitter_keeps_at_least_half_the_ceiling() -> None:
    backoff = Backoff(initial=0.1, cap=1.0, rng=FixedRandom(0.0))
    assert [backoff.next_delay() for _ in range(3)] == pytest.approx([0.05, 0.1, 0.2])


def test_reset_starts_over() -> None:
    backoff = Backoff(initial=0.1, cap=1.0, rng=FixedRandom(1.0))
    for _ in range(5):
        backoff.next_delay()
    backoff.reset()
    assert backoff.next_delay() == pytest.approx(0.1)


def test_nonsense_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        Backoff(initial=0.0)
    with pytest.raises(ValueError):
        Backoff(initial=2.0, cap=1.0)
    with pytest.raises(ValueError):
        Backoff(multiplier=0.5)


@given(
    initial=st.floats(0.001, 1.0),
    cap=st.floats(1.0, 60.0),
    attempts=st.integers(1, 300),
    seed=st.integers(0, 2**32),
)
def test_every_delay_is_within_half_ceiling_and_cap(
    initial: float, cap: float, attempts: int, seed: int
) -> None:
    backoff = Backoff(initial=initial, cap=cap, rng=random.Random(seed))
    for _ in range(attempts):
        ceiling = backoff.ceiling()
        delay = backoff.next_delay()
        assert ceiling / 2 <= delay <= ceiling <= cap
