"""The committed admin API stubs are what scripts/gen-protos.sh makes from admin.proto today."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
GENERATED = ("admin_pb2.py", "admin_pb2.pyi", "admin_pb2_grpc.py")


@pytest.mark.timeout(60)
def test_committed_stubs_match_a_fresh_generation(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHON": sys.executable}
    subprocess.run(
        ["bash", str(REPO / "scripts" / "gen-protos.sh"), str(tmp_path)],
        check=True,
        env=env,
        capture_output=True,
        timeout=50,
    )
    stale = [
        name
        for name in GENERATED
        if (tmp_path / "proxy/admin/v1" / name).read_bytes()
        != (REPO / "proxy/admin/v1" / name).read_bytes()
    ]
    assert not stale, f"stale generated stubs {stale}: run scripts/gen-protos.sh and commit them"
