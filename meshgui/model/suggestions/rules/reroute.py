"""Reroute a failing destination to a healthy fallback the route already names at weight 0.

The demo's recommendations route is the model: recommendations at weight 100 and
recommendations-lite at 0, so moving traffic is one weight change. A weighted backend fails when
`reroute_error_rate` of the calls to its instances failed over the window and over its last
slice (it is not recovering by itself). A fallback is healthy when it has an endpoint that is
neither drained nor ejected by every sidecar, and the calls it did get (if any) mostly worked.
"""

from __future__ import annotations

from collections.abc import Iterator

from meshgui.model.suggestions.edits import MoveWeight, RouteRef
from meshgui.model.suggestions.format import confidence, percent
from meshgui.model.suggestions.rules.context import RuleContext
from meshgui.model.suggestions.traffic import TrafficStats
from meshgui.model.suggestions.types import Suggestion, node_ids
from meshgui.model.suggestions.window_table import WindowTable
from proxy.config import Backend, MeshConfig, RouteConfig

RULE = "reroute"
FALLBACK_TRAFFIC = 20
"""Calls a fallback must have had before its own error rate counts against it."""


def reroute_suggestions(ctx: RuleContext) -> Iterator[Suggestion]:
    for destination in ctx.mesh.routes:
        for ref, route in ctx.routes(destination):
            found = _judge(ctx, ref, route)
            if found is not None:
                yield found


def _judge(ctx: RuleContext, ref: RouteRef, route: RouteConfig) -> Suggestion | None:
    settings = ctx.settings
    idle = [i for i, backend in enumerate(route.backends) if backend.weight == 0]
    if not idle:
        return None
    failing: list[int] = []
    total: TrafficStats | None = None
    for i, backend in enumerate(route.backends):
        if backend.weight == 0:
            continue
        calls = backend_calls(ctx.window, ctx.mesh, backend)
        if calls.requests and calls.error_rate >= settings.reroute_error_rate:
            failing.append(i)
            total = calls if total is None else total + calls
    if total is None:
        return None
    fallback = next((i for i in idle if _healthy(ctx, route.backends[i])), None)
    if fallback is None:
        return None
    gate = ctx.gate(settings.reroute, total.requests, 0, total.span_s)
    if gate is None:
        return None
    latest = ctx.slices(3)[-1:] if ctx.slices(3) else []
    recent = sum(
        (backend_calls(table, ctx.mesh, route.backends[i]) for table in latest for i in failing),
        TrafficStats.empty(total.bounds),
    )
    if gate.reason is None and recent.requests and recent.error_rate < settings.reroute_error_rate:
        return None  # recovering by itself
    names = " and ".join(_label(route.backends[i]) for i in failing)
    target = route.backends[fallback]
    weight = sum(b.weight for b in route.backends)
    share = sum(route.backends[i].weight for i in failing) / weight
    fallback_calls = backend_calls(ctx.window, ctx.mesh, target)
    fallback_text = (
        f"it answered {fallback_calls.requests:,} calls with "
        f"{percent(fallback_calls.error_rate)} errors"
        if fallback_calls.requests
        else "it has had no traffic in the window"
    )
    recent_text = f" ({percent(recent.error_rate)} lately)" if recent.requests else ""
    return Suggestion(
        rule=RULE,
        target=ref.label,
        target_kind="route",
        title=f"Reroute {ref.label}: move {percent(share)} from {names} to {_label(target)}",
        evidence=(
            f"{names} failed {total.errors:,} of {total.requests:,} calls "
            f"({percent(total.error_rate)}) {ctx.over(total.span_s)}{recent_text}. "
            f"{_label(target)} is named in the route at weight 0, has endpoints neither drained "
            f"nor ejected, and {fallback_text}."
        ),
        expected_effect=(
            f"About {total.requests / max(total.span_s, 1.0):.2g} calls/s go to {_label(target)} "
            f"instead; failures on the route should drop to the fallback's rate. It has carried "
            "little or none of this load before: watch its latency after the move."
        ),
        confidence=confidence(gate.data_ratio, 0.8 * min(1.0, total.error_rate / 0.5 + 0.5)),
        edit=MoveWeight(
            ref, tuple(failing), fallback, tuple((b.service, b.subset) for b in route.backends)
        ),
        badge_ids=(*node_ids(ref.destination, None), *node_ids(target.service, None)),
        measure=total.error_rate,
        parameters=(("moved_share", share),),
        not_enough_data=gate.reason,
    )


def backend_calls(table: WindowTable, mesh: MeshConfig, backend: Backend) -> TrafficStats:
    """The callers' count of calls that reached the backend's instances (for a whole service,
    also those that reached none: no healthy endpoint)."""
    service = mesh.services[backend.service]
    names = {endpoint.name for endpoint in service.endpoints_in_subset(backend.subset)}
    return table.toward(backend.service, "source", names, unplaced=backend.subset is None)


def _healthy(ctx: RuleContext, backend: Backend) -> bool:
    service = ctx.mesh.services[backend.service]
    if service.drained:
        return False
    health = ctx.evidence.endpoints(backend.service)
    usable = [
        endpoint
        for endpoint in service.endpoints_in_subset(backend.subset)
        if not endpoint.drained
        and not (
            endpoint.name in health
            and (
                health[endpoint.name].drained
                or health[endpoint.name].ejected_by == health[endpoint.name].seen_by
            )
        )
    ]
    if not usable:
        return False
    calls = backend_calls(ctx.window, ctx.mesh, backend)
    return calls.requests < FALLBACK_TRAFFIC or calls.error_rate < ctx.settings.fallback_error_rate


def _label(backend: Backend) -> str:
    return f"{backend.service} {backend.subset}" if backend.subset else backend.service
