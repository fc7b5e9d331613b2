"""The sidecar's persisted state: the last applied mesh config, written atomically (temp file,
fsync, rename) so a restarted sidecar comes back as it was, drains included."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from proxy.config import ConfigError, ConfigProblem, MeshConfig, parse_mesh_document

STATE_FILE = "mesh-config.json"


def save_mesh(state_dir: Path, mesh: MeshConfig) -> None:
    state_dir.mkdir(parents=True, exist_ok=True)
    data = json.dumps(mesh.model_dump(mode="json"), indent=1).encode()
    fd, tmp = tempfile.mkstemp(prefix=".mesh-config-", dir=state_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, state_dir / STATE_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(state_dir, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself must survive a crash
    finally:
        os.close(dir_fd)


def load_saved_mesh(state_dir: Path) -> MeshConfig | None:
    """The saved config, or None when there is none; a corrupt file raises ConfigError."""
    path = state_dir / STATE_FILE
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(
            str(path), [ConfigProblem("", f"cannot read saved config: {exc.strerror}")]
        ) from None
    return parse_mesh_document(text, source=str(path))
