"""A change to the mesh config as the operator will see it before it is applied: what it does
in one line, the config before and after, and what could go wrong.

Changes are values: the pure edits in `meshgui.model.mesh_edits` make them, the preview shows
their diff, the apply sends `after` to every sidecar, and undo builds the inverse change.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from proxy.config import MeshConfig, dump_mesh_yaml, parse_mesh_document


class MeshEditError(ValueError):
    """An edit that cannot be made, with a sentence that tells the operator why."""


@dataclass(frozen=True)
class MeshChange:
    """One edit of the mesh config; ``after.version == before.version + 1``."""

    summary: str
    before: MeshConfig
    after: MeshConfig
    warnings: tuple[str, ...] = ()
    kind: str = "edit"
    """What made it: "reroute", "drain", "routes", "policy", "undo", or "edit"."""

    @property
    def is_empty(self) -> bool:
        """True when applying it would change nothing but the version number."""
        return same_content(self.before, self.after)


def same_content(first: MeshConfig, second: MeshConfig) -> bool:
    """Whether two configs differ in nothing but their version."""
    return first.with_version(0) == second.with_version(0)


def validated(data: MeshConfig | dict[str, Any], what: str) -> MeshConfig:
    """`data` checked by the sidecar's own schema, so a broken edit fails here with every problem
    named (ConfigError) instead of reaching a sidecar."""
    document = data.model_dump(mode="json") if isinstance(data, MeshConfig) else data
    return parse_mesh_document(document, source=what)


def make_change(
    before: MeshConfig,
    after: MeshConfig | dict[str, Any],
    summary: str,
    *,
    kind: str,
    warnings: tuple[str, ...] = (),
) -> MeshChange:
    """A change from `before` to a re-validated `after`, stamped with the next version."""
    checked = validated(after, summary)
    return MeshChange(summary, before, checked.with_version(before.version + 1), warnings, kind)


def mesh_diff(before: MeshConfig, after: MeshConfig) -> str:
    """Unified diff of the native YAML of two configs; empty when only the version differs.

    The top-level ``version:`` lines are left out: every change bumps it, so it says nothing.
    """
    old = _lines_without_version(before)
    new = _lines_without_version(after)
    diff = difflib.unified_diff(
        old, new, fromfile=f"version {before.version}", tofile=f"version {after.version}"
    )
    return "".join(diff)


def _lines_without_version(mesh: MeshConfig) -> list[str]:
    lines = dump_mesh_yaml(mesh).splitlines(keepends=True)
    return [line for line in lines if not line.startswith("version:")]


__all__ = [
    "MeshChange",
    "MeshEditError",
    "make_change",
    "mesh_diff",
    "same_content",
    "validated",
]
