"""The native export: the mesh config as mesh-proxy reads it, written by the schema's own writer.

The text is exactly `dump_mesh_yaml`, so ``parse_mesh_document(text) == mesh``: it is what the
admin API applies as a whole document and what goes under ``mesh:`` in a sidecar file.
"""

from __future__ import annotations

import yaml

from meshgui.export.common import ExportDocument, ExportResult
from proxy.config import MeshConfig, dump_mesh_yaml


def export_native(mesh: MeshConfig) -> ExportResult:
    """One document, the mesh config; native export loses nothing, so it never warns."""
    text = dump_mesh_yaml(mesh)
    document = ExportDocument("mesh", yaml.safe_load(text), text)
    return ExportResult("native", (document,))
