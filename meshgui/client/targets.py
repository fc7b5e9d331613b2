"""What the client needs to reach one sidecar's admin API: where, with which token, over TLS or
not. Built from a connection profile (`meshgui.profiles`); the token never appears in a repr."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class SidecarTarget:
    """One sidecar's admin API. `sidecar_id` names it to the model (its instance, or its
    address when nothing better is known)."""

    sidecar_id: str
    address: str
    token: str | None = field(default=None, repr=False)
    ca_file: Path | None = None
    """TLS, verifying the sidecar against this CA; None: plaintext."""
