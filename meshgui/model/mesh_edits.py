"""The operator's edits of the mesh config as pure functions: config in, `MeshChange` out.

Each edit works on the config the sidecars run now and returns the change to preview and apply;
the result is validated by the sidecar's own schema, so an edit that would break the mesh raises
(`ConfigError`, or `MeshEditError` with a sentence for the operator) instead of reaching a
sidecar. Nothing here does I/O, so every edit is tested with plain configs.
"""

from __future__ import annotations

from collections.abc import Sequence

from meshgui.model.drain_warnings import (
    left_without_targets,
    removal_warnings,
    routes_left_without_targets,
    versions_left_out,
)
from meshgui.model.mesh_change import (
    MeshChange,
    MeshEditError,
    make_change,
    mesh_diff,
    same_content,
)
from meshgui.model.node_ids import split_node_id
from meshgui.model.route_weights import move_in_route, sends_to
from meshgui.model.traffic_prediction import predicted_rates
from proxy.config import (
    CircuitBreaker,
    MeshConfig,
    OutlierDetection,
    RouteConfig,
    ServiceConfig,
)


def reroute(
    mesh: MeshConfig, destination: str, move_from: str, move_to: str, share: float
) -> MeshChange:
    """Send `share` (0 < share <= 1) of the traffic that `destination`'s routes send to node
    `move_from` to node `move_to` instead; see `meshgui.model.route_weights` for how."""
    _check_move(mesh, move_from, move_to, share)
    _http_service(mesh, destination)
    services, routes = dict(mesh.services), dict(mesh.routes)
    if not _move_for(mesh, services, routes, destination, move_from, move_to, share):
        raise MeshEditError(f"no route of {destination} sends traffic to {move_from}")
    summary = (
        f"Move {_percent(share)} of the traffic for {destination} from {move_from} to {move_to}"
    )
    return _edit(mesh, services, routes, summary, "reroute")


def move_inbound(mesh: MeshConfig, move_from: str, move_to: str, share: float) -> MeshChange:
    """`reroute` for every destination whose routes send traffic to `move_from`."""
    _check_move(mesh, move_from, move_to, share)
    services, routes = dict(mesh.services), dict(mesh.routes)
    moved = [
        destination
        for destination in mesh.services
        if _move_for(mesh, services, routes, destination, move_from, move_to, share)
    ]
    if not moved:
        raise MeshEditError(f"no route sends traffic to {move_from}")
    summary = (
        f"Move {_percent(share)} of the traffic to {move_from} over to {move_to} "
        f"(routes of {', '.join(moved)})"
    )
    return _edit(mesh, services, routes, summary, "reroute")


def set_drained(mesh: MeshConfig, service: str, instance: str | None, drained: bool) -> MeshChange:
    """Drain (or undrain) one instance of `service`, or the whole service when `instance` is
    None. Warns when that leaves a route with nothing to send to."""
    config = _service(mesh, service)
    verb = "Drain" if drained else "Undrain"
    if instance is None:
        if config.drained == drained:
            raise MeshEditError(f"{service} is already {'drained' if drained else 'in service'}")
        updated = config.model_copy(update={"drained": drained})
        summary = f"{verb} every instance of {service}"
    else:
        names = [endpoint.name for endpoint in config.endpoints]
        if instance not in names:
            raise MeshEditError(f"{service} has no instance named {instance}")
        index = names.index(instance)
        endpoint = config.endpoints[index]
        if endpoint.drained == drained:
            state = "drained" if drained else "in service"
            raise MeshEditError(f"{instance} of {service} is already {state}")
        endpoints = list(config.endpoints)
        endpoints[index] = endpoint.model_copy(update={"drained": drained})
        updated = config.model_copy(update={"endpoints": tuple(endpoints)})
        summary = f"{verb} {instance} ({service})"
    services = {**mesh.services, service: updated}
    return _edit(mesh, services, dict(mesh.routes), summary, "drain")


def replace_routes(mesh: MeshConfig, destination: str, routes: Sequence[RouteConfig]) -> MeshChange:
    """`destination`'s routes replaced by `routes`; none at all means the default catch-all."""
    _http_service(mesh, destination)
    new_routes = dict(mesh.routes)
    if routes:
        new_routes[destination] = tuple(routes)
    else:
        new_routes.pop(destination, None)
    summary = f"Edit the routes of {destination}"
    return _edit(mesh, dict(mesh.services), new_routes, summary, "routes")


def replace_service_policy(
    mesh: MeshConfig,
    service: str,
    outlier_detection: OutlierDetection,
    circuit_breaker: CircuitBreaker,
) -> MeshChange:
    """`service` with new outlier detection and circuit breaker settings."""
    config = _service(mesh, service)
    changed = [
        label
        for label, old, new in (
            ("outlier detection", config.outlier_detection, outlier_detection),
            ("circuit breaker", config.circuit_breaker, circuit_breaker),
        )
        if old != new
    ]
    what = " and ".join(changed) or "outlier detection and circuit breaker"
    updated = config.model_copy(
        update={"outlier_detection": outlier_detection, "circuit_breaker": circuit_breaker}
    )
    services = {**mesh.services, service: updated}
    return _edit(mesh, services, dict(mesh.routes), f"Change the {what} of {service}", "policy")


def inverse(change: MeshChange, current: MeshConfig) -> MeshChange:
    """Undo `change`: back to the content of `change.before`, at version ``current.version + 1``.

    Warns when `current` is no longer what `change` made, since going back to `change.before`
    also reverts whatever changed since.
    """
    after = change.before.with_version(current.version + 1)
    warnings: list[str] = []
    if not same_content(current, change.after):
        warnings.append(
            f"The config changed after this edit (it is at version {current.version} now); "
            "undoing it brings back the whole config as it was before the edit, which also "
            "reverts those later changes."
        )
    warnings.extend(_new_dead_ends(current, after))
    if change.kind == "undo" and change.summary.startswith("Undo: "):
        summary, kind = f"Redo: {change.summary.removeprefix('Undo: ')}", "redo"
    else:
        summary, kind = f"Undo: {change.summary}", "undo"
    return MeshChange(summary, current, after, tuple(warnings), kind)


# -- helpers ---------------------------------------------------------------------------------
def _edit(
    mesh: MeshConfig,
    services: dict[str, ServiceConfig],
    routes: dict[str, tuple[RouteConfig, ...]],
    summary: str,
    kind: str,
) -> MeshChange:
    draft = mesh.model_copy(update={"services": services, "routes": routes})
    change = make_change(mesh, draft, summary, kind=kind)
    warnings = (*_new_dead_ends(mesh, change.after), *versions_left_out(mesh, change.after))
    return MeshChange(change.summary, change.before, change.after, warnings, kind)


def _new_dead_ends(before: MeshConfig, after: MeshConfig) -> list[str]:
    known = set(left_without_targets(before, ()))
    return [line for line in left_without_targets(after, ()) if line not in known]


def _move_for(
    mesh: MeshConfig,
    services: dict[str, ServiceConfig],
    routes: dict[str, tuple[RouteConfig, ...]],
    destination: str,
    move_from: str,
    move_to: str,
    share: float,
) -> bool:
    """Moves traffic in `destination`'s routes (into `routes`); False when none sends any."""
    current = mesh.routes_for(destination)
    source, target = split_node_id(move_from), split_node_id(move_to)
    if not any(sends_to(services, route, source) for route in current):
        return False
    moved = [move_in_route(route, services, source, target, share) for route in current]
    routes[destination] = tuple(
        new if new is not None else old for old, new in zip(current, moved, strict=True)
    )
    return any(new is not None for new in moved)


def _check_move(mesh: MeshConfig, move_from: str, move_to: str, share: float) -> None:
    if not 0 < share <= 1:
        raise MeshEditError(
            f"the share of traffic to move must be above 0% and at most 100%, got {share!r}"
        )
    if move_from == move_to:
        raise MeshEditError(f"traffic cannot be moved from {move_from} to itself")
    for node in (move_from, move_to):
        _service(mesh, split_node_id(node)[0])
    _http_service(mesh, split_node_id(move_to)[0])


def _service(mesh: MeshConfig, service: str) -> ServiceConfig:
    config = mesh.services.get(service)
    if config is None:
        raise MeshEditError(f"the mesh config has no service named {service}")
    return config


def _http_service(mesh: MeshConfig, service: str) -> ServiceConfig:
    config = _service(mesh, service)
    if config.protocol != "http":
        raise MeshEditError(
            f"{service} is a {config.protocol} service; only HTTP traffic is routed"
        )
    return config


def _percent(share: float) -> str:
    return f"{share * 100:.4g}%"


__all__ = [
    "MeshChange",
    "MeshEditError",
    "inverse",
    "left_without_targets",
    "mesh_diff",
    "move_inbound",
    "predicted_rates",
    "removal_warnings",
    "replace_routes",
    "replace_service_policy",
    "reroute",
    "routes_left_without_targets",
    "set_drained",
]
