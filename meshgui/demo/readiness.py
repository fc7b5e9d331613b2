"""Waiting, with a bound, until every sidecar answers `GET /ready` and every app listens; a
failure names the process that let the run down and where its log is."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from meshgui.demo.supervisor import Child

PROBE_TIMEOUT_S = 0.5
POLL_INTERVAL_S = 0.1


class NotReadyError(Exception):
    """A child exited or did not become ready in time; the message names it and its log."""


class StartInterruptedError(Exception):
    """Stopping was asked for while the demo was still starting."""


@dataclass
class ReadinessCheck:
    child: Child
    probe: Callable[[], Awaitable[bool]]
    what: str
    """What is awaited, for messages: ``/ready on 127.0.0.1:4100``."""


def http_probe(host: str, port: int, path: str) -> Callable[[], Awaitable[bool]]:
    """True once ``GET path`` on (`host`, `port`) answers 200. A bare HTTP/1.0 exchange on a
    stream: this runs a few hundred times while everything starts, on a busy CPU."""
    request = f"GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode()

    async def probe() -> bool:
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(host, port), PROBE_TIMEOUT_S
            )
        except (OSError, TimeoutError):
            return False
        try:
            writer.write(request)
            status = await asyncio.wait_for(reader.readline(), PROBE_TIMEOUT_S)
        except (OSError, TimeoutError):
            return False
        finally:
            writer.close()
        return status.split(b" ", 2)[1:2] == [b"200"]

    return probe


def tcp_probe(host: str, port: int) -> Callable[[], Awaitable[bool]]:
    """True once something accepts connections on (`host`, `port`)."""

    async def probe() -> bool:
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), PROBE_TIMEOUT_S)
        except (OSError, TimeoutError):
            return False
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return True

    return probe


def _explain(check: ReadinessCheck, problem: str) -> str:
    tail = check.child.log_tail()
    shown = f"; last lines:\n{tail}" if tail else " (empty)"
    return f"{check.child.label} {problem}; its log is {check.child.log_path}{shown}"


async def wait_ready(
    checks: list[ReadinessCheck],
    timeout: float,
    stop: asyncio.Event,
    poll_interval: float = POLL_INTERVAL_S,
) -> None:
    """Return when every check passes. Raises NotReadyError or StartInterruptedError."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    pending = list(checks)
    while pending:
        if stop.is_set():
            raise StartInterruptedError()
        for check in pending:
            if not check.child.alive():
                code = check.child.proc.returncode
                raise NotReadyError(_explain(check, f"exited with code {code} before it was ready"))
        passed = await asyncio.gather(*(check.probe() for check in pending))
        pending = [check for check, ok in zip(pending, passed, strict=True) if not ok]
        if pending and loop.time() >= deadline:
            others = f" (and {len(pending) - 1} more)" if len(pending) > 1 else ""
            first = pending[0]
            problem = f"was not ready after {timeout:g} s, waiting for {first.what}{others}"
            raise NotReadyError(_explain(first, problem))
        if pending:
            await asyncio.sleep(poll_interval)
