"""A suggestion: what to change in the mesh config, why (numbers and window), what it should do,
how sure the rule is, and the pure edit that makes the change.

Targets are strings the rest of the app already uses: a canvas node (``inventory`` or
``inventory@v1``), an edge (``web->inventory``), a route (``inventory/default``; an unnamed
route is ``inventory/#0`` by its position), or an instance (``inventory:inventory-1``; endpoint
names are unique mesh-wide).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from meshgui.model.node_ids import node_id
from proxy.config import MeshConfig

TargetKind = Literal["node", "edge", "route", "instance"]


class MeshEdit(Protocol):
    """A pure edit of the mesh config; `apply` raises `StaleSuggestionError` when the config
    no longer has what the edit was made for."""

    def apply(self, mesh: MeshConfig) -> MeshConfig: ...


class StaleSuggestionError(ValueError):
    """The mesh config changed since the suggestion was made; it must be evaluated again."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One proposed change. `id` is stable per (rule, target), across evaluations."""

    rule: str
    target: str
    target_kind: TargetKind
    title: str
    evidence: str
    """The numbers the rule saw, and over which window."""
    expected_effect: str
    confidence: float
    """0..1: how much data stands behind it and how clear the signal is."""
    edit: MeshEdit
    badge_ids: tuple[str, ...]
    """Canvas ids (nodes, with and without version, or edges) to mark; absent ones are skipped."""
    measure: float
    """The rule's headline figure (bigger is worse): dismissals compare it."""
    parameters: tuple[tuple[str, float], ...]
    """The proposed values, e.g. (("backoff_base_ms", 10.0), ...): dismissals compare them."""
    not_enough_data: str | None = None
    """Why the suggestion cannot be made yet (what is needed, what there is); None when ready."""

    @property
    def id(self) -> str:
        return f"{self.rule}:{self.target}"

    @property
    def ready(self) -> bool:
        """Backed by enough data to apply."""
        return self.not_enough_data is None

    def apply(self, mesh: MeshConfig) -> MeshConfig:
        """`mesh` with the change made (the version is left alone: the change pipeline stamps
        it). Raises StaleSuggestionError when `mesh` no longer fits the suggestion."""
        return self.edit.apply(mesh)


def route_target(destination: str, name: str | None, index: int) -> str:
    return f"{destination}/{name}" if name else f"{destination}/#{index}"


def instance_target(service: str, instance: str) -> str:
    return f"{service}:{instance}"


def node_ids(service: str, version: str | None) -> tuple[str, ...]:
    """The service's canvas node, and its version's node when it has a version."""
    return (service, node_id(service, version)) if version else (service,)
