"""Ports for servers about to start: distinct, free, and out of the range client connections
take their local ports from."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from meshgui.demo import ports
from meshgui.demo.ports import free_ports


def test_ports_are_distinct_bindable_and_below_the_ephemeral_range() -> None:
    chosen = free_ports(40)
    assert len(set(chosen)) == 40
    start = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    assert all(ports.LOWEST <= port < start for port in chosen)
    for port in chosen:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", port))


def test_a_port_in_use_is_not_chosen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        taken = busy.getsockname()[1]
        # Only `taken` and four more below the "ephemeral range" this machine claims.
        range_file = tmp_path / "range"
        range_file.write_text(f"{taken + 5} 60999\n")
        monkeypatch.setattr(ports, "LOWEST", taken)
        monkeypatch.setattr(ports, "EPHEMERAL_RANGE", range_file)
        chosen = free_ports(1)
        assert chosen[0] != taken
        assert taken < chosen[0] < taken + 5


def test_without_room_below_the_range_the_kernel_chooses(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    range_file = tmp_path / "range"
    range_file.write_text(f"{ports.LOWEST + 3} 60999\n")
    monkeypatch.setattr(ports, "EPHEMERAL_RANGE", range_file)
    real_start = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    chosen = free_ports(5)
    assert len(set(chosen)) == 5
    assert all(port >= real_start for port in chosen)  # the kernel's own choice


def test_a_process_never_offers_a_port_twice_before_going_round_the_range() -> None:
    """A port offered a moment ago may not be bound yet: offering it again would let two
    servers race for it (random choices repeated within a few hundred here)."""
    offered = [port for _ in range(60) for port in free_ports(6)]
    assert len(set(offered)) == len(offered)
