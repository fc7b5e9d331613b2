"""Drain an instance that stands far from its siblings, for a sustained window.

Far, in errors: at least `drain_error_gap` above the siblings' pooled error rate, at least
`drain_error_ratio` times it, and `drain_z` standard errors away over the whole window. Far, in
latency: p90 at least `drain_latency_ratio` times the siblings' and `drain_latency_gap_ms` more.
Sustained: the same comparison (rates only) holds in every slice of the window that saw at least
`SLICE_TRIES` tries of the instance, and at least two slices did. Outlier detection ejects such
an instance for seconds at a time; a drain keeps it out until an operator brings it back.

Nothing is suggested when the drain would leave a weighted backend of the service's routes with
no endpoint to send to: that is a reroute, not a drain.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from meshgui.model.suggestions.edits import SetDrained
from meshgui.model.suggestions.format import confidence, duration_text, ms_text, percent
from meshgui.model.suggestions.rules.context import RuleContext
from meshgui.model.suggestions.settings import RuleSettings
from meshgui.model.suggestions.traffic import TrafficStats
from meshgui.model.suggestions.types import Suggestion, instance_target, node_ids
from proxy.config import MeshConfig

RULE = "drain"
SLICE_TRIES = 10


def drain_suggestions(ctx: RuleContext) -> Iterator[Suggestion]:
    for service_name, service in ctx.mesh.services.items():
        if service.protocol != "http" or service.drained or len(service.endpoints) < 2:
            continue
        health = ctx.evidence.endpoints(service_name)
        serving = [
            endpoint.name
            for endpoint in service.endpoints
            if not endpoint.drained
            and not (endpoint.name in health and health[endpoint.name].drained)
        ]
        tries = ctx.window.instances(service_name)
        for name in serving:
            found = _judge(ctx, service_name, name, serving, tries)
            if found is not None:
                yield found


def _judge(
    ctx: RuleContext,
    service: str,
    name: str,
    serving: list[str],
    tries: dict[str, TrafficStats],
) -> Suggestion | None:
    settings = ctx.settings
    mine = tries.get(name)
    siblings = [other for other in serving if other != name and other in tries]
    if mine is None or not mine.requests or not siblings:
        return None
    theirs = sum((tries[other] for other in siblings[1:]), tries[siblings[0]])
    kind = _deviation(mine, theirs, settings, whole_window=True)
    if kind is None or not _drain_leaves_targets(ctx.mesh, service, name):
        return None
    gate = ctx.gate(settings.drain, mine.requests, theirs.requests, mine.span_s)
    per_slice = _per_slice(ctx, service, name, siblings, kind)
    if gate is None or per_slice is None:
        return None
    reason = gate.reason
    data_ratio = gate.data_ratio
    if reason is None and len(per_slice) < 2:
        reason = "not enough data yet: the deviation must show in at least 2 slices of the window"
        data_ratio = min(data_ratio, 0.99)  # below the confidence of a ready suggestion
    if kind == "errors":
        gap = mine.error_rate - theirs.error_rate
        measure, signal = gap, min(1.0, gap / (2 * settings.drain_error_gap))
    else:
        measure = (mine.latency_ms(0.9) or 0.0) / max(theirs.latency_ms(0.9) or 0.0, 1e-9)
        signal = min(1.0, measure / (2 * settings.drain_latency_ratio))
    version = _version(ctx, service, name)
    headline, evidence = _describe(ctx, service, name, siblings, kind, mine, theirs, per_slice)
    rate = mine.requests / max(mine.span_s, 1.0)
    sibling_text = ", ".join(siblings)
    return Suggestion(
        rule=RULE,
        target=instance_target(service, name),
        target_kind="instance",
        title=f"Drain {name} ({_name_version(service, version)}): {headline} on {sibling_text}",
        evidence=evidence,
        expected_effect=(
            f"Its ~{rate:.2g} tries/s go to {sibling_text} ({len(siblings)} left serving); calls "
            f"to {service} should fail about as often as on the siblings, and the retries this "
            "instance causes stop. Undo, or undrain it, once it is fixed."
        ),
        confidence=confidence(data_ratio, signal),
        edit=SetDrained(service, name),
        badge_ids=node_ids(service, version),
        measure=measure,
        parameters=(("drained", 1.0),),
        not_enough_data=reason,
    )


def _per_slice(
    ctx: RuleContext, service: str, name: str, siblings: list[str], kind: str
) -> list[TrafficStats] | None:
    """The instance's tries in each slice that saw enough of them; None when one of those
    slices shows it like its siblings (the deviation is not sustained)."""
    found: list[TrafficStats] = []
    for table in ctx.slices(ctx.settings.drain_slices):
        tries = table.instances(service)
        mine = tries.get(name)
        theirs = [tries[other] for other in siblings if other in tries]
        if mine is None or mine.requests < SLICE_TRIES or not theirs:
            continue
        pooled = sum(theirs[1:], theirs[0])
        if _deviation(mine, pooled, ctx.settings, whole_window=False) != kind:
            return None
        found.append(mine)
    return found


def _describe(
    ctx: RuleContext,
    service: str,
    name: str,
    siblings: list[str],
    kind: str,
    mine: TrafficStats,
    theirs: TrafficStats,
    per_slice: list[TrafficStats],
) -> tuple[str, str]:
    """(headline, evidence) in numbers."""
    if kind == "errors":
        headline = f"{percent(mine.error_rate)} errors vs {percent(theirs.error_rate)}"
        numbers = (
            f"{name} failed {mine.errors:,} of {mine.requests:,} tries "
            f"({percent(mine.error_rate)}) {ctx.over(mine.span_s)}"
        )
        slices_text = ", ".join(percent(s.error_rate) for s in per_slice)
        theirs_text = f"{percent(theirs.error_rate)} of {theirs.requests:,}"
    else:
        mine_p90, theirs_p90 = mine.latency_ms(0.9), theirs.latency_ms(0.9)
        headline = f"p90 {ms_text(mine_p90)} vs {ms_text(theirs_p90)}"
        numbers = (
            f"{name} answered {mine.requests:,} tries at p90 {ms_text(mine_p90)} "
            f"{ctx.over(mine.span_s)}"
        )
        slices_text = ", ".join(ms_text(s.latency_ms(0.9)) for s in per_slice)
        theirs_text = f"p90 {ms_text(theirs_p90)} over {theirs.requests:,}"
    if not _own_sidecar_reported(ctx, service, name):
        numbers += " (counted by its callers' sidecars: its own reported nothing)"
    tables = ctx.slices(ctx.settings.drain_slices)
    slice_len = duration_text(tables[0].end - tables[0].start) if tables else "n/a"
    evidence = (
        f"{numbers}; per {slice_len} slice: {slices_text or 'n/a'}. "
        f"Its siblings ({', '.join(siblings)}): {theirs_text}."
    )
    health = ctx.evidence.endpoints(service).get(name)
    if health is not None and health.ejection_count:
        evidence += (
            f" Outlier detection has ejected it {health.ejection_count} time"
            f"{'s' if health.ejection_count != 1 else ''} and let it back each time (ejected "
            f"right now by {health.ejected_by} of the {health.seen_by} sidecars listing it)."
        )
    return headline, evidence


def _deviation(
    mine: TrafficStats, theirs: TrafficStats, settings: RuleSettings, *, whole_window: bool
) -> str | None:
    """'errors', 'latency' or None: how `mine` stands far from `theirs`."""
    mine_rate, theirs_rate = mine.error_rate, theirs.error_rate
    if (
        theirs.requests
        and mine_rate >= theirs_rate + settings.drain_error_gap
        and mine_rate >= settings.drain_error_ratio * theirs_rate
        and (not whole_window or _z(mine, theirs) >= settings.drain_z)
    ):
        return "errors"
    mine_p90, theirs_p90 = mine.latency_ms(0.9), theirs.latency_ms(0.9)
    if (
        mine_p90 is not None
        and theirs_p90 is not None
        and mine_p90 >= settings.drain_latency_ratio * theirs_p90
        and mine_p90 - theirs_p90 >= settings.drain_latency_gap_ms
    ):
        return "latency"
    return None


def _z(mine: TrafficStats, theirs: TrafficStats) -> float:
    """Two-proportion z statistic of the error rates (pooled standard error)."""
    n1, n2 = mine.requests, theirs.requests
    pooled = (mine.errors + theirs.errors) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    gap = mine.error_rate - theirs.error_rate
    if spread == 0:
        return math.inf if gap > 0 else 0.0
    return gap / spread


def _drain_leaves_targets(mesh: MeshConfig, service: str, name: str) -> bool:
    for routes in mesh.routes.values():
        for route in routes:
            for backend in route.backends:
                if backend.service != service or backend.weight == 0:
                    continue
                selected = mesh.services[service].endpoints_in_subset(backend.subset)
                if not any(e.name != name and not e.drained for e in selected):
                    return False
    return True


def _version(ctx: RuleContext, service: str, name: str) -> str | None:
    for endpoint in ctx.mesh.services[service].endpoints:
        if endpoint.name == name:
            return endpoint.version
    return None


def _own_sidecar_reported(ctx: RuleContext, service: str, name: str) -> bool:
    return any(
        key.reporter == "destination" and key.destination_instance == name
        for key in ctx.window.select(service, lambda key: True)
    )


def _name_version(service: str, version: str | None) -> str:
    return f"{service} {version}" if version else service
