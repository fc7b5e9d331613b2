"""How much data each rule needs before it suggests anything, and its thresholds.

The defaults are argued here once, so the "not enough data" reasons and the tests agree:
- retry backoff: 200 requests and 20 recoveries over 5 min. Twenty recoveries put the 25th and
  95th percentiles on several observations each; five minutes spans more than one failure
  episode rather than a single blip.
- timeout too long: 2,000 requests over 5 min — the p99.9 then rests on the two slowest calls,
  not on one.
- timeout too short: 200 requests and 10 timeouts over 5 min: ten deadlines hit is a pattern.
- drain: 100 tries on the instance and 100 on its siblings, over 3 min, and the deviation in
  each of 3 slices of the window — longer than outlier detection's 15-30 s ejections, and a
  restart blip does not last through three slices.
- retry budget: 200 requests and 50 retries over 5 min, so "almost no retry succeeded" is not
  two unlucky retries.
- reroute: 100 requests over 2 min: a failing destination costs users, so this one is quicker.
`with_span` shortens every window at once (demos, end-to-end tests).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from meshgui.model.suggestions.format import duration_text


@dataclass(frozen=True, slots=True)
class Minimum:
    """The least data a rule decides on: requests (or tries), events, seconds of window."""

    requests: int
    events: int = 0
    event_name: str = ""
    span_s: float = 300.0

    def shortfall(self, requests: int, events: int, span_s: float) -> str | None:
        """Why `requests`/`events` over `span_s` are not enough, or None when they are."""
        if requests >= self.requests and events >= self.events and span_s >= self.span_s:
            return None
        needs = f"needs ≥ {self.requests:,} requests"
        has = f"has {requests:,}"
        if self.events:
            needs += f" and ≥ {self.events:,} {self.event_name}"
            has += f" and {events:,}"
        needs += f" over ≥ {duration_text(self.span_s)}"
        has += f" over {duration_text(span_s)}"
        return f"not enough data yet: {needs}; {has}"

    def tentative(self, requests: int, events: int) -> bool:
        """Enough to mention a possible finding (a tenth of the minimum): below that, a few
        unlucky calls would make a suggestion flicker in and out."""
        return requests * 10 >= self.requests and events * 10 >= self.events


@dataclass(frozen=True, slots=True)
class RuleSettings:
    backoff: Minimum = Minimum(200, 20, "recoveries")
    backoff_low_quantile: float = 0.25
    """The backoff base: a quarter of the recoveries needed no longer than this."""
    backoff_high_quantile: float = 0.95
    """The backoff maximum: 95% of the recoveries are caught within it."""
    backoff_off_by: float = 2.0
    """Suggest only when the current base or max is off by this factor or more."""

    timeout_high: Minimum = Minimum(2000)
    timeout_low: Minimum = Minimum(200, 10, "timeouts")
    timeout_margin: float = 2.0
    """Suggested timeout = p99.9 x margin, rounded up to 1/2/2.5/5 x 10ⁿ ms."""
    timeout_far_above: float = 4.0
    """A timeout at least this many times the suggested one is 'far above' what is needed."""
    timeout_floor_s: float = 0.1
    """Never suggest shorter: scheduling hiccups alone make shorter deadlines fire."""
    timeout_firing_rate: float = 0.005
    healthy_error_rate: float = 0.01

    drain: Minimum = Minimum(100, 100, "tries on its siblings", 180.0)
    drain_slices: int = 3
    drain_error_gap: float = 0.05
    """Error rate at least 5 points above the siblings'..."""
    drain_error_ratio: float = 3.0
    """...and at least 3 times theirs..."""
    drain_z: float = 3.0
    """...and 3 standard errors away (not noise) over the whole window."""
    drain_latency_ratio: float = 3.0
    drain_latency_gap_ms: float = 50.0

    budget: Minimum = Minimum(200, 50, "retries")
    budget_useless_rate: float = 0.1
    """Fewer than 1 in 10 retries recovering its request: retries mostly add load."""
    budget_hopeless_rate: float = 0.02

    reroute: Minimum = Minimum(100, span_s=120.0)
    reroute_error_rate: float = 0.2
    fallback_error_rate: float = 0.05

    def with_span(self, span_s: float) -> RuleSettings:
        """The same rules with every minimum window set to `span_s`."""
        changes: dict[str, object] = {
            field.name: dataclasses.replace(value, span_s=span_s)
            for field in dataclasses.fields(self)
            if isinstance(value := getattr(self, field.name), Minimum)
        }
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]
