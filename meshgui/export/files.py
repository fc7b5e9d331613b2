"""Writing an exported file whole or not at all: a temporary file beside it, fsync, rename.

A full disk or a crash mid-write then leaves the previous file (or none) under the name, never
half a config that a later `kubectl apply` or `mesh-proxy --config` would half-use.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

FILE_MODE = 0o644
"""Exports are no secrets (tokens never go into them); mkstemp would leave them 0600."""


def write_file(path: Path, data: bytes | str) -> None:
    """Write `data` (text as UTF-8) to `path`, replacing it atomically. Raises OSError."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, FILE_MODE)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
