"""What an operator asked for by dragging on the canvas (or through a node's menu), as plain
values the change controller turns into a mesh edit: the view never edits routes itself.

Qt-free on purpose, so the rules for which drops count are testable without a canvas.
"""

from __future__ import annotations

from dataclasses import dataclass

from meshgui.model.node_ids import split_node_id

UNKNOWN_NODE = "unknown"
"""Callers outside the mesh: there is no service to send traffic to, so never a drop target."""


@dataclass(frozen=True)
class RerouteGesture:
    """Move traffic that now goes to node `move_from` to node `move_to` (node ids, `node_ids`).

    `destination` is the service whose routes send that traffic (the edge's callee) when an
    edge's head was dragged; None when a node was dropped on a node, or "Move Traffic To" was
    chosen: then every route sending traffic to `move_from` is meant.
    """

    destination: str | None
    move_from: str
    move_to: str


def edge_drop_allowed(source: str, destination: str, target: str) -> bool:
    """Whether an edge source -> destination may have its head dropped on node `target`."""
    return target not in (source, destination, UNKNOWN_NODE)


def node_drop_allowed(dragged: str, target: str) -> bool:
    """Whether node `dragged` may be dropped on node `target` (its inbound traffic moves)."""
    return target not in (dragged, UNKNOWN_NODE) and dragged != UNKNOWN_NODE


def edge_head_gesture(destination: str, target: str) -> RerouteGesture:
    """The head of an edge into node `destination` was dropped on node `target`."""
    return RerouteGesture(split_node_id(destination)[0], destination, target)


def node_gesture(dragged: str, target: str) -> RerouteGesture:
    return RerouteGesture(None, dragged, target)
