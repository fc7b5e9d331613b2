"""What a demo run is asked to do, and where its connection file goes by default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DemoOptions:
    run_id: str
    rate: float = 50.0
    scenario: str | None = None
    scenario_delay: float = 30.0
    duration: float | None = None
    connection_file: Path | None = None
    tokens_in_connection_file: bool = False
    log_dir: Path | None = None
    ready_timeout: float = 30.0
    report_every: float = 5.0
    seed: int | None = None


def default_connection_file(run_id: str, run_dir: Path) -> Path:
    """Under $XDG_RUNTIME_DIR/meshgui when there is one, else in the (private) run directory."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime):
        folder = Path(runtime, "meshgui")
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder / f"demo-{run_id}.yaml"
    return run_dir / "connection.yaml"
