"""Runs the sidecar built by deploy/check-without-docker.sh the way the image and the pod do:
the ConfigMap's sidecar.yaml (with a pod name filled in) checked with `mesh-proxy
--check-config`, then served by an unprivileged user, with its listeners moved to free loopback
ports, until the image's health check (healthcheck.py) passes. Kills what it started."""

from __future__ import annotations

import os
import pwd
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

READY_TIMEOUT_S = 30.0
LISTENERS = ("outbound", "inbound", "admin", "metrics")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def unprivileged() -> dict[str, object]:
    """Popen arguments that drop root, as the image's USER does."""
    if os.geteuid() != 0:
        return {}
    nobody = pwd.getpwnam("nobody")
    return {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}


def main(venv: Path, configmap: Path, healthcheck: Path) -> int:
    text = yaml.safe_load(configmap.read_text())["data"]["sidecar.yaml"]
    text = text.replace("@POD_NAME@", "web-7d4b9c-x2x9z")
    mesh_proxy = str(venv / "bin" / "mesh-proxy")
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        os.chmod(work, 0o777)
        as_written = work / "as-written.yaml"
        as_written.write_text(text)
        subprocess.run([mesh_proxy, "--check-config", str(as_written)], check=True)
        config = yaml.safe_load(text)
        settings = config["sidecar"]
        for name in LISTENERS:
            settings[name] = f"127.0.0.1:{free_port()}"
        token = work / "token"
        token.write_text("check-token\n")
        os.chmod(token, 0o444)
        settings["token"] = {"file": str(token)}
        settings["state_dir"] = str(work / "state")
        local = work / "sidecar.yaml"
        local.write_text(yaml.safe_dump(config))
        os.chmod(local, 0o444)
        env = dict(os.environ, MESH_PROXY_READY_URL=f"http://{settings['metrics']}/ready")
        command = [mesh_proxy, "--config", str(local)]
        proc = subprocess.Popen(command, env=env, **unprivileged())  # type: ignore[call-overload]
        try:
            deadline = time.monotonic() + READY_TIMEOUT_S
            while time.monotonic() < deadline and proc.poll() is None:
                check = [sys.executable, str(healthcheck)]
                if subprocess.run(check, env=env, capture_output=True).returncode == 0:
                    who = "nobody" if os.geteuid() == 0 else "this user"
                    print(f"ok: mesh-proxy, run as {who}, is ready: the health check passed")
                    return 0
                time.sleep(0.5)
            print(f"mesh-proxy was not ready within {READY_TIMEOUT_S:g} s (exit {proc.poll()})")
            return 1
        finally:
            proc.terminate()
            try:
                proc.wait(25)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])))
