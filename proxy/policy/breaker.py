"""Concurrency limits for one upstream service, answered at once when exceeded.

Envoy's circuit breaker thresholds, not a Hystrix open/closed state machine: a request over the
limit is refused immediately (the caller answers 503 with `x-mesh-error`), so a slow service
sheds load instead of queueing it until every caller times out.
"""

from __future__ import annotations


class CircuitBreaker:
    """Caps in-flight requests (`max_requests`) and requests waiting for a connection
    (`max_pending`) to one service; counts every refusal for the stats stream.

    Every successful `try_acquire()` must be paired with one `release()`, and every successful
    `try_enter_pending()` with one `leave_pending()` (use try/finally in the caller).
    """

    __slots__ = (
        "active",
        "max_pending",
        "max_requests",
        "pending",
        "pending_overflows",
        "request_overflows",
    )

    def __init__(self, max_requests: int, max_pending: int) -> None:
        if max_requests < 1 or max_pending < 0:
            raise ValueError("need max_requests >= 1 and max_pending >= 0")
        self.max_requests = max_requests
        self.max_pending = max_pending
        self.active = 0
        self.pending = 0
        self.request_overflows = 0
        self.pending_overflows = 0

    def try_acquire(self) -> bool:
        """Admit one request; False when `max_requests` are already in flight."""
        if self.active >= self.max_requests:
            self.request_overflows += 1
            return False
        self.active += 1
        return True

    def release(self) -> None:
        if self.active <= 0:
            # A double release would silently raise the effective limit; fail where it happens.
            raise RuntimeError("CircuitBreaker.release() without a matching try_acquire()")
        self.active -= 1

    def try_enter_pending(self) -> bool:
        """Queue one request for a connection; False when `max_pending` are already waiting."""
        if self.pending >= self.max_pending:
            self.pending_overflows += 1
            return False
        self.pending += 1
        return True

    def leave_pending(self) -> None:
        if self.pending <= 0:
            raise RuntimeError("CircuitBreaker.leave_pending() without try_enter_pending()")
        self.pending -= 1
