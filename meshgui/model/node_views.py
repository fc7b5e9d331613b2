"""Window totals + sidecar facts -> `NodeView`s with their `InstanceView`s.

A node is a service, or one version of it when versions are shown as nodes. A node's view is
rebuilt only when one of its values changed; otherwise the previous object is handed out again,
so views can compare with `is`.
"""

from __future__ import annotations

from collections.abc import Iterable

from meshgui.model.health import instance_state, node_health, tries_failed_percent
from meshgui.model.sidecar_facts import SidecarFacts
from meshgui.model.topology_index import TopologyIndex
from meshgui.model.types import InstanceState, InstanceView, NodeHealth, NodeView, Protocol
from meshgui.model.window_totals import WindowTotals

_NodeValues = tuple[
    Protocol,
    tuple[InstanceView, ...],
    NodeHealth,
    float | None,
    float,
    float,
    float | None,
    float,
    float,
    float,
]
"""`NodeView`'s fields after the name, up to `retries_in`, in order."""
_InstanceValues = tuple[str | None, InstanceState, float, float, str | None]


def _percent(part: float, whole: float) -> float:
    return part / whole * 100.0 if whole > 0.0 else 0.0


class NodeViewCache:
    """The current `NodeView` of every shown node, by node id (`node_ids`)."""

    def __init__(self, index: TopologyIndex) -> None:
        self._index = index
        self._instances: dict[int, tuple[_InstanceValues, InstanceView]] = {}
        self._nodes: dict[int, tuple[_NodeValues, NodeView]] = {}

    def update(
        self,
        nodes: Iterable[int],
        tcp_only: set[int],
        instances_shown: dict[int, list[int]],
        totals: WindowTotals,
        facts: SidecarFacts,
    ) -> dict[str, NodeView]:
        """Views of `nodes` (ids, in the order given); `tcp_only`: reached only over TCP."""
        index = self._index
        names, services, versions = index.node_names, index.node_services, index.node_versions
        rps_in, errors_in = totals.node_rps_in.tolist(), totals.node_errors_in.tolist()
        retries_in = totals.node_retries_in.tolist()
        rps_out, p99s = totals.node_rps_out.tolist(), totals.node_p99_ms.tolist()
        bytes_in = totals.node_bytes_in_per_s.tolist()
        instance_rps = totals.instance_rps.tolist()
        instance_errors = totals.instance_errors_per_s.tolist()
        disconnected = facts.disconnected_nodes.tolist()
        views: dict[str, NodeView] = {}
        for s in nodes:
            instances = tuple(
                self._instance(i, instance_rps[i], instance_errors[i], facts)
                for i in instances_shown.get(s, ())
            )
            error_pct = _percent(errors_in[s], rps_in[s])
            health = node_health(
                all_sidecars_disconnected=disconnected[s],
                instance_states=tuple(instance.state for instance in instances),
                # Coloured as its inbound edges are: by failed tries too, so failures the
                # callers' retries hide still show (the label keeps what the callers saw).
                error_pct=max(error_pct, tries_failed_percent(rps_in[s], error_pct, retries_in[s])),
                rps_in=rps_in[s],
                rps_out=rps_out[s],
                bytes_in_per_s=bytes_in[s],
            )
            p99 = p99s[s]
            values: _NodeValues = (
                "tcp" if s in tcp_only else "http",
                instances,
                health,
                facts.disconnected_since.get(s) if disconnected[s] else None,
                rps_in[s],
                error_pct,
                None if p99 != p99 else p99,  # NaN: no calls
                rps_out[s],
                bytes_in[s],
                retries_in[s],
            )
            cached = self._nodes.get(s)
            if cached is not None and cached[0] == values:
                view = cached[1]
            else:
                service = index.service_names[services[s]]
                view = NodeView(names[s], *values, service=service, version=versions[s])
                self._nodes[s] = (values, view)
            views[view.name] = view
        return views

    def _instance(self, i: int, rps: float, errors: float, facts: SidecarFacts) -> InstanceView:
        record = self._index.instances[i]
        own = facts.own_sidecar.get(i)
        pending = facts.drained_pending.get(i)
        values: _InstanceValues = (
            record.version or (own.version if own else None),
            instance_state(
                disconnected=own is not None and not own.connected,
                drained=pending is not None,
                pending=pending or 0,
                sidecar_draining=own is not None and own.draining,
                ejected=i in facts.ejected,
            ),
            rps,
            _percent(errors, rps),
            record.address or (own.address if own else None),
        )
        cached = self._instances.get(i)
        if cached is not None and cached[0] == values:
            return cached[1]
        view = InstanceView(record.name, record.service, *values)
        self._instances[i] = (values, view)
        return view
