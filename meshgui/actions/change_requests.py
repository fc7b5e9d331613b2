"""The operator's intents as change requests: reroute, drain, edit routes, replace the whole
config, apply a suggestion, undo and redo. Each says how to ask (a popover, the route editor,
nothing) and how to build the change on the config the sidecars run at that moment, so a
"reload and reapply" after a conflict rebuilds the same intent on the newer config. The
controller warns about the traffic a change would lose and forecasts the rest from the view
a request names (`ChangeRequest.traffic`), for every request alike."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from meshgui.actions.change_traffic import forecast, rate_table
from meshgui.actions.change_types import Builder, ChangeRequest
from meshgui.model.mesh_change import MeshChange
from meshgui.model.mesh_edits import inverse, mesh_diff, move_inbound, reroute, set_drained
from meshgui.model.node_ids import split_node_id
from meshgui.model.types import EdgeKey, TopologyView
from proxy.config import MeshConfig

ViewSource = Callable[[], TopologyView | None]


def versioned(mesh: MeshConfig, base: MeshConfig) -> MeshConfig:
    """`mesh` validated by the sidecars' schema, numbered as the next version after `base`."""
    data = mesh.model_dump()
    data["version"] = base.version + 1
    return MeshConfig.model_validate(data)


def callers_of(view: TopologyView | None, node: str) -> list[EdgeKey]:
    return [] if view is None else [key for key in view.edges if key.destination == node]


def reroute_request(
    gesture: Any,
    view: ViewSource,
    ask_share: Callable[
        [
            str,
            str,
            Callable[[float], Mapping[str, tuple[float, float]]],
            str,
            Callable[[float | None], None],
        ],
        None,
    ],
    mark_pending: Callable[[Iterable[EdgeKey]], None],
) -> ChangeRequest:
    """Move a share of the traffic into `gesture.move_from` to `gesture.move_to`."""
    move_from, move_to = gesture.move_from, gesture.move_to
    destination = gesture.destination

    def build(base: MeshConfig, share: float) -> MeshChange:
        if destination is None:
            return move_inbound(base, move_from, move_to, share)
        return reroute(base, destination, move_from, move_to, share)

    def ask(base: MeshConfig, answer: Callable[[Builder | None], None]) -> None:
        callers = sorted({key.source for key in callers_of(view(), move_from)})
        note = ""
        if len(callers) > 1:
            note = f"Routes are per destination: this moves the traffic of {', '.join(callers)}."

        def chosen(share: float | None) -> None:
            answer(None if share is None else (lambda fresh: build(fresh, share)))

        ends = (move_from, move_to)
        ask_share(
            move_from, move_to, lambda s: rate_table(build(base, s), view(), ends), note, chosen
        )

    def pending(_change: MeshChange) -> None:
        keys = callers_of(view(), move_from)
        mark_pending(EdgeKey(key.source, move_to, key.protocol) for key in keys)

    return ChangeRequest(
        f"Move traffic from {move_from} to {move_to}",
        ask,
        traffic=view,
        predict=lambda change, _base: forecast(change, view(), (move_from, move_to)),
        after_applied=pending,
    )


def drain_request(
    service: str, instance: str | None, drained: bool, view: ViewSource
) -> ChangeRequest:
    target = instance or service
    verb = "Drain" if drained else "Undrain"
    return ChangeRequest(
        f"{verb} {target}",
        immediately(lambda base: set_drained(base, service, instance, drained)),
        traffic=view,
    )


def immediately(builder: Builder) -> Callable[[MeshConfig, Callable[[Builder | None], None]], None]:
    """An intent that needs no question: build as soon as the config is known."""
    return lambda _base, answer: answer(builder)


def edit_routes_request(service: str, window: QWidget | None, view: ViewSource) -> ChangeRequest:
    from meshgui.views.route_editor import RouteEditorDialog

    def ask(base: MeshConfig, answer: Callable[[Builder | None], None]) -> None:
        dialog = RouteEditorDialog(base, service, window)

        def done(result: int) -> None:
            edited = dialog.change() if result == QDialog.DialogCode.Accepted else None
            dialog.deleteLater()
            answer(
                None if edited is None else (lambda fresh: carry_service(edited, service, fresh))
            )

        dialog.finished.connect(done)
        dialog.open()

    return ChangeRequest(
        f"Edit the routes of {service}",
        ask,
        traffic=view,
    )


def carry_service(edited: MeshChange, service: str, base: MeshConfig) -> MeshChange:
    """The routes and policies `edited` gave `service`, on top of `base` (which may be newer
    than the config the editor was opened on)."""
    routes = dict(base.routes)
    if service in edited.after.routes:
        routes[service] = edited.after.routes[service]
    else:
        routes.pop(service, None)
    services = dict(base.services)
    edited_service = edited.after.services[service]
    services[service] = services[service].model_copy(
        update={
            "outlier_detection": edited_service.outlier_detection,
            "circuit_breaker": edited_service.circuit_breaker,
        }
    )
    after = base.model_copy(update={"routes": routes, "services": services})
    return dataclasses.replace(edited, before=base, after=versioned(after, base))


def replace_mesh_request(mesh: MeshConfig, path: Path, view: ViewSource) -> ChangeRequest:
    summary = f"Replace the mesh config with {path.name}"
    return ChangeRequest(
        summary,
        immediately(lambda base: MeshChange(summary, base, versioned(mesh, base))),
        traffic=view,
    )


def suggestion_request(suggestion: Any, view: ViewSource) -> ChangeRequest:
    def build(base: MeshConfig) -> MeshChange:
        after = versioned(suggestion.apply(base), base)
        return MeshChange(suggestion.title, base, after)

    return ChangeRequest(suggestion.title, immediately(build), traffic=view)


def undo_request(change: MeshChange, on_done: Callable[[bool], None]) -> ChangeRequest:
    def build(base: MeshConfig) -> MeshChange:
        return inverse(change, base)  # warns itself when the mesh changed since

    return ChangeRequest(
        f"Undo: {change.summary}", immediately(build), purpose="undo", on_done=on_done
    )


def redo_request(change: MeshChange, on_done: Callable[[bool], None]) -> ChangeRequest:
    def build(base: MeshConfig) -> MeshChange:
        redone = MeshChange(f"Redo: {change.summary}", base, versioned(change.after, base))
        return dataclasses.replace(redone, warnings=_drift_redo(change, base))

    return ChangeRequest(
        f"Redo: {change.summary}", immediately(build), purpose="redo", on_done=on_done
    )


def _drift_redo(change: MeshChange, base: MeshConfig) -> tuple[str, ...]:
    if not mesh_diff(change.before, base):
        return ()
    return (
        f"The mesh changed after this change was undone (it is version {base.version} now): "
        "redoing replaces the whole config with the one this change made.",
    )


def split_for_display(node: str) -> str:
    service, version = split_node_id(node)
    return service if version is None else f"{service} {version}"
