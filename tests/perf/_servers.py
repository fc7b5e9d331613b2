"""The servers the data-plane benchmark compares: nginx as the upstream, HAProxy as the reference
proxy, and mesh-proxy sidecars. Each writes its config into the run's temp dir (nothing in /etc,
no root) and waits, bounded, until the server answers."""

from __future__ import annotations

import os
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from _procs import BenchError, ProcessGroup, ServerProcess, wait_for_port, wait_http_ok

from meshgui.demo.ports import free_ports

BODY = "0123456789" * 10  # the fixed 100-byte response body
SERVICE = "bench"
MESH_PROXY = Path(sys.executable).parent / "mesh-proxy"

_NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    keepalive_requests 10000000;
    keepalive_timeout 120s;
    server {{
        listen 127.0.0.1:{port};
        default_type text/plain;
        location / {{ return 200 "{body}"; }}
    }}
    server {{
        # Apart from the benchmarked port, so reading it changes nothing being measured.
        listen 127.0.0.1:{status_port};
        location / {{ stub_status; }}
    }}
}}
"""

_HAPROXY_CFG = """\
global
    nbthread 1
    maxconn 4096

defaults
    mode http
    http-reuse always
    option http-keep-alive
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout http-keep-alive 30s

frontend bench
    bind 127.0.0.1:{port}
    default_backend nginx

backend nginx
    server nginx1 127.0.0.1:{upstream}
"""


@dataclass
class Nginx:
    server: ServerProcess
    port: int
    status_port: int

    def accepted(self) -> int:
        """Connections nginx has accepted so far (stub_status): how often proxies reconnect."""
        url = f"http://127.0.0.1:{self.status_port}/"
        self.server.check_alive()
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                lines = resp.read().decode().splitlines()
        except OSError as exc:
            raise BenchError(f"cannot read nginx's status: {exc}") from exc
        # "Active connections: N", "server accepts handled requests", " A H R", ...
        return int(lines[2].split()[0])


def start_nginx(group: ProcessGroup, *, core: int) -> Nginx:
    """nginx answering every request with BODY; its own prefix dir so it needs no root."""
    port, status_port = free_ports(2)
    prefix = group.workdir / "nginx"
    prefix.mkdir()
    conf = prefix / "nginx.conf"
    text = _NGINX_CONF.format(prefix=prefix, port=port, status_port=status_port, body=BODY)
    conf.write_text(text)
    # -e: the error log before the config is read, else nginx opens /var/log/nginx/error.log.
    args = ["nginx", "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    server = group.start("nginx", args, core=core)
    wait_for_port(port, server)
    wait_for_port(status_port, server)
    return Nginx(server, port, status_port)


def start_haproxy(
    group: ProcessGroup, upstream: int, *, core: int, name: str = "haproxy"
) -> tuple[ServerProcess, int]:
    """HAProxy in the foreground (-db: one process, no daemon, no master) forwarding to
    `upstream` (nginx, or another HAProxy)."""
    (port,) = free_ports(1)
    cfg = group.workdir / f"{name}.cfg"
    cfg.write_text(_HAPROXY_CFG.format(port=port, upstream=upstream))
    server = group.start(name, ["haproxy", "-db", "-f", str(cfg)], core=core)
    wait_for_port(port, server)
    return server, port


@dataclass
class SidecarConfig:
    """A sidecar's config file, written, and the ports it names."""

    path: Path
    outbound: int
    inbound: int
    metrics: int


@dataclass
class Sidecar:
    server: ServerProcess
    outbound: int
    inbound: int


def write_sidecar_config(
    workdir: Path, *, name: str, service: str, endpoint_port: int, app_port: int | None
) -> SidecarConfig:
    """A config whose mesh maps SERVICE to one endpoint on `endpoint_port` (nginx itself, or
    another sidecar's inbound listener) and whose inbound listener hands requests to `app_port`."""
    outbound, inbound, admin, metrics = free_ports(4)
    settings: dict[str, Any] = {
        "service": service,
        "instance": f"{name}-1",
        "outbound": f"127.0.0.1:{outbound}",
        "inbound": f"127.0.0.1:{inbound}",
        "app": None if app_port is None else f"127.0.0.1:{app_port}",
        "admin": f"127.0.0.1:{admin}",
        "metrics": f"127.0.0.1:{metrics}",
        "drain_timeout": "1s",
    }
    services: dict[str, Any] = {
        SERVICE: {"endpoints": [{"name": "upstream-1", "address": f"127.0.0.1:{endpoint_port}"}]}
    }
    if service != SERVICE:
        own = {"name": f"{name}-1", "address": f"127.0.0.1:{inbound}"}
        services[service] = {"endpoints": [own]}
    doc = {"sidecar": settings, "mesh": {"version": 1, "services": services}}
    path = workdir / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return SidecarConfig(path, outbound, inbound, metrics)


def build_env(build: Path | None) -> dict[str, str] | None:
    """The environment that runs `mesh-proxy` from a native build directory (None: installed)."""
    return None if build is None else {**os.environ, "PYTHONPATH": str(build.resolve())}


def check_build(name: str, log: str, build: Path | None) -> None:
    """A sidecar says which build it runs when ready; one that is not what was asked fails."""
    expected = "python" if build is None else "native"
    if f"ready ({expected} build)" not in log:
        raise BenchError(f"{name} is not the {expected} build:\n{log}")


def start_sidecar(
    group: ProcessGroup,
    *,
    name: str,
    service: str,
    endpoint_port: int,
    app_port: int | None,
    core: int,
    build: Path | None = None,
) -> Sidecar:
    """A sidecar from `write_sidecar_config`, ready. `build`: a native build directory (`make
    native`) to run instead of the installed Python one."""
    config = write_sidecar_config(
        group.workdir, name=name, service=service, endpoint_port=endpoint_port, app_port=app_port
    )
    command = [str(MESH_PROXY), "--config", str(config.path)]
    server = group.start(name, command, core=core, env=build_env(build))
    wait_http_ok(f"http://127.0.0.1:{config.metrics}/ready", server)
    check_build(name, server.log_tail(), build)
    return Sidecar(server, config.outbound, config.inbound)
