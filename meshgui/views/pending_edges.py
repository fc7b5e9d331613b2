"""Edges a reroute should bring, drawn dashed until the sidecars show traffic on them.

The view never paints a change as done: it is done when the model reports calls on the edge.
Until then an edge the model already has is drawn dashed, and one it does not have yet is a
ghost item between the two nodes. Ghosts live beside the real edges, not among them, so a
refresh does not mistake them for a change of topology.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from meshgui.model.types import EdgeStats, EdgeView, NodeHealth
from meshgui.views.edge_geometry import edge_offsets
from meshgui.views.edge_item import EdgeItem
from meshgui.views.node_item import NodeItem

NO_TRAFFIC = EdgeStats(
    rps=0.0,
    error_pct=0.0,
    p50_ms=None,
    p90_ms=None,
    p99_ms=None,
    in_flight=0,
    retries_per_s=0.0,
    bytes_per_s=0.0,
)


class PendingEdgesMixin:
    """For TopologyCanvas: needs `scene()`, `_nodes`, `_edges`, `_style`, `_layer`, `_overview`."""

    _nodes: dict[str, NodeItem]
    _edges: dict[Any, EdgeItem]
    _pending: set[Any]
    _ghosts: dict[Any, EdgeItem]

    def set_pending_edges(self, keys: Iterable[Any]) -> None:
        """Draw each EdgeKey in `keys` dashed until the view shows req/s > 0 on it (then it is
        drawn normally and forgotten); an empty call clears them all."""
        wanted = set(keys)
        for key in self._pending - wanted:
            self._unmark(key)
        self._pending = wanted
        self._sync_pending()

    def pending_edges(self) -> set[Any]:
        """The keys still waiting for traffic."""
        return set(self._pending)

    def _unmark(self, key: Any) -> None:
        self._drop_ghost(key)
        real = self._edges.get(key)
        if real is not None:
            real.set_pending(False)

    def _sync_pending(self) -> None:
        """After a refresh: pending edges with traffic become normal, ghosts become real."""
        for key in list(self._pending):
            real = self._edges.get(key)
            if real is None:
                self._ensure_ghost(key)
                continue
            self._drop_ghost(key)
            if real.edge.stats.rps > 0:
                real.set_pending(False)
                self._pending.discard(key)
            else:
                real.set_pending(True)

    def _ensure_ghost(self, key: Any) -> None:
        ghost = self._ghosts.get(key)
        source, target = self._nodes.get(key.source), self._nodes.get(key.destination)
        if ghost is not None and (ghost.source is source and ghost.target is target):
            return
        self._drop_ghost(key)
        if source is None or target is None:
            return  # drawn once both nodes are on the canvas
        offset = edge_offsets([*self._edges, key])[key]
        ghost = EdgeItem(
            EdgeView(key, NO_TRAFFIC, NodeHealth.IDLE),
            source,
            target,
            self._style,  # type: ignore[attr-defined]
            self._layer,  # type: ignore[attr-defined]
            offset,
        )
        ghost.set_pending(True)
        ghost.setFlag(ghost.GraphicsItemFlag.ItemHasNoContents, self._overview)  # type: ignore[attr-defined]
        ghost.setVisible(source.isVisible() and target.isVisible())
        ghost.sync_overview()
        self._ghosts[key] = ghost
        self.scene().addItem(ghost)  # type: ignore[attr-defined]

    def _drop_ghost(self, key: Any) -> None:
        ghost = self._ghosts.pop(key, None)
        if ghost is not None:
            ghost.detach()
            self.scene().removeItem(ghost)  # type: ignore[attr-defined]

    def _drop_all_ghosts(self) -> None:
        for key in list(self._ghosts):
            self._drop_ghost(key)
