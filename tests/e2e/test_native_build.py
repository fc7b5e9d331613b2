"""Which build the sidecars of a test run are: `make test-native` runs the real-process tests again
with MESH_TEST_SIDECAR_BUILD=build/native, and this says they really ran compiled code (and, in
the ordinary run, that they ran this source tree's Python)."""

from __future__ import annotations

import os
import subprocess

import aiohttp
import pytest

from tests.harness.processes import SIDECAR_BUILD_ENV, ProcessPool, sidecar_command
from tests.harness.topology import start_mesh

pytestmark = pytest.mark.e2e


def expected_build() -> str:
    return "native" if os.environ.get(SIDECAR_BUILD_ENV) else "python"


async def test_sidecars_run_the_build_the_run_asked_for(processes: ProcessPool) -> None:
    mesh = start_mesh(processes, [("inventory-1", {})])
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{mesh.url}/items", headers={"Host": "inventory"}) as resp,
    ):
        assert resp.status == 200
    log = mesh.client.log()
    assert f"ready ({expected_build()} build)" in log, log


def test_version_names_the_build() -> None:
    args, env = sidecar_command("--version")
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("mesh-proxy "), done.stdout
    assert done.stdout.rstrip().endswith(f"({expected_build()} build)"), done.stdout
