"""Stable integer ids for services, canvas nodes, instances and edges, so the model can work in
numpy arrays.

Ids are never reused or removed: an edge's id is also its column in the history buffers, and a
service that went quiet keeps its place on the canvas. A node is a service, or one version of
it (`node_ids`); edges join nodes, so a call from cart to inventory is the edge
cart -> inventory while services are shown whole and cart -> inventory@v1 while versions are
shown as nodes. An edge whose ends are both unversioned has one key, hence one history, either
way.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from meshgui.model.node_ids import node_id, split_node_id
from meshgui.model.types import EdgeKey, Protocol

IntArray = npt.NDArray[np.int64]


class _Changes:
    """Counts what changes which node an instance belongs to, so mappings know when to rebuild."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0


class InstanceRecord:
    """What the endpoint lists said about one instance, most recent first."""

    __slots__ = ("_changes", "_version", "address", "listed_at", "name", "service", "service_id")

    def __init__(self, service: str, service_id: int, name: str, changes: _Changes) -> None:
        self.service = service
        self.service_id = service_id
        self.name = name
        self._changes = changes
        self._version: str | None = None
        self.address: str | None = None
        self.listed_at = -np.inf
        """Model-clock time of the newest snapshot whose endpoint list named this instance."""

    @property
    def version(self) -> str | None:
        return self._version

    @version.setter
    def version(self, value: str | None) -> None:
        if value != self._version:
            self._version = value
            self._changes.count += 1


class NodeMap:
    """Which node each instance's calls go to (versions as nodes, or not), and each service's
    plain node for calls that reached no known instance. Arrays for numpy indexing."""

    __slots__ = ("of_instance", "of_service", "split")

    def __init__(self, split: bool, of_instance: IntArray, of_service: IntArray) -> None:
        self.split = split
        self.of_instance = of_instance
        """Per instance id, plus one last entry of -1 so that an instance id of -1 maps to -1."""
        self.of_service = of_service


class TopologyIndex:
    """Name <-> id tables for everything the model counts."""

    def __init__(self) -> None:
        self.service_ids: dict[str, int] = {}
        self.service_names: list[str] = []
        self.plain_nodes: list[int] = []
        """Per service id: the node id of the service shown whole."""
        self.node_ids: dict[str, int] = {}
        self.node_names: list[str] = []
        self.node_services: list[int] = []
        self.node_versions: list[str | None] = []
        self.instance_ids: dict[tuple[str, str], int] = {}
        self.instances: list[InstanceRecord] = []
        self.instances_of_service: list[list[int]] = []
        self.edge_ids: dict[EdgeKey, int] = {}
        self.edge_keys: list[EdgeKey] = []
        self._changes = _Changes()
        self._edge_columns: tuple[list[int], list[int], list[bool], list[int], list[int]] = (
            [],
            [],
            [],
            [],
            [],
        )
        self._edge_arrays: tuple[IntArray, IntArray, npt.NDArray[np.bool_]] | None = None
        self._edge_node_arrays: tuple[IntArray, IntArray] | None = None
        self._node_maps: dict[bool, tuple[tuple[int, int, int], NodeMap]] = {}

    def service(self, name: str) -> int:
        found = self.service_ids.get(name)
        if found is not None:
            return found
        new = len(self.service_names)
        self.service_ids[name] = new
        self.service_names.append(name)
        self.instances_of_service.append([])
        self.plain_nodes.append(-1)
        self.plain_nodes[new] = self.node(name)
        return new

    def node(self, name: str) -> int:
        """The id of node `name` (a service, or `service@version`), registering it if new."""
        found = self.node_ids.get(name)
        if found is not None:
            return found
        service_name, version = split_node_id(name)
        service = self.service(service_name)
        found = self.node_ids.get(name)  # registering a new service registered its plain node
        if found is not None:
            return found
        new = len(self.node_names)
        self.node_ids[name] = new
        self.node_names.append(name)
        self.node_services.append(service)
        self.node_versions.append(version)
        return new

    def instance(self, service: str, name: str) -> int:
        found = self.instance_ids.get((service, name))
        if found is not None:
            return found
        service_id = self.service(service)
        new = len(self.instances)
        self.instance_ids[(service, name)] = new
        self.instances.append(InstanceRecord(service, service_id, name, self._changes))
        self.instances_of_service[service_id].append(new)
        return new

    def edge(self, source: str, destination: str, protocol: Protocol) -> int:
        """The id of the edge between two nodes (service names are nodes too)."""
        key = EdgeKey(source, destination, protocol)
        found = self.edge_ids.get(key)
        if found is not None:
            return found
        source_node, destination_node = self.node(source), self.node(destination)
        new = len(self.edge_keys)
        self.edge_ids[key] = new
        self.edge_keys.append(key)
        source_services, destination_services, tcp, sources, destinations = self._edge_columns
        source_services.append(self.node_services[source_node])
        destination_services.append(self.node_services[destination_node])
        tcp.append(protocol == "tcp")
        sources.append(source_node)
        destinations.append(destination_node)
        self._edge_arrays = self._edge_node_arrays = None
        return new

    @property
    def service_count(self) -> int:
        return len(self.service_names)

    @property
    def node_count(self) -> int:
        return len(self.node_names)

    @property
    def edge_count(self) -> int:
        return len(self.edge_keys)

    def edge_arrays(self) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_]]:
        """Per edge id: source service id, destination service id, whether it is TCP."""
        if self._edge_arrays is None:
            source, destination, tcp, _, _ = self._edge_columns
            self._edge_arrays = (
                np.asarray(source, dtype=np.int64),
                np.asarray(destination, dtype=np.int64),
                np.asarray(tcp, dtype=np.bool_),
            )
        return self._edge_arrays

    def edge_node_arrays(self) -> tuple[IntArray, IntArray]:
        """Per edge id: source node id, destination node id."""
        if self._edge_node_arrays is None:
            self._edge_node_arrays = (
                np.asarray(self._edge_columns[3], dtype=np.int64),
                np.asarray(self._edge_columns[4], dtype=np.int64),
            )
        return self._edge_node_arrays

    def node_map(self, split: bool) -> NodeMap:
        """Instances -> nodes: their version's node when `split`, else their service's."""
        stamp = (self._changes.count, len(self.instances), self.service_count)
        cached = self._node_maps.get(split)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        plain = self.plain_nodes
        of_instance = [
            self.node(node_id(r.service, r.version)) if split else plain[r.service_id]
            for r in self.instances
        ]
        of_instance.append(-1)
        mapping = NodeMap(
            split,
            np.asarray(of_instance, dtype=np.int64),
            np.asarray(self.plain_nodes, dtype=np.int64),
        )
        self._node_maps[split] = (stamp, mapping)
        return mapping
