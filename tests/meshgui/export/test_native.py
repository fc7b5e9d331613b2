"""The native export is exactly what mesh-proxy loads: the sample and any valid mesh round-trip."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings

from meshgui.export.native import export_native
from meshgui.export.targets import render_file
from proxy.config import MeshConfig, dump_mesh_yaml, parse_mesh_document
from tests.meshgui.export.samples import golden, sample
from tests.proxy.test_config_roundtrip import meshes


def test_sample_matches_the_golden_file() -> None:
    result = export_native(sample().mesh)
    assert result.to_yaml() == golden("mesh.yaml")
    assert render_file(result, "anything") == result.to_yaml()  # no header: the bare document


def test_sample_loads_back_to_the_same_mesh() -> None:
    mesh = sample().mesh
    assert parse_mesh_document(export_native(mesh).to_yaml()) == mesh


def test_document_data_is_the_parsed_text() -> None:
    document = export_native(sample().mesh).documents[0]
    assert document.data == yaml.safe_load(document.text)
    assert document.data["version"] == 7


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meshes())
def test_any_mesh_round_trips_without_warnings(mesh: MeshConfig) -> None:
    result = export_native(mesh)
    assert result.to_yaml() == dump_mesh_yaml(mesh)
    assert parse_mesh_document(result.to_yaml()) == mesh
    assert result.warnings == ()
