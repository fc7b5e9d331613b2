"""Reading config documents into models, writing them back, and checking a file from the CLI."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO, TypeVar

from pydantic import BaseModel, ValidationError

from proxy.config.errors import ConfigError, ConfigProblem, LineOf
from proxy.config.mesh import MeshConfig
from proxy.config.sidecar import SidecarFile
from proxy.config.yaml_io import dump_yaml, parse_text, styled

_Model = TypeVar("_Model", bound=BaseModel)


def parse_mesh_document(
    text_or_mapping: str | bytes | Mapping[str, Any], source: str = "<document>"
) -> MeshConfig:
    """A `MeshConfig` from YAML or JSON text, or from an already parsed mapping.

    Raises ConfigError naming every problem; paths are relative to the document
    (``routes.inventory[0].timeout``), as the admin API receives the mesh part alone.
    """
    return _validate(MeshConfig, text_or_mapping, source)


def parse_sidecar_document(
    text_or_mapping: str | bytes | Mapping[str, Any], source: str = "<document>"
) -> SidecarFile:
    """A `SidecarFile` (``sidecar:`` and ``mesh:`` sections) from text or a parsed mapping."""
    return _validate(SidecarFile, text_or_mapping, source)


def load_sidecar_file(path: str | Path) -> SidecarFile:
    """The sidecar config file at `path`. Raises ConfigError, also for a missing file."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(source, [ConfigProblem("", f"cannot read the file: {reason}")]) from None
    return _validate(SidecarFile, raw, source)


def dump_mesh_yaml(mesh: MeshConfig) -> str:
    """YAML for `mesh` that loads back to an equal model; settings left at defaults are omitted."""
    return dump_yaml(styled(_mesh_data(mesh)))


def dump_sidecar_yaml(f: SidecarFile) -> str:
    """YAML for a whole sidecar file that loads back to an equal model."""
    sidecar = f.sidecar.model_dump(mode="json", exclude_defaults=True)
    return dump_yaml({"sidecar": styled(sidecar, depth=1), "mesh": styled(_mesh_data(f.mesh))})


def check_config_main(
    path: str | Path, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """``mesh-proxy --check-config FILE``: print a summary (0) or every problem to stderr (1)."""
    try:
        loaded = load_sidecar_file(path)
    except ConfigError as exc:
        print(exc, file=err or sys.stderr)
        return 1
    mesh = loaded.mesh
    summary = (
        f"OK: {path}: mesh version {mesh.version}, "
        f"{len(mesh.services)} services, {mesh.route_count} routes"
    )
    print(summary, file=out or sys.stdout)
    return 0


def _mesh_data(mesh: MeshConfig) -> dict[str, Any]:
    data = mesh.model_dump(mode="json", exclude_defaults=True)
    # The version says which config a sidecar runs, so it is written even when it is 0.
    return {"version": mesh.version, **data}


def _validate(
    model: type[_Model], document: str | bytes | Mapping[str, Any], source: str
) -> _Model:
    data, line_of = _read(document, source)
    if data is None:
        raise ConfigError(source, [ConfigProblem("", "the document is empty")])
    if not isinstance(data, Mapping):
        kind = "a list" if isinstance(data, list) else f"{type(data).__name__} {data!r:.40}"
        reason = f"expected a mapping of settings at the top level, got {kind}"
        raise ConfigError(source, [ConfigProblem("", reason)])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError.from_validation(source, exc, model, line_of) from None


def _read(document: str | bytes | Mapping[str, Any], source: str) -> tuple[Any, LineOf | None]:
    if isinstance(document, Mapping):
        return document, None
    if isinstance(document, bytes):
        try:
            document = document.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            reason = f"not UTF-8 text (byte {exc.start})"
            raise ConfigError(source, [ConfigProblem("", reason)]) from None
    return parse_text(document, source)
