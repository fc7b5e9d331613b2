"""Stable integer ids for services, instances and edges, so the model can work in numpy arrays.

Ids are never reused or removed: an edge's id is also its column in the history buffers, and a
service that went quiet keeps its place on the canvas.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from meshgui.model.types import EdgeKey, Protocol

IntArray = npt.NDArray[np.int64]


class InstanceRecord:
    """What the endpoint lists said about one instance, most recent first."""

    __slots__ = ("address", "listed_at", "name", "service", "service_id", "version")

    def __init__(self, service: str, service_id: int, name: str) -> None:
        self.service = service
        self.service_id = service_id
        self.name = name
        self.version: str | None = None
        self.address: str | None = None
        self.listed_at = -np.inf
        """Model-clock time of the newest snapshot whose endpoint list named this instance."""


class TopologyIndex:
    """Name <-> id tables for everything the model counts."""

    def __init__(self) -> None:
        self.service_ids: dict[str, int] = {}
        self.service_names: list[str] = []
        self.instance_ids: dict[tuple[str, str], int] = {}
        self.instances: list[InstanceRecord] = []
        self.instances_of_service: list[list[int]] = []
        self.edge_ids: dict[EdgeKey, int] = {}
        self.edge_keys: list[EdgeKey] = []
        self._edge_src: list[int] = []
        self._edge_dst: list[int] = []
        self._edge_tcp: list[bool] = []
        self._edge_arrays: tuple[IntArray, IntArray, npt.NDArray[np.bool_]] | None = None

    def service(self, name: str) -> int:
        found = self.service_ids.get(name)
        if found is not None:
            return found
        new = len(self.service_names)
        self.service_ids[name] = new
        self.service_names.append(name)
        self.instances_of_service.append([])
        return new

    def instance(self, service: str, name: str) -> int:
        found = self.instance_ids.get((service, name))
        if found is not None:
            return found
        service_id = self.service(service)
        new = len(self.instances)
        self.instance_ids[(service, name)] = new
        self.instances.append(InstanceRecord(service, service_id, name))
        self.instances_of_service[service_id].append(new)
        return new

    def edge(self, source: str, destination: str, protocol: Protocol) -> int:
        key = EdgeKey(source, destination, protocol)
        found = self.edge_ids.get(key)
        if found is not None:
            return found
        new = len(self.edge_keys)
        self.edge_ids[key] = new
        self.edge_keys.append(key)
        self._edge_src.append(self.service(source))
        self._edge_dst.append(self.service(destination))
        self._edge_tcp.append(protocol == "tcp")
        self._edge_arrays = None
        return new

    @property
    def service_count(self) -> int:
        return len(self.service_names)

    @property
    def edge_count(self) -> int:
        return len(self.edge_keys)

    def edge_arrays(self) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_]]:
        """Per edge id: source service id, destination service id, whether it is TCP."""
        if self._edge_arrays is None:
            self._edge_arrays = (
                np.asarray(self._edge_src, dtype=np.int64),
                np.asarray(self._edge_dst, dtype=np.int64),
                np.asarray(self._edge_tcp, dtype=np.bool_),
            )
        return self._edge_arrays
