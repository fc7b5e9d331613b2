"""What an operator change is on its way through `ChangeController`: the request, and the
callables that ask the operator, build the change and predict its traffic."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from meshgui.model.mesh_change import MeshChange
from meshgui.model.traffic_forecast import TrafficForecast
from meshgui.model.types import TopologyView
from proxy.config import MeshConfig

Builder = Callable[[MeshConfig], MeshChange | None]
"""Builds the change on the config the sidecars run now; None when there is nothing to do."""
Ask = Callable[[MeshConfig, Callable[[Builder | None], None]], None]
"""Asks the operator what to do (a popover, the route editor); calls back with a builder, or
None when they cancelled. Runs once the live config is known."""
Preview = Callable[
    [MeshChange, MeshConfig], TrafficForecast | Mapping[str, tuple[float, float]] | None
]
"""The traffic the preview shows: a forecast, or req/s per node id (now, after)."""


@dataclass
class ChangeRequest:
    """One operator intent on its way to the sidecars."""

    title: str
    ask: Ask
    purpose: str = "change"  # "change" | "undo" | "redo" | "sync" | "retry" | "rollback"
    on_done: Callable[[bool], None] | None = None
    """Told whether the change reached every sidecar it was sent to (undo/redo bookkeeping)."""
    builder: Builder | None = None
    traffic: Callable[[], TopologyView | None] | None = None
    """The traffic on screen, which the preview warns and forecasts from; None: the
    controller's own (undo, redo, sync)."""
    predict: Preview | None = None
    """The preview's traffic table when it is not the plain forecast (a reroute shows both
    ends even when one does not change)."""
    after_applied: Callable[[MeshChange], None] | None = None
    versions: dict[str, int] = field(default_factory=dict)
    only: list[str] | None = None
    """The sidecars to send it to; None: every sidecar that gave its config."""


def no_ask(base: MeshConfig, answer: Callable[[Builder | None], None]) -> None:
    """For requests whose builder is known up front: there is nothing to ask."""
    answer(None)


def rebased(change: MeshChange, base: MeshConfig) -> MeshChange:
    """The same end state, made on top of what the sidecars run now."""
    after = change.after.model_copy(update={"version": base.version + 1})
    return dataclasses.replace(change, before=base, after=after)
