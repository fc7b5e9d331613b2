"""Free loopback ports for servers started in a moment by other processes (the demo's, the
tests', the benchmarks').

A port the kernel hands out for `bind(("127.0.0.1", 0))` comes from the ephemeral range, the same
range every outgoing connection takes its local port from: between choosing such a port and the
server binding it, any client connecting anywhere may take it, and the server then fails to start
("address already in use"). Ports are therefore chosen below that range, where only an explicit
bind can take them, at random so that concurrent runs rarely try the same one; each is checked by
binding it, and all are held until every one is chosen so none repeats.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

LOOPBACK = "127.0.0.1"
LOWEST = 20_000
"""Below this, well-known services (databases, dev servers) tend to sit."""
EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
LINUX_EPHEMERAL_START = 32_768


def _ephemeral_start() -> int:
    try:
        return int(EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return LINUX_EPHEMERAL_START


def free_ports(count: int, host: str = LOOPBACK) -> list[int]:
    """`count` distinct ports that are free on `host` now and outside the ephemeral range (or
    from the kernel when that range leaves too little room below it)."""
    top = _ephemeral_start()
    candidates = list(range(LOWEST, top)) if top - LOWEST >= 4 * count else []
    random.shuffle(candidates)
    socks: list[socket.socket] = []
    try:
        for port in candidates:
            if len(socks) == count:
                break
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                sock.bind((host, port))
            except OSError:
                sock.close()
                continue
            socks.append(sock)
        while len(socks) < count:  # no room below the range: the kernel's choice
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((host, 0))
            socks.append(sock)
        return [int(sock.getsockname()[1]) for sock in socks]
    finally:
        for sock in socks:
            sock.close()


def free_port(host: str = LOOPBACK) -> int:
    return free_ports(1, host)[0]
