"""What a node's box says: its name (and version), and a second line of size and traffic in
several wordings, longest first, so the box can take the first that fits."""

from __future__ import annotations

from typing import Any

from meshgui.clock_time import clock_time
from meshgui.model.node_ids import split_node_id
from meshgui.views.styles import format_bytes_per_s, format_rate, health_name

DRAINED_STATES = ("drained", "draining")


def node_detail(view: Any) -> str:
    """The second line of a node: why it is grey, or its size and traffic."""
    return node_details(view)[0]


def node_details(view: Any) -> list[str]:
    """The second line in words, then shorter ways to say it: the box takes the first that fits.

    Instances not serving are counted by state ("2 instances (1 drained, 1 down)"); a service
    with no sidecar of its own (a caller outside the mesh) shows the calls it makes; a TCP
    service whose pooled connections open none shows its bytes."""
    if health_name(view.health) == "DISCONNECTED" and view.disconnected_since is not None:
        return [f"disconnected since {clock_time(view.disconnected_since)}"]
    count = len(view.instances)
    rate = _traffic(view)
    if count == 0:
        return [f"no sidecar · {rate}", rate]
    noun = "instance" if count == 1 else "instances"
    states = [i.state for i in view.instances]
    drained = sum(1 for state in states if state in DRAINED_STATES)
    if health_name(view.health) == "DRAINED":
        drained = 0  # the hatching says it
    out = [
        (drained, "drained"),
        (states.count("disconnected"), "down"),
        (states.count("ejected"), "ejected"),
    ]
    notes = ", ".join(f"{n} {word}" for n, word in out if n)
    if not notes:
        return [f"{count} {noun} · {rate}"]
    ready = count - sum(n for n, _ in out)
    return [
        f"{count} {noun} ({notes}) · {rate}",
        f"{count} inst ({notes}) · {rate}",
        f"{ready}/{count} ready · {rate}",
    ]


def _traffic(view: Any) -> str:
    if view.rps_in <= 0.0 and not view.instances and view.rps_out > 0.0:
        return f"{format_rate(view.rps_out)} req/s out"
    if view.protocol == "tcp":
        if view.rps_in < 0.05 and view.bytes_in_per_s > 0.0:
            return format_bytes_per_s(view.bytes_in_per_s)
        return f"{format_rate(view.rps_in)} conn/s"
    return f"{format_rate(view.rps_in)} req/s"


def node_label(node: str) -> tuple[str, str | None]:
    """What a node's box says: its service, and under it the version when it is one."""
    return split_node_id(node)
