"""Opaque TCP through two sidecars; timeouts, connect failures and drains of the sidecar itself."""

from __future__ import annotations

import asyncio
import signal
import socket
import time
import urllib.error
import urllib.request

import pytest

from meshgui.demo.ports import free_port
from tests.harness.load import drive
from tests.harness.processes import ProcessPool
from tests.harness.topology import start_mesh

pytestmark = pytest.mark.e2e


def test_tcp_bytes_flow_both_ways_and_are_recorded(processes: ProcessPool) -> None:
    tcp_port = free_port()
    mesh = start_mesh(
        processes,
        [("inventory-db-1", {})],
        service="inventory-db",
        service_extra={"protocol": "tcp"},
        client_settings={"tcp_outbound": {"inventory-db": f"127.0.0.1:{tcp_port}"}},
        app_module="tests.harness.tcp_echo",
    )
    payload = bytes(range(256)) * 400
    with socket.create_connection(("127.0.0.1", tcp_port), timeout=10) as sock:
        sock.sendall(payload)
        sock.shutdown(socket.SHUT_WR)
        echoed = b""
        while chunk := sock.recv(65536):
            echoed += chunk
    assert echoed == payload
    server = mesh.instances[0].sidecar
    assert server is not None
    deadline = 50
    while "istio_tcp_connections_closed_total" not in server.metrics() and deadline:
        deadline -= 1
        time.sleep(0.1)
    client_metrics = mesh.client.metrics()
    assert 'istio_tcp_received_bytes_total{reporter="source"' in client_metrics
    line = next(
        ln
        for ln in server.metrics().splitlines()
        if ln.startswith("istio_tcp_received_bytes_total{")
    )
    assert 'source_workload="web"' in line and line.endswith(f" {len(payload)}")


def fetch(url: str, host: str) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, dict(resp.headers)
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers)


def test_timeout_and_connect_failure_are_the_mesh_errors(processes: ProcessPool) -> None:
    routes = [
        {
            "match": {"path_prefix": "/slow"},
            "backends": [{"service": "inventory"}],
            "timeout": "300ms",
        },
        {"backends": [{"service": "inventory"}]},
    ]
    mesh = start_mesh(
        processes,
        [("inventory-1", {})],
        routes=routes,
        service_extra={"outlier_detection": {"enabled": False}},
    )
    status, headers = fetch(f"{mesh.url}/slow/2000", "inventory")
    assert (status, headers.get("x-mesh-error")) == (504, "upstream-timeout")
    status, headers = fetch(f"{mesh.url}/slow/10", "inventory")
    assert status == 200
    victim = mesh.instances[0].sidecar
    assert victim is not None
    victim.stop(timeout=0)
    status, headers = fetch(f"{mesh.url}/", "inventory")
    assert status in (502, 503) and headers.get("x-mesh-error") in (
        "connect-failure",
        "upstream-reset",
    )


async def test_sigterm_finishes_in_flight_requests(processes: ProcessPool) -> None:
    mesh = start_mesh(processes, [("inventory-1", {})])
    server = mesh.instances[0].sidecar
    assert server is not None
    slow = asyncio.create_task(
        drive(mesh.url, host="inventory", path="/slow/1500", requests=4, concurrency=4),
        name="slow requests",
    )
    await asyncio.sleep(0.5)
    server.signal(signal.SIGTERM)
    result = await slow
    assert result.statuses[200] == 4, result
    assert server.proc.wait(10) == 0


async def test_draining_sidecar_reports_not_ready_until_it_exits(processes: ProcessPool) -> None:
    mesh = start_mesh(processes, [("inventory-1", {})])
    server = mesh.instances[0].sidecar
    assert server is not None
    ready_url = f"{server.metrics_url}/ready"
    assert fetch(ready_url, "x")[0] == 200
    slow = asyncio.create_task(
        drive(mesh.url, host="inventory", path="/slow/2000", requests=2, concurrency=2),
        name="slow requests",
    )
    await asyncio.sleep(0.5)
    server.signal(signal.SIGTERM)
    await asyncio.sleep(0.3)
    status = await asyncio.to_thread(fetch, ready_url, "x")
    assert status[0] == 503
    result = await slow
    assert result.statuses[200] == 2, result
    assert await asyncio.to_thread(server.proc.wait, 10) == 0


async def test_breaker_overflow_is_answered_fast(processes: ProcessPool) -> None:
    mesh = start_mesh(
        processes,
        [("inventory-1", {})],
        service_extra={"circuit_breaker": {"max_requests": 2, "max_pending": 2}},
    )
    result = await drive(mesh.url, host="inventory", path="/slow/1000", requests=8, concurrency=8)
    assert result.statuses[200] == 2, result
    assert result.mesh_errors["overflow"] == 6, result
    assert 'response_flags="UO"' in mesh.client.metrics()


def test_silent_client_is_timed_out(processes: ProcessPool) -> None:
    mesh = start_mesh(
        processes, [("inventory-1", {})], client_settings={"limits": {"header_timeout": "500ms"}}
    )
    with socket.create_connection(("127.0.0.1", mesh.client.ports.outbound), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: inv")  # and then nothing
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 408"), answer
