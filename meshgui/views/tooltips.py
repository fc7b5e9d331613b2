"""The numbers behind the canvas's rounded ones, as text: tooltips (formatted only when somebody
hovers, never per tick) and the details dock's header lines (three significant figures).

Where retries hid failures from the callers, both shares are given: the calls that failed (what
the callers saw) and the tries that failed, retried ones included (what colours the edge)."""

from __future__ import annotations

import math
from typing import Any

from meshgui.clock_time import clock_time
from meshgui.model.health import tries_failed_percent
from meshgui.views.styles import exact_ms, format_bytes_per_s, health_name

NBSP = "\u00a0"
"""Joins a number to its unit, so a wrapping header never breaks inside a value."""
FIGURES = 3


def figures(value: float | None, digits: int = FIGURES) -> str:
    """`value` to `digits` significant figures, never in exponent notation: 47.6, 115, 1,235,
    0.520; "n/a" for None or NaN."""
    if value is None or math.isnan(value):
        return "n/a"
    if value == 0 or math.isinf(value):
        return "0" if value == 0 else str(value)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    rounded = round(value, decimals)
    if rounded and decimals:  # 9.996 rounds up to 10.00: one decimal fewer keeps 3 figures
        decimals = max(0, digits - 1 - math.floor(math.log10(abs(rounded))))
    return f"{rounded:,.{decimals}f}"


def ms_figures(value: float | None) -> str:
    """A duration to three figures: 48.7 ms, 1.23 s; "n/a" when there is none."""
    if value is not None and value >= 1000:
        return f"{figures(value / 1000)}{NBSP}s"
    text = figures(value)
    return text if text == "n/a" else f"{text}{NBSP}ms"


def pct_figures(value: float) -> str:
    return f"{figures(value)}%"


def failures_text(rps: float, error_pct: float, retries_per_s: float) -> str:
    """ "0.52% errors", or with retries "0% of calls failed · 9.12% of tries failed ·
    4.50 retries/s": the share the callers saw, then the one retries hid from them."""
    if retries_per_s <= 0:
        return f"{pct_figures(error_pct)}{NBSP}errors"
    tries = tries_failed_percent(rps, error_pct, retries_per_s)
    return (
        f"{pct_figures(error_pct)} of{NBSP}calls{NBSP}failed · "
        f"{pct_figures(tries)} of{NBSP}tries{NBSP}failed · "
        f"{figures(retries_per_s)}{NBSP}retries/s"
    )


def edge_tooltip(key: Any, stats: Any) -> str:
    unit = "connections/s" if key.protocol == "tcp" else "req/s"
    errors = f"errors {stats.error_pct:.3f}%"
    if key.protocol != "tcp" and stats.retries_per_s > 0:
        tries = tries_failed_percent(stats.rps, stats.error_pct, stats.retries_per_s)
        errors += f" of calls · {tries:.3f}% of tries failed (retried ones included)"
    return "\n".join(
        (
            f"{key.source} → {key.destination} ({key.protocol})",
            f"{stats.rps:.3f} {unit}",
            errors,
            f"p50 {exact_ms(stats.p50_ms)} · p90 {exact_ms(stats.p90_ms)} · "
            f"p99 {exact_ms(stats.p99_ms)}",
            f"in flight {stats.in_flight} · retries {stats.retries_per_s:.2f}/s · "
            f"{format_bytes_per_s(stats.bytes_per_s)}",
        )
    )


def node_tooltip(view: Any) -> str:
    lines = [f"{view.name} ({view.protocol}) — {health_name(view.health).lower()}"]
    if view.disconnected_since is not None:
        lines.append(f"disconnected since {clock_time(view.disconnected_since)}")
    lines.append(
        f"in: {view.rps_in:.3f} req/s, errors {view.error_pct:.3f}%, p99 {exact_ms(view.p99_ms)}"
    )
    for inst in view.instances:
        version = f" {inst.version}" if inst.version else ""
        lines.append(
            f"  {inst.name}{version}: {inst.state}, {inst.rps:.3f} req/s, "
            f"{inst.error_pct:.3f}% errors"
        )
    return "\n".join(lines)
