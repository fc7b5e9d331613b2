"""Per-route retry policy and per-service outlier detection and circuit breaker settings."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from proxy.config.types import (
    Duration,
    PositiveDuration,
    StrictModel,
    format_duration,
    raise_problems,
)

RetryOn = Literal[
    "connect-failure", "reset", "5xx", "gateway-error", "retriable-4xx", "retriable-status-codes"
]
"""Envoy/Istio ``retryOn`` conditions that make sense for HTTP/1.1 between sidecars."""

StatusCode = Annotated[int, Field(ge=100, le=599)]


class RetryPolicy(StrictModel):
    """When and how often a route retries, bounded by a budget so retries cannot snowball."""

    attempts: int = Field(default=2, ge=0, le=100)
    """Retries after the first try (Istio semantics): 2 means up to 3 tries in all."""
    per_try_timeout: PositiveDuration | None = None
    """Deadline of one try; None means only the route's overall timeout applies."""
    retry_on: tuple[RetryOn, ...] = (
        "connect-failure",
        "reset",
        "5xx",
        "gateway-error",
        "retriable-status-codes",
    )
    retriable_status_codes: tuple[StatusCode, ...] = (503,)
    """Used by the ``retriable-status-codes`` condition."""
    backoff_base: Duration = 0.025
    backoff_max: Duration = 0.25
    budget_ratio: float = Field(default=0.2, ge=0.0, le=1.0)
    """Retries may add at most this share of the requests..."""
    budget_min_per_second: float = Field(default=10.0, ge=0.0)
    """...plus this many retries per second, so a quiet service can still retry."""
    retry_non_idempotent: bool = False
    """Retry POST/PATCH too; off because replaying them can repeat a side effect."""

    @model_validator(mode="after")
    def _backoff_ordered(self) -> RetryPolicy:
        if self.backoff_base > self.backoff_max:
            base, most = format_duration(self.backoff_base), format_duration(self.backoff_max)
            raise_problems(
                [(("backoff_base",), f"backoff_base ({base}) is longer than backoff_max ({most})")]
            )
        return self


class OutlierDetection(StrictModel):
    """Passive health checking: eject an endpoint after consecutive failures, for a while."""

    enabled: bool = True
    consecutive_failures: int = Field(default=5, ge=1)
    base_ejection_time: PositiveDuration = 30.0
    """Ejection lasts this long times the number of times the endpoint was ejected."""
    max_ejection_percent: int = Field(default=10, ge=0, le=100)
    """Never eject more than this share of a service's endpoints (at least one may go)."""


class CircuitBreaker(StrictModel):
    """Limits on concurrent work towards one service; excess fails fast with 503."""

    max_requests: int = Field(default=1024, ge=1)
    """Requests in flight to the service."""
    max_pending: int = Field(default=1024, ge=0)
    """Requests waiting for a connection."""
