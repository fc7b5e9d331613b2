"""The timer wheel fires each deadline once, never early, and stops ticking when idle."""

from __future__ import annotations

import asyncio
from typing import cast

from proxy.http.timers import TimerWheel
from tests.proxy.http.fakes import FakeLoop


class Target:
    def __init__(self) -> None:
        self.fired: list[float] = []

    def on_timer(self, now: float) -> None:
        self.fired.append(now)


def test_fires_due_targets_once_and_never_early() -> None:
    loop = asyncio.new_event_loop()
    try:
        wheel = TimerWheel(loop, resolution=0.01)
        early, late = Target(), Target()
        base = loop.time()
        wheel.schedule(base + 0.05, early)
        wheel.schedule(base + 0.50, late)
        wheel.fire_due(base + 0.049)
        assert early.fired == []
        wheel.fire_due(base + 0.07)
        assert len(early.fired) == 1 and late.fired == []
        wheel.fire_due(base + 0.07)
        assert len(early.fired) == 1  # once only
        wheel.fire_due(base + 0.52)
        assert len(late.fired) == 1
    finally:
        loop.close()


def test_cancelled_target_does_not_fire_and_wheel_empties() -> None:
    loop = asyncio.new_event_loop()
    try:
        wheel = TimerWheel(loop, resolution=0.01)
        target = Target()
        key = wheel.schedule(loop.time() + 0.02, target)
        assert len(wheel) == 1
        wheel.cancel(key, target)
        assert len(wheel) == 0
        wheel.fire_due(loop.time() + 1)
        assert target.fired == []
    finally:
        loop.close()


async def test_ticks_only_while_something_is_scheduled() -> None:
    loop = asyncio.get_running_loop()
    wheel = TimerWheel(loop, resolution=0.01)
    wheel.start()
    assert wheel._handle is None  # idle: no wake-ups
    target = Target()
    wheel.schedule(loop.time() + 0.02, target)
    assert wheel._handle is not None
    for _ in range(100):  # bounded wait for the real loop to tick
        if target.fired:
            break
        await asyncio.sleep(0.01)
    assert len(target.fired) == 1
    await asyncio.sleep(0.03)
    assert wheel._handle is None
    wheel.stop()


def test_the_loop_timer_is_set_for_the_earliest_bucket_only() -> None:
    loop = FakeLoop(now=100.0)
    wheel = TimerWheel(cast(asyncio.AbstractEventLoop, loop), resolution=0.01)
    wheel.start()
    late, early = Target(), Target()
    wheel.schedule(105.0, late)
    [planned] = [h for h in loop.handles if not h.cancelled]
    assert 105.0 < planned.when < 105.03  # one wake-up at the deadline, no ticking meanwhile
    wheel.schedule(101.0, early)
    [replanned] = [h for h in loop.handles if not h.cancelled]
    assert 101.0 < replanned.when < 101.03
    loop.advance(1.1)
    assert len(early.fired) == 1 and late.fired == []
    loop.advance(4.0)
    assert len(late.fired) == 1
    assert not [h for h in loop.handles if not h.cancelled]  # idle again: nothing planned


def test_a_target_scheduled_while_firing_waits_for_its_own_bucket() -> None:
    loop = FakeLoop(now=10.0)
    wheel = TimerWheel(cast(asyncio.AbstractEventLoop, loop), resolution=0.01)

    class Rearming(Target):
        def on_timer(self, now: float) -> None:
            super().on_timer(now)
            if len(self.fired) == 1:
                wheel.schedule(now, self)  # "now" again: must not fire in the same pass

    target = Rearming()
    wheel.schedule(10.05, target)
    wheel.fire_due(10.07)
    assert len(target.fired) == 1
    wheel.fire_due(10.09)
    assert len(target.fired) == 2
