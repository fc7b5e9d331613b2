"""Retry backoff from recovery times: wait about as long as recoveries actually take.

A recovery is a request whose first try failed and a retry succeeded; its recovery time runs from
the failed try to the success. The base becomes a low quantile of those times (a first retry
that soon would often have succeeded), the maximum a high one (most recoveries fall within it,
so waiting longer only delays failures). Both are rounded to 1/2/2.5/5 x 10ⁿ ms, and suggested
only when the route's current setting is off by the configured factor.

The times include the wait the current backoff imposed, so the evidence reads "this is how long
recovering took with today's setting"; re-evaluating after a change converges rather than jumps
because a suggestion needs a factor-of-two difference.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from meshgui.model.suggestions.edits import SetRetryBackoff
from meshgui.model.suggestions.format import (
    confidence,
    ms_text,
    nice_near,
    nice_up,
    off_by,
    percent,
    setting_text,
)
from meshgui.model.suggestions.rules.context import RuleContext
from meshgui.model.suggestions.types import Suggestion, node_ids

RULE = "retry-backoff"
LONGEST_RECOVERY_MS = 60_000.0
"""Beyond a minute (or in the histogram's open top bucket) a recovery is not backoff's business."""


def backoff_suggestions(ctx: RuleContext) -> Iterator[Suggestion]:
    settings = ctx.settings
    for destination in ctx.mesh.services:
        routes = [
            (ref, route)
            for ref, route in ctx.routes(destination)
            if route.retry is not None and route.retry.attempts > 0
        ]
        if not routes:
            continue
        stats = ctx.window.toward(destination)
        if not stats.recoveries:
            continue
        gate = ctx.gate(settings.backoff, stats.requests, stats.recoveries, stats.span_s)
        low = stats.recovery_ms(settings.backoff_low_quantile)
        high = stats.recovery_ms(settings.backoff_high_quantile)
        if gate is None or low is None or high is None or high >= LONGEST_RECOVERY_MS:
            continue
        base_ms = nice_near(low)
        max_ms = max(nice_up(high), base_ms)
        median = stats.recovery_ms(0.5)
        callers = len(ctx.window.callers(destination))
        evidence = (
            f"{stats.recoveries:,} of {stats.requests:,} requests to {destination} recovered "
            f"on a retry {ctx.over(stats.span_s)} (from {callers} calling "
            f"service{'s' if callers != 1 else ''}). Time from the failed try to the success: "
            f"p{settings.backoff_low_quantile * 100:.0f} {ms_text(low)}, p50 {ms_text(median)}, "
            f"p{settings.backoff_high_quantile * 100:.0f} {ms_text(high)} (interpolated within "
            "the sidecars' histogram buckets)."
        )
        for ref, route in routes:
            retry = route.retry
            assert retry is not None
            now_base, now_max = retry.backoff_base * 1000, retry.backoff_max * 1000
            off = max(off_by(now_base, base_ms), off_by(now_max, max_ms))
            if off < settings.backoff_off_by:
                continue
            caught = percent(settings.backoff_high_quantile)
            if max_ms < now_max:
                waiting = (
                    f"a failing request waits at most {setting_text(max_ms / 1000)} between "
                    f"tries instead of {setting_text(retry.backoff_max)}"
                )
            else:
                waiting = "retries stop arriving before the destination has had time to recover"
            effect = (
                f"Retries wait up to {setting_text(base_ms / 1000)} at first, doubling up to "
                f"{setting_text(max_ms / 1000)}: {caught} of the recoveries seen took "
                f"≤ {ms_text(high)}, so they are still caught, and {waiting}."
            )
            signal = min(1.0, 0.6 + 0.2 * math.log2(off / settings.backoff_off_by))
            yield Suggestion(
                rule=RULE,
                target=ref.label,
                target_kind="route",
                title=(
                    f"Retry backoff of {ref.label}: base {setting_text(retry.backoff_base)} → "
                    f"{setting_text(base_ms / 1000)}, max {setting_text(retry.backoff_max)} → "
                    f"{setting_text(max_ms / 1000)}"
                ),
                evidence=evidence + f" The route now waits {setting_text(retry.backoff_base)} to "
                f"{setting_text(retry.backoff_max)}.",
                expected_effect=effect,
                confidence=confidence(gate.data_ratio, signal),
                edit=SetRetryBackoff(ref, base_ms / 1000, max_ms / 1000),
                badge_ids=node_ids(destination, None),
                measure=off,
                parameters=(("backoff_base_ms", base_ms), ("backoff_max_ms", max_ms)),
                not_enough_data=gate.reason,
            )
