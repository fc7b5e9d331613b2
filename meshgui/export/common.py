"""What every exporter returns: documents, plus warnings for what the target cannot express.

An exporter never drops a setting silently: whatever it cannot carry over (or can only
approximate) becomes an `ExportWarning` naming the setting by its path in the mesh document,
e.g. ``routes.inventory[0].retry.budget_ratio``, the same paths `ConfigError` uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from proxy.config.types import Loc, format_loc


@dataclass(frozen=True, slots=True)
class ExportWarning:
    """A setting the target cannot express as mesh-proxy means it, and what was done instead."""

    setting: str
    """Path in the mesh document, e.g. ``services.inventory.load_balancer``."""
    message: str

    def __str__(self) -> str:
        return f"{self.setting}: {self.message}"


def warning_at(loc: Loc, message: str) -> ExportWarning:
    """An `ExportWarning` for the setting at `loc`, e.g. ``("routes", "inventory", 0)``."""
    return ExportWarning(format_loc(loc), message)


@dataclass(frozen=True, slots=True)
class ExportDocument:
    """One document of an export: a Kubernetes object, an Envoy bootstrap or the mesh config."""

    name: str
    """What it is, e.g. ``VirtualService/inventory``."""
    data: dict[str, Any]
    """The document as plain JSON-compatible data."""
    text: str = ""
    """The document as YAML; rendered from `data` when not given."""

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", render_yaml(self.data))


@dataclass(frozen=True, slots=True)
class ExportResult:
    """The documents of one target, in a stable order, and every warning raised on the way."""

    target: str
    """``native``, ``istio``, ``gateway`` or ``envoy``."""
    documents: tuple[ExportDocument, ...]
    warnings: tuple[ExportWarning, ...] = field(default=())

    def to_yaml(self) -> str:
        """All documents as one multi-document YAML stream (one document: just that one)."""
        return "---\n".join(document.text for document in self.documents)


class _BlockDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a Kubernetes or Envoy reader wants every value spelled out


def render_yaml(data: Any) -> str:
    """Block-style YAML with keys in the order the exporter built them."""
    return yaml.dump(
        data,
        Dumper=_BlockDumper,
        sort_keys=False,
        default_flow_style=False,
        width=100,
        allow_unicode=True,
    )


def bounded(value: int, limit: int, loc: Loc, target: str, warnings: list[ExportWarning]) -> int:
    """`value`, or `limit` with a warning when the target's field cannot hold more."""
    if value <= limit:
        return value
    warnings.append(warning_at(loc, f"{value} is more than {target} can hold; exported {limit}"))
    return limit


def dedupe(warnings: Iterable[ExportWarning]) -> tuple[ExportWarning, ...]:
    """`warnings` in first-seen order without repeats (rule variants may raise one twice)."""
    return tuple(dict.fromkeys(warnings))
