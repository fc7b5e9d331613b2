"""What the sidecars say about nodes and instances right now (not counters): who is there,
who went away and when, which instances are ejected or drained.

A node is a service, or one version of it when versions are shown as nodes; a sidecar belongs
to the node of its own instance (`NodeMap`), so a version whose sidecars all went away is grey
while the other versions of its service are not."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from meshgui.model.sidecar_series import BoolArray, SidecarSeries
from meshgui.model.topology_index import NodeMap


@dataclass(slots=True)
class SidecarOfInstance:
    """The sidecar(s) running beside one instance, merged."""

    connected: bool
    draining: bool
    address: str | None
    version: str | None


@dataclass(slots=True)
class SidecarFacts:
    disconnected_nodes: BoolArray
    """Per node id: it has sidecars and none of them is connected."""
    disconnected_since: dict[int, float | None]
    """Node id -> when its last sidecar went away, for the disconnected ones."""
    nodes_with_sidecars: set[int]
    own_sidecar: dict[int, SidecarOfInstance]
    """Instance id -> its own sidecar, for instances whose sidecar is in the profile."""
    ejected: set[int] = field(default_factory=set)
    """Instance ids some reporting sidecar has ejected."""
    drained_pending: dict[int, int] = field(default_factory=dict)
    """Drained instance id -> requests still pending there, summed over reporting sidecars."""


def sidecar_facts(
    sidecars: Iterable[SidecarSeries],
    reporting: Sequence[SidecarSeries],
    nodes: NodeMap,
    node_count: int,
) -> SidecarFacts:
    """`sidecars`: every known one; `reporting`: those connected and heard from in the window;
    `nodes`: which node each instance is shown in."""
    has_sidecar = np.zeros(node_count, dtype=np.bool_)
    has_connected = np.zeros(node_count, dtype=np.bool_)
    went_away: dict[int, float | None] = {}
    own: dict[int, SidecarOfInstance] = {}
    of_instance, of_service = nodes.of_instance.tolist(), nodes.of_service.tolist()
    for sidecar in sidecars:
        if sidecar.service_id < 0:
            continue
        identity = sidecar.identity
        node = of_instance[identity] if identity >= 0 else of_service[sidecar.service_id]
        has_sidecar[node] = True
        if sidecar.connected:
            has_connected[node] = True
        elif sidecar.disconnected_at is not None:
            previous = went_away.get(node)
            went_away[node] = max(previous or sidecar.disconnected_at, sidecar.disconnected_at)
        else:
            went_away.setdefault(node, None)
        if sidecar.identity >= 0:
            mine = own.get(sidecar.identity)
            if mine is None:
                own[sidecar.identity] = SidecarOfInstance(
                    sidecar.connected, sidecar.draining, sidecar.address, sidecar.version
                )
            else:
                mine.connected = mine.connected or sidecar.connected
                mine.draining = mine.draining and sidecar.draining
    disconnected = has_sidecar & ~has_connected
    facts = SidecarFacts(
        disconnected_nodes=disconnected,
        disconnected_since={n: t for n, t in went_away.items() if disconnected[n]},
        nodes_with_sidecars={int(n) for n in np.flatnonzero(has_sidecar)},
        own_sidecar=own,
    )
    for sidecar in reporting:
        facts.ejected.update(sidecar.ejected)
        for instance, pending in sidecar.drained.items():
            facts.drained_pending[instance] = facts.drained_pending.get(instance, 0) + pending
    return facts
