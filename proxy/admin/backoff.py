"""Capped exponential backoff with jitter, for reconnecting to a sidecar.

Equal jitter: each delay is half the current ceiling plus a random share of the other half, so
clients of a restarted sidecar spread out yet never retry in a tight loop.
"""

from __future__ import annotations

import random


class Backoff:
    """Delays initial, 2x, 4x ... up to `cap` (each jittered); `reset` after a success."""

    __slots__ = ("_attempt", "_rng", "cap", "initial", "multiplier")

    def __init__(
        self,
        initial: float = 0.1,
        cap: float = 5.0,
        multiplier: float = 2.0,
        rng: random.Random | None = None,
    ) -> None:
        if not 0 < initial <= cap:
            raise ValueError(f"need 0 < initial <= cap, got initial={initial}, cap={cap}")
        if multiplier < 1:
            raise ValueError(f"multiplier must be >= 1, got {multiplier}")
        self.initial = initial
        self.cap = cap
        self.multiplier = multiplier
        self._rng = rng or random.Random()
        self._attempt = 0

    def ceiling(self) -> float:
        """The largest delay the next call may return."""
        # min() before the power would overflow for a long outage: cap the exponent instead.
        growth = self.multiplier ** min(self._attempt, 64)
        return min(self.cap, self.initial * growth)

    def next_delay(self) -> float:
        ceiling = self.ceiling()
        self._attempt += 1
        return ceiling / 2 + self._rng.uniform(0.0, ceiling / 2)

    def reset(self) -> None:
        self._attempt = 0
