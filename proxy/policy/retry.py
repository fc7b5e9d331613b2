"""Whether and when to retry: a retry budget, jittered backoff, and retry-on classification.

The budget bounds retries to a fraction of recent traffic (linkerd / Finagle), so that retries
cannot multiply the load on a service that is already failing. Classification follows Envoy's
`retry_on` vocabulary so that configs translate one-to-one to Istio and Envoy.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from proxy.policy.clock import Clock, monotonic_clock

_TOKENS_PER_RETRY = 1000
"""Fixed-point scale, as Finagle's: a deposit of ratio 0.2 is 200 tokens, so sums stay exact."""

_WINDOW_SLOTS = 10


class RetryBudget:
    """Retries allowed in the last `ttl` s = min_per_second * ttl + ratio * requests in them.

    Call `record_request()` for each original request (not for retries: then `ratio` is the
    share of extra load retries may add) and `try_withdraw()` before each retry. Deposits and
    withdrawals expire after `ttl`, counted in `_WINDOW_SLOTS` time slots.
    """

    __slots__ = (
        "_clock",
        "_closed_sum",
        "_current",
        "_deposit",
        "_reserve",
        "_ring",
        "_slot",
        "_slot_end",
        "_slot_s",
        "retries_allowed",
        "retries_refused",
    )

    def __init__(
        self,
        ratio: float = 0.2,
        min_per_second: float = 10.0,
        ttl: float = 10.0,
        clock: Clock = monotonic_clock,
    ) -> None:
        if ratio < 0 or min_per_second < 0 or ttl <= 0:
            raise ValueError("need ratio >= 0, min_per_second >= 0 and ttl > 0")
        self._clock = clock
        self._deposit = round(ratio * _TOKENS_PER_RETRY)
        self._reserve = round(min_per_second * ttl * _TOKENS_PER_RETRY)
        self._slot_s = ttl / _WINDOW_SLOTS
        self._ring = [0] * _WINDOW_SLOTS
        self._slot = 0
        self._slot_end = clock() + self._slot_s
        self._current = 0  # net tokens of the open slot, kept out of the ring to save an index
        self._closed_sum = 0  # net tokens of the other slots in the window
        self.retries_allowed = 0
        self.retries_refused = 0

    def record_request(self) -> None:
        now = self._clock()
        if now >= self._slot_end:
            self._rotate(now)
        self._current += self._deposit

    def try_withdraw(self) -> bool:
        """Take one retry from the budget; False (and nothing taken) when it is exhausted."""
        now = self._clock()
        if now >= self._slot_end:
            self._rotate(now)
        if self._reserve + self._closed_sum + self._current < _TOKENS_PER_RETRY:
            self.retries_refused += 1
            return False
        self._current -= _TOKENS_PER_RETRY
        self.retries_allowed += 1
        return True

    def available(self) -> int:
        """Whole retries the budget would allow right now."""
        now = self._clock()
        if now >= self._slot_end:
            self._rotate(now)
        return max(0, (self._reserve + self._closed_sum + self._current) // _TOKENS_PER_RETRY)

    def _rotate(self, now: float) -> None:
        ring = self._ring
        elapsed_slots = int((now - self._slot_end) / self._slot_s) + 1
        if elapsed_slots >= _WINDOW_SLOTS:
            ring[:] = [0] * _WINDOW_SLOTS
            self._closed_sum = 0
        else:
            ring[self._slot] = self._current
            self._closed_sum += self._current
            slot = self._slot
            for _ in range(elapsed_slots):
                slot = (slot + 1) % _WINDOW_SLOTS
                self._closed_sum -= ring[slot]
                ring[slot] = 0
            self._slot = slot
        self._current = 0
        self._slot_end += elapsed_slots * self._slot_s


def backoff_delay(attempt: int, base: float, maximum: float, rng: random.Random) -> float:
    """Seconds to wait before retry number `attempt` (0 = first): full jitter over the ceiling.

    Full jitter (uniform over [0, min(maximum, base * 2**attempt)]) spreads the retries of many
    clients that failed together, instead of sending them back in synchronised waves.
    """
    if attempt < 0:
        raise ValueError(f"attempt must be >= 0, got {attempt}")
    # Past 2**62 the product only overflows float conversion; the cap has long been reached.
    ceiling = maximum if attempt >= 62 else min(maximum, base * (1 << attempt))
    return rng.random() * ceiling


RETRY_ON_TOKENS = frozenset(
    {"5xx", "gateway-error", "reset", "connect-failure", "retriable-4xx", "retriable-status-codes"}
)
"""Envoy's `retry_on` conditions this proxy implements; a bare status code ("503") also counts."""

_GATEWAY_ERRORS = frozenset({502, 503, 504})


class RetryConditions:
    """Which failures a route retries, precomputed so each check is one lookup or one read.

    Envoy's meanings: `5xx` is any 5xx response or no response at all (reset, connect failure);
    `gateway-error` is 502/503/504 and also no response, which the proxy itself would answer
    with 502/503; `reset` and `connect-failure` are those failures alone; `retriable-4xx` is 409;
    `retriable_status_codes` apply only with `retriable-status-codes` listed, as in Envoy.
    """

    __slots__ = ("_on_connect_failure", "_on_reset", "_statuses")

    def __init__(
        self, retry_on: Sequence[str] | str, retriable_status_codes: Sequence[int] = ()
    ) -> None:
        # A str is a Sequence[str] too; take it as Envoy's comma-separated header form.
        items = retry_on.split(",") if isinstance(retry_on, str) else retry_on
        tokens = {item.strip().lower() for item in items if item.strip()}
        statuses: set[int] = set()
        for token in tokens:
            if token.isdigit():
                statuses.add(_checked_status(int(token)))
            elif token not in RETRY_ON_TOKENS:
                raise ValueError(f"unknown retry_on condition {token!r}")
        if "5xx" in tokens:
            statuses.update(range(500, 600))
        if "gateway-error" in tokens:
            statuses |= _GATEWAY_ERRORS
        if "retriable-4xx" in tokens:
            statuses.add(409)
        if "retriable-status-codes" in tokens:
            statuses.update(_checked_status(code) for code in retriable_status_codes)
        self._statuses = frozenset(statuses)
        self._on_reset = bool(tokens & {"5xx", "gateway-error", "reset"})
        self._on_connect_failure = self._on_reset or "connect-failure" in tokens

    def for_status(self, code: int) -> bool:
        return code in self._statuses

    def for_connect_failure(self) -> bool:
        return self._on_connect_failure

    def for_reset(self) -> bool:
        return self._on_reset


def _checked_status(code: int) -> int:
    if not 100 <= code <= 599:
        raise ValueError(f"not an HTTP status code: {code}")
    return code


_IDEMPOTENT_METHODS = frozenset({b"GET", b"HEAD", b"OPTIONS", b"TRACE", b"PUT", b"DELETE"})


def is_idempotent(method: bytes) -> bool:
    """RFC 9110 section 9.2.2; method names are case-sensitive, so b"get" is not GET."""
    return method in _IDEMPOTENT_METHODS
