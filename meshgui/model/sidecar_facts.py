"""What the sidecars say about services and instances right now (not counters): who is there,
who went away and when, which instances are ejected or drained."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from meshgui.model.sidecar_series import BoolArray, SidecarSeries


@dataclass(slots=True)
class SidecarOfInstance:
    """The sidecar(s) running beside one instance, merged."""

    connected: bool
    draining: bool
    address: str | None
    version: str | None


@dataclass(slots=True)
class SidecarFacts:
    disconnected_services: BoolArray
    """Per service id: it has sidecars and none of them is connected."""
    disconnected_since: dict[int, float | None]
    """Service id -> when its last sidecar went away, for the disconnected ones."""
    services_with_sidecars: set[int]
    own_sidecar: dict[int, SidecarOfInstance]
    """Instance id -> its own sidecar, for instances whose sidecar is in the profile."""
    ejected: set[int] = field(default_factory=set)
    """Instance ids some reporting sidecar has ejected."""
    drained_pending: dict[int, int] = field(default_factory=dict)
    """Drained instance id -> requests still pending there, summed over reporting sidecars."""


def sidecar_facts(
    sidecars: Iterable[SidecarSeries], reporting: Sequence[SidecarSeries], services: int
) -> SidecarFacts:
    """`sidecars`: every known one; `reporting`: those connected and heard from in the window."""
    has_sidecar = np.zeros(services, dtype=np.bool_)
    has_connected = np.zeros(services, dtype=np.bool_)
    went_away: dict[int, float | None] = {}
    own: dict[int, SidecarOfInstance] = {}
    for sidecar in sidecars:
        service = sidecar.service_id
        if service < 0:
            continue
        has_sidecar[service] = True
        if sidecar.connected:
            has_connected[service] = True
        elif sidecar.disconnected_at is not None:
            previous = went_away.get(service)
            went_away[service] = max(previous or sidecar.disconnected_at, sidecar.disconnected_at)
        else:
            went_away.setdefault(service, None)
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
        disconnected_services=disconnected,
        disconnected_since={s: t for s, t in went_away.items() if disconnected[s]},
        services_with_sidecars={int(s) for s in np.flatnonzero(has_sidecar)},
        own_sidecar=own,
    )
    for sidecar in reporting:
        facts.ejected.update(sidecar.ejected)
        for instance, pending in sidecar.drained.items():
            facts.drained_pending[instance] = facts.drained_pending.get(instance, 0) + pending
    return facts
