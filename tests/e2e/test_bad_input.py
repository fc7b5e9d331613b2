"""Bad input never takes a sidecar down: fuzzed requests, slow clients, broken config files."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.harness.processes import ProcessPool, RunningSidecar
from tests.harness.topology import LiveMesh, start_mesh

pytestmark = pytest.mark.e2e

VALID = b"GET /ok HTTP/1.1\r\nHost: inventory\r\nContent-Length: 5\r\n\r\nhello"


@pytest.fixture(scope="module")
def fuzz_mesh(tmp_path_factory: pytest.TempPathFactory) -> LiveMesh:
    pool = ProcessPool(tmp_path_factory.mktemp("fuzz"))
    try:
        yield start_mesh(pool, [("inventory-1", {})])  # type: ignore[misc]
    finally:
        pool.stop_all()


def poke(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.settimeout(2)
        try:
            sock.sendall(payload)
            sock.shutdown(socket.SHUT_WR)
            return sock.recv(65536)
        except (TimeoutError, ConnectionError):
            return b""


def still_serves(sidecar: RunningSidecar) -> None:
    assert sidecar.alive(), sidecar.log()
    answer = poke(
        sidecar.ports.outbound, VALID.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1)
    )
    assert answer.startswith(b"HTTP/1.1 200"), answer


mutations = st.one_of(
    st.binary(max_size=300),
    st.builds(
        lambda cut, junk: VALID[:cut] + junk + VALID[cut:],
        st.integers(0, len(VALID)),
        st.binary(min_size=1, max_size=40),
    ),
    st.builds(
        lambda line: b"GET / HTTP/1.1\r\nHost: inventory\r\n" + line + b"\r\n\r\n",
        st.binary(max_size=200),
    ),
    st.builds(
        lambda size: (
            b"POST / HTTP/1.1\r\nHost: inventory\r\nTransfer-Encoding: chunked\r\n\r\n"
            + size
            + b"\r\nabc\r\n0\r\n\r\n"
        ),
        st.binary(max_size=20),
    ),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=mutations)
def test_fuzzed_requests_never_take_the_sidecar_down(fuzz_mesh: LiveMesh, payload: bytes) -> None:
    answer = poke(fuzz_mesh.client.ports.outbound, payload)
    if answer:
        assert answer.startswith(b"HTTP/1.1 "), answer
    assert fuzz_mesh.client.alive(), fuzz_mesh.client.log()


def test_after_fuzzing_the_sidecar_still_serves(fuzz_mesh: LiveMesh) -> None:
    still_serves(fuzz_mesh.client)
    assert "Traceback" not in fuzz_mesh.client.log(), fuzz_mesh.client.log()


def test_check_config_names_file_field_and_reason(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "sidecar: {service: web, instance: web-1}\n"
        "mesh:\n  services:\n    inventory:\n      endpoints:\n"
        "        - {name: inv-1, address: '127.0.0.1:99999'}\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "proxy", "--check-config", str(bad)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    assert str(bad) in result.stderr
    assert "mesh.services.inventory.endpoints[0].address" in result.stderr
    assert "Traceback" not in result.stderr
    sample = Path(__file__).resolve().parents[2] / "resources" / "samples" / "mesh-sidecar.yaml"
    ok = subprocess.run(
        [sys.executable, "-m", "proxy", "--check-config", str(sample)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("OK: ")


def test_running_with_a_broken_file_fails_clearly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("sidecar: {service: web\n")
    result = subprocess.run(
        [sys.executable, "-m", "proxy", "--config", str(bad)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    assert "line" in result.stderr and str(bad) in result.stderr
    assert "Traceback" not in result.stderr
