"""Route timeouts sized from the latency the destination actually has, with a stated margin.

Too long: the route's deadline is at least `timeout_far_above` times p99.9 x margin of the calls
as the callers' sidecars timed them (end to end, retries included — what the deadline bounds).
Too short: the deadline fires on at least `timeout_firing_rate` of the calls while the other
failures stay below `healthy_error_rate`: healthy traffic cut short. The callers' times are then
censored at the deadline, so the proposal uses the destination's own per-try p99.9 and at least
doubles the deadline.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from meshgui.model.suggestions.edits import RouteRef, SetTimeouts
from meshgui.model.suggestions.format import confidence, ms_text, nice_up, percent, setting_text
from meshgui.model.suggestions.rules.context import RuleContext
from meshgui.model.suggestions.traffic import TrafficStats
from meshgui.model.suggestions.types import Suggestion, node_ids
from proxy.config import RouteConfig

RULE = "timeout"


def timeout_suggestions(ctx: RuleContext) -> Iterator[Suggestion]:
    for destination, service in ctx.mesh.services.items():
        if service.protocol != "http":
            continue
        calls = ctx.window.toward(destination, "source")
        if not calls.requests:
            continue
        own = ctx.window.toward(destination, "destination")
        for ref, route in ctx.routes(destination):
            if route.timeout is None:
                continue
            found = _too_short(ctx, ref, route, calls, own) or _too_long(ctx, ref, route, calls)
            if found is not None:
                yield found


def _too_short(
    ctx: RuleContext, ref: RouteRef, route: RouteConfig, calls: TrafficStats, own: TrafficStats
) -> Suggestion | None:
    settings = ctx.settings
    assert route.timeout is not None
    other_failures = (calls.errors - calls.timeouts) / calls.requests
    if (
        not calls.timeouts
        or calls.timeout_rate < settings.timeout_firing_rate
        or other_failures >= settings.healthy_error_rate
    ):
        return None
    gate = ctx.gate(settings.timeout_low, calls.requests, calls.timeouts, calls.span_s)
    if gate is None:
        return None
    margin = settings.timeout_margin
    per_try_p999 = own.latency_ms(0.999) if own.latency_count else None
    needed_ms = (per_try_p999 or 0.0) * margin
    timeout_ms = nice_up(max(2 * route.timeout * 1000, needed_ms))
    per_try_s = None
    current_per_try = route.retry.per_try_timeout if route.retry is not None else None
    if current_per_try is not None and current_per_try * 1000 < needed_ms:
        per_try_s = min(nice_up(needed_ms), timeout_ms) / 1000
    own_text = (
        f"{ref.destination}'s own sidecars timed one try at p99.9 {ms_text(per_try_p999)}"
        if per_try_p999 is not None
        else f"{ref.destination}'s own sidecars reported no times"
    )
    per_try_text = (
        f" and the per-try timeout {setting_text(current_per_try)} → {setting_text(per_try_s)}"
        if per_try_s is not None
        else ""
    )
    return Suggestion(
        rule=RULE,
        target=ref.label,
        target_kind="route",
        title=(
            f"Timeout of {ref.label} too short: {setting_text(route.timeout)} → "
            f"{setting_text(timeout_ms / 1000)}{per_try_text}"
        ),
        evidence=(
            f"{calls.timeouts:,} of {calls.requests:,} calls to {ref.destination} "
            f"({percent(calls.timeout_rate)}) hit the {setting_text(route.timeout)} deadline "
            f"{ctx.over(calls.span_s)}, while other failures were {percent(other_failures)}: "
            f"healthy traffic cut short. {own_text}."
        ),
        expected_effect=(
            f"About {calls.timeouts / max(calls.span_s, 1.0):.2g} calls/s that now fail with "
            f"504 at {setting_text(route.timeout)} get until {setting_text(timeout_ms / 1000)} "
            f"(at least double; p99.9 x {margin:g} margin where known); a call that is truly "
            f"stuck holds its caller up to {setting_text(timeout_ms / 1000)}."
        ),
        # The callers' times stop at the deadline, so the size of the fix is a guess.
        confidence=confidence(gate.data_ratio, 0.6),
        edit=SetTimeouts(ref, timeout_ms / 1000, per_try_s),
        badge_ids=node_ids(ref.destination, None),
        measure=calls.timeout_rate,
        parameters=(("timeout_ms", timeout_ms),),
        not_enough_data=gate.reason,
    )


def _too_long(
    ctx: RuleContext, ref: RouteRef, route: RouteConfig, calls: TrafficStats
) -> Suggestion | None:
    settings = ctx.settings
    assert route.timeout is not None
    if calls.timeout_rate >= settings.timeout_firing_rate:
        return None
    p999 = calls.latency_ms(0.999)
    if p999 is None:
        return None
    margin = settings.timeout_margin
    proposed_ms = max(nice_up(p999 * margin), settings.timeout_floor_s * 1000)
    current_ms = route.timeout * 1000
    ratio = current_ms / proposed_ms
    if ratio < settings.timeout_far_above or proposed_ms >= 30_000:
        return None
    gate = ctx.gate(settings.timeout_high, calls.requests, 0, calls.span_s)
    if gate is None:
        return None
    current_per_try = route.retry.per_try_timeout if route.retry is not None else None
    clamped = current_per_try is not None and current_per_try * 1000 > proposed_ms
    per_try_text = " (and the per-try timeout with it)" if clamped else ""
    signal = 0.9 * min(1.0, 0.6 + 0.1 * math.log2(ratio / settings.timeout_far_above))
    return Suggestion(
        rule=RULE,
        target=ref.label,
        target_kind="route",
        title=(
            f"Timeout of {ref.label} far above need: {setting_text(route.timeout)} → "
            f"{setting_text(proposed_ms / 1000)}{per_try_text}"
        ),
        evidence=(
            f"{calls.requests:,} calls to {ref.destination} {ctx.over(calls.span_s)} took "
            f"p99 {ms_text(calls.latency_ms(0.99))}, p99.9 {ms_text(p999)} end to end, retries "
            f"included; the route waits up to {setting_text(route.timeout)}, "
            f"{current_ms / p999:.0f}x the p99.9."
        ),
        expected_effect=(
            f"A hung call is cut after {setting_text(proposed_ms / 1000)} instead of "
            f"{setting_text(route.timeout)}, freeing its caller and connection sooner; 99.9% of "
            f"the calls seen finished within {ms_text(p999)}, so the new deadline keeps a "
            f"x{margin:g} margin (rounded up)."
        ),
        confidence=confidence(gate.data_ratio, signal),
        edit=SetTimeouts(ref, proposed_ms / 1000),
        badge_ids=node_ids(ref.destination, None),
        measure=ratio,
        parameters=(("timeout_ms", proposed_ms),),
        not_enough_data=gate.reason,
    )
