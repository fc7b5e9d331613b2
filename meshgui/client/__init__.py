"""The desktop app's network side: one asyncio loop in a worker thread owns every sidecar's gRPC
streams and hands results to the GUI thread through queued Qt signals."""

from meshgui.client.targets import SidecarTarget
from meshgui.client.worker import MeshClient

__all__ = ["MeshClient", "SidecarTarget"]
