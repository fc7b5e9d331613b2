"""Retries that add load without adding successes: fewer attempts, or a smaller budget.

A retry's worth is the share of retries that ended in a recovery (the retried request then
succeeded). Below `budget_useless_rate` the route is cut to one attempt and a budget of at most
10% of the requests; below `budget_hopeless_rate` retries are turned off (0 attempts): they only
multiply the load on a destination that is failing anyway.
"""

from __future__ import annotations

from collections.abc import Iterator

from meshgui.model.suggestions.edits import SetRetryLimits
from meshgui.model.suggestions.format import confidence, percent, plural
from meshgui.model.suggestions.rules.context import RuleContext
from meshgui.model.suggestions.types import Suggestion, node_ids

RULE = "retry-budget"
REDUCED_BUDGET_RATIO = 0.1


def retry_budget_suggestions(ctx: RuleContext) -> Iterator[Suggestion]:
    settings = ctx.settings
    for destination in ctx.mesh.services:
        calls = ctx.window.toward(destination)
        if not calls.retries:
            continue
        worth = min(1.0, calls.recoveries / calls.retries)
        if worth >= settings.budget_useless_rate:
            continue
        gate = ctx.gate(settings.budget, calls.requests, calls.retries, calls.span_s)
        if gate is None:
            continue
        for ref, route in ctx.routes(destination):
            retry = route.retry
            if retry is None or retry.attempts == 0:
                continue
            attempts = 0 if worth < settings.budget_hopeless_rate else 1
            ratio = (
                retry.budget_ratio
                if attempts == 0
                else min(retry.budget_ratio, REDUCED_BUDGET_RATIO)
            )
            if attempts >= retry.attempts and ratio >= retry.budget_ratio:
                continue
            change = f"{retry.attempts} → {plural(attempts, 'attempt')}"
            if ratio < retry.budget_ratio:
                change += f", budget {percent(retry.budget_ratio)} → {percent(ratio)} of requests"
            span = max(calls.span_s, 1.0)
            yield Suggestion(
                rule=RULE,
                target=ref.label,
                target_kind="route",
                title=f"Fewer retries on {ref.label}: {change}",
                evidence=(
                    f"{calls.retries:,} retries of calls to {destination} {ctx.over(calls.span_s)} "
                    f"recovered {calls.recoveries:,} requests ({percent(worth)} of the retries); "
                    f"{percent(calls.error_rate)} of its {calls.requests:,} requests failed anyway."
                ),
                expected_effect=(
                    f"Up to {calls.retries / span:.2g} retries/s fewer sent to {destination} "
                    f"(+{percent(calls.retries / max(calls.requests, 1))} load now) while it "
                    f"fails; at most ~{calls.recoveries / span:.2g} requests/s that a retry "
                    "would have saved fail instead."
                ),
                confidence=confidence(
                    gate.data_ratio, 1.0 - 0.5 * worth / settings.budget_useless_rate
                ),
                edit=SetRetryLimits(ref, attempts, ratio),
                badge_ids=node_ids(destination, None),
                measure=1.0 - worth,
                parameters=(("attempts", float(attempts)), ("budget_ratio", ratio)),
                not_enough_data=gate.reason,
            )
