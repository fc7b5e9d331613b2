"""What happened in a sidecar, as events the admin API streams (WatchEvents) and logs record."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ConfigApplied:
    version: int
    by: str
    at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class EndpointEjected:
    service: str
    endpoint: str
    until_s: float
    at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class EndpointReadmitted:
    service: str
    endpoint: str
    at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class DrainChanged:
    target: str
    drained: bool
    at: float = field(default_factory=time.time)


MeshEvent = ConfigApplied | EndpointEjected | EndpointReadmitted | DrainChanged
