"""The data plane end to end: app -> outbound sidecar -> inbound sidecar -> app, real processes."""

from __future__ import annotations

import socket

import aiohttp
import pytest

from tests.harness.processes import ProcessPool
from tests.harness.topology import start_mesh

pytestmark = pytest.mark.e2e


async def test_request_flows_through_two_sidecars(processes: ProcessPool) -> None:
    mesh = start_mesh(processes, [("inventory-1", {"version": "v1"})])
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{mesh.url}/items", headers={"Host": "inventory"}) as resp:
            assert resp.status == 200
            assert resp.headers["x-served-by"] == "inventory-1"
        async with http.post(
            f"{mesh.url}/echo", headers={"Host": "inventory"}, data=b"x" * 100_000
        ) as resp:
            assert resp.status == 200
            assert await resp.read() == b"x" * 100_000

    client_metrics = mesh.client.metrics()
    assert 'reporter="source"' in client_metrics
    assert 'destination_workload="inventory-v1"' in client_metrics
    server = mesh.instances[0].sidecar
    assert server is not None
    server_metrics = server.metrics()
    assert 'reporter="destination",source_workload="web"' in server_metrics
    assert 'destination_workload="inventory-v1"' in server_metrics


def raw_exchange(port: int, payload: bytes) -> bytes:
    """Send raw bytes and read until the proxy closes (payloads end with Connection: close)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(payload)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
        return data


def test_pipelined_and_chunked_requests(processes: ProcessPool) -> None:
    mesh = start_mesh(processes, [("inventory-1", {})])
    port = mesh.client.ports.outbound
    pipelined = (
        b"GET /a HTTP/1.1\r\nHost: inventory\r\n\r\n"
        b"POST /echo HTTP/1.1\r\nHost: inventory\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
        b"GET /c HTTP/1.1\r\nHost: inventory\r\nConnection: close\r\n\r\n"
    )
    data = raw_exchange(port, pipelined)
    assert data.count(b"HTTP/1.1 200") == 3, data
    assert b"hello world" in data
    # In order: the echo's body comes between the first and the last answer.
    first, rest = data.split(b"hello world", 1)
    assert b"inventory-1" in first and b"inventory-1" in rest


def test_mesh_errors_are_marked(processes: ProcessPool) -> None:
    mesh = start_mesh(processes, [("inventory-1", {})])
    port = mesh.client.ports.outbound
    answer = raw_exchange(port, b"GET / HTTP/1.1\r\nHost: nowhere\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 404")
    assert b"x-mesh-error: no-route" in answer
    # An app's own 503 passes through unmarked.
    answer = raw_exchange(
        port, b"GET /status/503 HTTP/1.1\r\nHost: inventory\r\nConnection: close\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 503") and b"x-mesh-error" not in answer


def test_malformed_request_gets_400_and_close(processes: ProcessPool) -> None:
    mesh = start_mesh(processes, [("inventory-1", {})])
    answer = raw_exchange(mesh.client.ports.outbound, b"GARBAGE\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400")
    big = b"GET / HTTP/1.1\r\nHost: inventory\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n"
    answer = raw_exchange(mesh.client.ports.outbound, big)
    assert answer.startswith(b"HTTP/1.1 431")
    assert mesh.client.alive()


async def test_upstream_connections_are_reused(processes: ProcessPool) -> None:
    """Keep-alive all the way: sequential requests reach the app over one pooled connection
    (a regression: reading llhttp's keep-alive flag too late closed every connection)."""
    mesh = start_mesh(processes, [("inventory-1", {})])
    ports = set()
    async with aiohttp.ClientSession() as http:
        for _ in range(20):
            async with http.get(f"{mesh.url}/hello", headers={"Host": "inventory"}) as resp:
                assert resp.status == 200
                ports.add(resp.headers["x-peer-port"])
    assert len(ports) == 1, ports
