"""A change to the mesh config as the operator will see it before it is applied: what it does
in one line, the config before and after, and what could go wrong.

Changes are values: the pure edits in `meshgui.model.mesh_edits` make them, the preview shows
their diff, the apply sends `after` to every sidecar, and undo builds the inverse change.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from proxy.config import MeshConfig, parse_mesh_document
from proxy.config.yaml_io import dump_yaml, styled


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
    Both sides are written the same way (`styled_alike`), so a one-line entry that grows past
    one line on one side (an endpoint gaining ``drained: true``) shows as the line it gained.
    """
    old_data, new_data = _document(before), _document(after)
    old = dump_yaml(styled_alike(old_data, new_data)).splitlines(keepends=True)
    new = dump_yaml(styled_alike(new_data, old_data)).splitlines(keepends=True)
    diff = difflib.unified_diff(
        old, new, fromfile=f"version {before.version}", tofile=f"version {after.version}"
    )
    return "".join(diff)


def _document(mesh: MeshConfig) -> dict[str, Any]:
    # As `dump_mesh_yaml` writes it (defaults left out), without the version.
    data = mesh.model_dump(mode="json", exclude_defaults=True)
    data.pop("version", None)
    return data


_ABSENT: Any = object()
"""The other side has nothing at this place."""


def styled_alike(value: Any, other: Any = _ABSENT, depth: int = 0) -> Any:
    """`value` marked for YAML as `styled` marks it, except that a collection written on one
    line here but in block style at the same place in `other` is written in block style too:
    diffed, the two sides then differ only in the lines that changed."""
    own = styled(value, depth)
    if other is _ABSENT or not isinstance(value, dict | list) or type(other) is not type(value):
        return own
    if _one_line(own) and _one_line(styled(other, depth)):
        return own
    if isinstance(value, dict) and isinstance(other, dict):
        return {
            key: styled_alike(item, other.get(key, _ABSENT), depth + 1)
            for key, item in value.items()
        }
    assert isinstance(value, list) and isinstance(other, list)
    return [
        styled_alike(item, partner, depth + 1)
        for item, partner in zip(value, _partners(value, other), strict=True)
    ]


def _one_line(marked: Any) -> bool:
    # `styled` marks a flow-style collection with a subclass of dict or list.
    return type(marked) not in (dict, list)


def _partners(items: list[Any], others: list[Any]) -> list[Any]:
    """For each item, the item at the same place in `others`: the one of the same name for a
    named entry (endpoints, routes), else the one at the same index."""
    named = {o["name"]: o for o in others if isinstance(o, dict) and "name" in o}
    partners: list[Any] = []
    for index, item in enumerate(items):
        if isinstance(item, dict) and "name" in item:
            partners.append(named.get(item["name"], _ABSENT))
        else:
            partners.append(others[index] if index < len(others) else _ABSENT)
    return partners


__all__ = [
    "MeshChange",
    "MeshEditError",
    "make_change",
    "mesh_diff",
    "same_content",
    "styled_alike",
    "validated",
]
