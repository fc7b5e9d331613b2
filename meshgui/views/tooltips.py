"""Tooltip texts for the canvas: the exact numbers behind a node's or an edge's rounded ones.
Formatted only when somebody hovers, never per tick."""

from __future__ import annotations

from typing import Any

from meshgui.views.styles import clock_time, exact_ms, format_bytes_per_s, health_name


def edge_tooltip(key: Any, stats: Any) -> str:
    unit = "connections/s" if key.protocol == "tcp" else "req/s"
    return "\n".join(
        (
            f"{key.source} → {key.destination} ({key.protocol})",
            f"{stats.rps:.3f} {unit}",
            f"errors {stats.error_pct:.3f}%",
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
