"""The GUI benchmark's synthetic mesh: a layered service graph of a chosen size, shaped like a
microservice shop (see `mesh_shape`). `_gui_feed` makes it talk."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

BACK_EDGE_SHARE = 0.04
"""Calls against the flow (a callee calling back up): real meshes have a few, and they make the
layout's cycle removal do real work."""
TCP_SHARE = 0.05
"""Share of services that are databases, reached over TCP."""


@dataclass(frozen=True)
class MeshShape:
    """Services `svc-NNNN` (one instance, one sidecar each) and their calls."""

    services: tuple[str, ...]
    sources: np.ndarray
    destinations: np.ndarray
    tcp: np.ndarray
    """Per edge: reached over TCP (the callee is a database)."""

    @property
    def edge_count(self) -> int:
        return len(self.sources)

    def edge_pairs(self) -> list[tuple[str, str]]:
        names = self.services
        return [(names[s], names[d]) for s, d in zip(self.sources, self.destinations, strict=True)]


def mesh_shape(services: int, edges: int, seed: int = 1) -> MeshShape:
    """A layered graph like a microservice shop: front services calling deeper tiers, mostly
    the next one, some further down, a few calls back up (cycles); the deepest tier calls only
    the databases, over TCP. Every service past the front has at least one caller."""
    rng = np.random.default_rng(seed)
    databases = max(1, int(services * TCP_SHARE))
    apps = services - databases
    tiers = max(3, round(math.log2(apps) / 1.5))
    # Front tiers are narrower than the back ones, as with gateways in front of many backends.
    weights = np.linspace(1.0, 3.0, tiers)
    tier = np.sort(rng.choice(tiers, size=apps, p=weights / weights.sum()))
    tier[0] = 0
    tier = np.concatenate((tier, np.full(databases, tiers)))  # the databases: one tier more
    members = [np.flatnonzero(tier == t) for t in range(tiers + 1)]
    pairs: set[tuple[int, int]] = set()

    def pick(group: np.ndarray) -> int:
        return int(group[rng.integers(len(group))])

    for service in range(services):
        t = int(tier[service])
        if t > 0:
            pairs.add((pick(members[t - 1]), service))
    while len(pairs) < edges:
        source = int(rng.integers(apps))
        t = int(tier[source])
        if rng.random() < BACK_EDGE_SHARE and t > 0:
            target_tier = int(rng.integers(t))
        else:
            target_tier = min(tiers, t + int(rng.geometric(0.6)))
        destination = pick(members[target_tier])
        if destination != source:
            pairs.add((source, destination))
    ordered = sorted(pairs)
    sources = np.array([s for s, _ in ordered], dtype=np.int64)
    destinations = np.array([d for _, d in ordered], dtype=np.int64)
    names = tuple(f"svc-{i:04d}" for i in range(services))
    return MeshShape(names, sources, destinations, tier[destinations] == tiers)
