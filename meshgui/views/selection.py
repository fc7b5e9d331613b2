"""Selection on the topology canvas: what is selected is announced as an edge key or a node id
(a service, or "service@version"), and a node can be found by (part of) its name, selected and
centred."""

from __future__ import annotations

from typing import Any

from meshgui.model.node_ids import split_node_id
from meshgui.views.edge_item import EdgeItem
from meshgui.views.node_item import NodeItem


class SelectionMixin:
    """For TopologyCanvas: needs `scene()`, `centerOn()`, `_nodes`, `_edges` and the
    `edge_selected` / `node_selected` signals."""

    _nodes: dict[str, NodeItem]
    _edges: dict[Any, EdgeItem]
    edge_selected: Any
    node_selected: Any

    def _on_selection_changed(self) -> None:
        selected = self.scene().selectedItems()  # type: ignore[attr-defined]
        edge = next((i for i in selected if isinstance(i, EdgeItem)), None)
        node = next((i for i in selected if isinstance(i, NodeItem)), None)
        self.edge_selected.emit(edge.key if edge is not None else None)
        self.node_selected.emit(node.name if node is not None else None)

    def select_edge(self, key: Any) -> bool:
        item = self._edges.get(key)
        if item is None:
            return False
        self.scene().clearSelection()  # type: ignore[attr-defined]
        item.setSelected(True)
        return True

    def find_service(self, text: str) -> str | None:
        """Select and centre the node named `text`: exact (any case; a service's name finds
        its first version when versions are shown), else the first whose name starts with it,
        else the first containing it. Returns the node id found."""
        wanted = text.strip().lower()
        if not wanted:
            return None
        names = sorted(self._nodes)
        found = next((n for n in names if n.lower() == wanted), None)
        found = found or next((n for n in names if split_node_id(n.lower())[0] == wanted), None)
        found = found or next((n for n in names if n.lower().startswith(wanted)), None)
        found = found or next((n for n in names if wanted in n.lower()), None)
        if found is None:
            return None
        item = self._nodes[found]
        self.scene().clearSelection()  # type: ignore[attr-defined]
        item.setSelected(True)
        self.centerOn(item)  # type: ignore[attr-defined]
        return found
