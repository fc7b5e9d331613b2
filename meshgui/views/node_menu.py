"""A node's context menu on the canvas: move its traffic to another node, edit the routes to its
service, drain or undrain the service or one of the node's instances.

The menu only says what was asked for, through the callbacks it is given; the canvas turns them
into its signals and the change controller into previewed mesh edits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QMenu, QWidget

from meshgui.model.node_ids import split_node_id
from meshgui.views.node_text import DRAINED_STATES

MAX_FLAT_INSTANCES = 8
"""More instances than this go into a submenu of their own, so the menu fits on a screen."""

DrainCallback = Callable[[str, "str | None", bool], None]


def move_targets(node: str, nodes: Sequence[str]) -> tuple[list[str], list[str]]:
    """Where `node`'s traffic may go: its service's other versions first, then the rest."""
    service = split_node_id(node)[0]
    others = sorted(n for n in nodes if n not in (node, "unknown"))
    siblings = [n for n in others if split_node_id(n)[0] == service]
    return siblings, [n for n in others if n not in siblings]


def build_node_menu(
    view: Any,
    nodes: Sequence[str],
    service_instances: Sequence[Any],
    *,
    move_to: Callable[[str], None],
    edit_routes: Callable[[str], None],
    drain: DrainCallback,
    parent: QWidget | None = None,
) -> QMenu:
    """The menu for node `view` (a NodeView). `nodes`: every node on the canvas;
    `service_instances`: every instance of the node's service, in all its versions."""
    name, service = view.name, split_node_id(view.name)[0]
    menu = QMenu(parent)
    menu.setObjectName("nodeMenu")
    menu.setTitle(name)
    move_menu = menu.addMenu("&Move Traffic To")
    move_menu.setObjectName("moveTrafficMenu")
    siblings, rest = move_targets(name, nodes)
    for group in (siblings, rest):
        if group and not move_menu.isEmpty():
            move_menu.addSeparator()
        for target in group:
            move_menu.addAction(target).triggered.connect(lambda _=False, t=target: move_to(t))
    move_menu.setEnabled(not move_menu.isEmpty())
    menu.addAction("&Edit Routes…").triggered.connect(lambda: edit_routes(service))
    menu.addSeparator()
    states = [i.state for i in service_instances]
    drain_all = menu.addAction(f"&Drain {service}")
    drain_all.setEnabled(any(s not in DRAINED_STATES for s in states))
    drain_all.triggered.connect(lambda: drain(service, None, True))
    undrain_all = menu.addAction(f"&Undrain {service}")
    undrain_all.setEnabled(any(s in DRAINED_STATES for s in states))
    undrain_all.triggered.connect(lambda: drain(service, None, False))
    instances = list(view.instances)
    if instances:
        menu.addSeparator()
        holder = menu
        if len(instances) > MAX_FLAT_INSTANCES:
            holder = menu.addMenu("&Instances")
        for instance in instances:
            drained = instance.state in DRAINED_STATES
            text = f"{'Undrain' if drained else 'Drain'} {instance.name}"
            action = holder.addAction(text)
            action.triggered.connect(
                lambda _=False, i=instance.name, d=drained: drain(service, i, not d)
            )
    return menu
