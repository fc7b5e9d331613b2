"""Canvas node ids: a service ("inventory"), or one version of it ("inventory@v1") when the
canvas shows versions as nodes of their own.

Service names are DNS labels, so "@" never occurs in one and the split is unambiguous. Views,
the model and the route edits all name nodes this way.
"""

from __future__ import annotations

VERSION_SEPARATOR = "@"


def node_id(service: str, version: str | None) -> str:
    """The node of `service`'s `version`; the service itself when `version` is None or empty."""
    return f"{service}{VERSION_SEPARATOR}{version}" if version else service


def split_node_id(node: str) -> tuple[str, str | None]:
    """`"inventory@v1"` -> `("inventory", "v1")`; `"inventory"` -> `("inventory", None)`."""
    service, separator, version = node.partition(VERSION_SEPARATOR)
    return (service, version) if separator and version else (service, None)
