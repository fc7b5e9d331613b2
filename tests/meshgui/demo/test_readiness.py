"""Waiting for the run to come up: bounded, and a failure names the process and its log."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from meshgui.demo.readiness import (
    NotReadyError,
    ReadinessCheck,
    StartInterruptedError,
    wait_ready,
)
from meshgui.demo.supervisor import Child


class FakeProc:
    def __init__(self, returncode: int | None = None) -> None:
        self.returncode = returncode
        self.pid = 1234

    def poll(self) -> int | None:
        return self.returncode


def child(tmp_path: Path, name: str, returncode: int | None = None) -> Child:
    log = tmp_path / f"{name}.sidecar.log"
    log.write_text("starting\nERROR cannot bind 127.0.0.1:4000\n")
    return Child(name, "sidecar", [], log, FakeProc(returncode))  # type: ignore[arg-type]


def ready_after(polls: int) -> Callable[[], Awaitable[bool]]:
    seen = [0]

    async def probe() -> bool:
        seen[0] += 1
        return seen[0] > polls

    return probe


async def test_returns_once_every_probe_passes(tmp_path: Path) -> None:
    checks = [
        ReadinessCheck(child(tmp_path, "web-1"), ready_after(0), "/ready"),
        ReadinessCheck(child(tmp_path, "cart-1"), ready_after(3), "/ready"),
    ]
    await wait_ready(checks, timeout=60, stop=asyncio.Event(), poll_interval=0)


async def test_an_exited_child_is_named_with_its_log(tmp_path: Path) -> None:
    dead = child(tmp_path, "inventory-1", returncode=1)
    checks = [ReadinessCheck(dead, ready_after(100), "/ready")]
    with pytest.raises(NotReadyError) as caught:
        await wait_ready(checks, timeout=60, stop=asyncio.Event(), poll_interval=0)
    message = str(caught.value)
    assert "inventory-1's sidecar exited with code 1" in message
    assert str(dead.log_path) in message and "cannot bind" in message


async def test_the_wait_is_bounded(tmp_path: Path) -> None:
    checks = [
        ReadinessCheck(child(tmp_path, "web-1"), ready_after(10**9), "/ready on web"),
        ReadinessCheck(child(tmp_path, "cart-1"), ready_after(10**9), "/ready on cart"),
    ]
    with pytest.raises(
        NotReadyError,
        match=r"web-1's sidecar was not ready after 0 s, waiting "
        r"for /ready on web \(and 1 more\)",
    ):
        await wait_ready(checks, timeout=0, stop=asyncio.Event(), poll_interval=0)


async def test_stopping_interrupts_the_wait(tmp_path: Path) -> None:
    stop = asyncio.Event()
    stop.set()
    checks = [ReadinessCheck(child(tmp_path, "web-1"), ready_after(10**9), "/ready")]
    with pytest.raises(StartInterruptedError):
        await wait_ready(checks, timeout=60, stop=stop, poll_interval=0)
