"""The command lines of one run's processes and the readiness checks that say they are up.
Every command line carries the run id (as `--run-id` or in the run directory's name), so a
stray process can always be traced back to its run."""

from __future__ import annotations

from pathlib import Path

from meshgui.demo.plan import DemoInstance
from meshgui.demo.ports import LOOPBACK
from meshgui.demo.readiness import ReadinessCheck, http_probe, tcp_probe
from meshgui.demo.supervisor import Supervisor
from meshgui.frozen import python_module_command


def sidecar_command(config_path: Path) -> list[str]:
    return [*python_module_command("proxy"), "--config", str(config_path)]


def app_command(member: DemoInstance, run_id: str, seed: int | None) -> list[str]:
    ports = member.ports
    if member.spec.protocol == "tcp":
        command = python_module_command("meshgui.demo.inventory_db")
        command += ["--instance", member.name, "--port", str(ports.app), "--run-id", run_id]
    else:
        command = [*python_module_command("meshgui.demo.app"), "--service", member.service]
        command += ["--instance", member.name, "--port", str(ports.app)]
        command += ["--control-port", str(ports.control), "--run-id", run_id]
        command += ["--outbound", member.address(ports.outbound)]
        kv_port = ports.tcp_outbound.get("inventory-db")
        if kv_port is not None:
            command += ["--kv", member.address(kv_port)]
    if seed is not None:
        command += ["--seed", str(seed)]
    return command


def readiness_checks(
    members: tuple[DemoInstance, ...], supervisor: Supervisor
) -> list[ReadinessCheck]:
    """Per instance: its sidecar's `/ready` and admin listener, and its app listening (HTTP
    apps: their control endpoint, which they open after the shop's own port)."""
    checks: list[ReadinessCheck] = []
    for member in members:
        sidecar = supervisor.find(member.name, "sidecar")
        ready = http_probe(LOOPBACK, member.ports.metrics, "/ready")
        checks.append(ReadinessCheck(sidecar, ready, member.ready_url))
        # /ready answers before the admin API is bound; the desktop app needs both.
        admin = f"the admin API on {member.admin_address}"
        checks.append(ReadinessCheck(sidecar, tcp_probe(LOOPBACK, member.ports.admin), admin))
        app = supervisor.find(member.name, "app")
        if member.control_url is None:
            what = f"a listener on {member.address(member.ports.app)}"
            checks.append(ReadinessCheck(app, tcp_probe(LOOPBACK, member.ports.app), what))
        else:
            health = http_probe(LOOPBACK, member.ports.control, "/health")
            checks.append(ReadinessCheck(app, health, f"{member.control_url}/health"))
    return checks
