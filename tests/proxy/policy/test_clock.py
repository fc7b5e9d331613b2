from __future__ import annotations

import pytest

from proxy.policy.clock import FakeClock


def test_fake_clock_reads_what_it_was_advanced_to() -> None:
    clock = FakeClock(start=5.0)
    clock.advance(1.5)
    clock.advance(0.25)
    assert clock() == 6.75
    assert clock.now == 6.75


def test_fake_clock_refuses_to_go_back() -> None:
    clock = FakeClock()
    with pytest.raises(ValueError):
        clock.advance(-0.1)
    assert clock() == 0.0
