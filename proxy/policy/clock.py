"""Injectable monotonic time for the policy layers, and a hand-driven clock for their tests."""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], float]
"""Monotonic seconds; never wall-clock time, which can jump backwards."""

monotonic_clock: Clock = time.monotonic


class FakeClock:
    """A clock that moves only when a test advances it."""

    __slots__ = ("now",)

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"a monotonic clock cannot go back ({seconds} s)")
        self.now += seconds
