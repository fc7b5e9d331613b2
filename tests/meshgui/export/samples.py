"""Shared inputs of the exporter tests: the sample sidecar file, its golden exports, and a short
way to write a mesh config inline."""

from __future__ import annotations

import textwrap
from pathlib import Path

from proxy.config import MeshConfig, SidecarFile, load_sidecar_file, parse_mesh_document

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "resources" / "samples" / "mesh-sidecar.yaml"
GOLDEN = Path(__file__).resolve().parent / "golden"


def sample() -> SidecarFile:
    return load_sidecar_file(SAMPLE)


def golden(name: str) -> str:
    return (GOLDEN / name).read_text(encoding="utf-8")


def mesh(text: str) -> MeshConfig:
    """A mesh config from an indented YAML snippet."""
    return parse_mesh_document(textwrap.dedent(text), "<test>")


INVENTORY = """
services:
  inventory:
    endpoints:
      - {name: inventory-1, address: 10.0.0.1:8080, labels: {version: v1}}
      - {name: inventory-2, address: 10.0.0.2:8080, labels: {version: v2}}
    subsets: {v1: {version: v1}, v2: {version: v2}}
"""
"""A service with two endpoints and two subsets; tests append their own routes."""
