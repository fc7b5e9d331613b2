"""The desktop app's network side: one asyncio loop in a worker thread owns every sidecar's gRPC
streams and hands results to the GUI thread through queued Qt signals."""

from meshgui.client.config_channel import ConfigChannel
from meshgui.client.config_ops import ApplyProgress, ApplyReport, SidecarConfig
from meshgui.client.targets import SidecarTarget
from meshgui.client.worker import MeshClient

__all__ = [
    "ApplyProgress",
    "ApplyReport",
    "ConfigChannel",
    "MeshClient",
    "SidecarConfig",
    "SidecarTarget",
]
