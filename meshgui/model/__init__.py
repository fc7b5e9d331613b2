"""The desktop app's Qt-free model: snapshots in, topology, rates, percentiles and history out."""

from meshgui.model.health import DEGRADED_ERROR_PCT, FAILING_ERROR_PCT
from meshgui.model.layout import layered_layout
from meshgui.model.mesh_model import MeshModel
from meshgui.model.types import (
    EdgeHistory,
    EdgeKey,
    EdgeStats,
    EdgeView,
    InstanceView,
    NodeHealth,
    NodeView,
    TopologyView,
)

__all__ = [
    "DEGRADED_ERROR_PCT",
    "FAILING_ERROR_PCT",
    "EdgeHistory",
    "EdgeKey",
    "EdgeStats",
    "EdgeView",
    "InstanceView",
    "MeshModel",
    "NodeHealth",
    "NodeView",
    "TopologyView",
    "layered_layout",
]
