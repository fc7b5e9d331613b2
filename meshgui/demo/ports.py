"""Free loopback ports for servers started in a moment by other processes (the demo's, the
tests', the benchmarks').

A port the kernel hands out for `bind(("127.0.0.1", 0))` comes from the ephemeral range, the same
range every outgoing connection takes its local port from: between choosing such a port and the
server binding it, any client connecting anywhere may take it, and the server then fails to start
("address already in use"). Ports are therefore chosen below that range, where only an explicit
bind can take them. A process hands them out in turn from a random starting point, so it never
gives the same port twice before it has gone round the whole range (a port chosen a moment ago
may not be bound yet), and concurrent processes start far apart. Each port is checked by binding
it, and all of one call's are held until every one is chosen.
"""

from __future__ import annotations

import random
import socket
import threading
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


_lock = threading.Lock()
_next: int | None = None
"""The next port this process offers (below the ephemeral range); random at first."""


def free_ports(count: int, host: str = LOOPBACK) -> list[int]:
    """`count` distinct ports that are free on `host` now and outside the ephemeral range (or
    from the kernel when that range leaves too little room below it)."""
    global _next
    top = _ephemeral_start()
    span = top - LOWEST
    socks: list[socket.socket] = []
    try:
        with _lock:
            if span >= 4 * count:
                if _next is None or not LOWEST <= _next < top:
                    _next = random.randrange(LOWEST, top)
                for _ in range(span):
                    if len(socks) == count:
                        break
                    port, _next = _next, LOWEST + (_next + 1 - LOWEST) % span
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
