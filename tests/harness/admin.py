"""Admin API plumbing for end-to-end tests: sidecar settings with a token, clients, /proc."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from proxy.admin.client import AdminClient
from tests.harness.processes import RunningSidecar

ADMIN_TOKEN = "e2e-admin-token"
OPERATOR = "e2e"


def admin_settings(workdir: Path, **extra: Any) -> dict[str, Any]:
    """Sidecar settings giving it the admin token (from a file) and a state directory."""
    token_file = workdir / "admin-token"
    if not token_file.exists():
        token_file.write_text(ADMIN_TOKEN + "\n")
    return {"token": {"file": str(token_file)}, **extra}


def admin_client(
    sidecar: RunningSidecar, token: str | None = ADMIN_TOKEN, **kw: Any
) -> AdminClient:
    return AdminClient(f"127.0.0.1:{sidecar.ports.admin}", token, operator=OPERATOR, **kw)


def rss_kb(pid: int) -> int:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")
