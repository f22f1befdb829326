"""The clocks and the virtual-time event loop."""

from __future__ import annotations

import asyncio
import time

import pytest

from virtual_furby.clock import ClockDriver, LoopClock, ManualClock, settle
from virtual_furby.toy import VirtualFurby
from virtual_furby.virtual_time import VirtualTimeEventLoop, run_in_virtual_time

from .host import Host


async def test_manual_clock_runs_timers_in_time_order() -> None:
    """A ManualClock runs its timers in time order (creation order on ties) as it advances."""
    clock = ManualClock(start=100.0)
    fired: list[tuple[str, float]] = []
    clock.call_later(2, lambda: fired.append(("b", clock.now())))
    clock.call_later(1, lambda: fired.append(("a", clock.now())))
    clock.call_later(2, lambda: fired.append(("c", clock.now())))  # same time: creation order
    clock.call_later(5, lambda: fired.append(("late", clock.now())))
    assert clock.pending_timers == 4
    assert clock.next_timer_at() == 101.0
    await clock.advance(2)
    assert fired == [("a", 101.0), ("b", 102.0), ("c", 102.0)]
    assert clock.now() == 102.0
    assert clock.pending_timers == 1


async def test_manual_clock_cancel_and_sleep() -> None:
    """A cancelled timer never runs; sleep() ends when the clock reaches it."""
    clock = ManualClock()
    fired: list[int] = []
    handle = clock.call_later(1, lambda: fired.append(1))
    handle.cancel()
    assert clock.pending_timers == 0
    assert clock.next_timer_at() is None
    woke: list[float] = []

    async def sleeper() -> None:
        await clock.sleep(3)
        woke.append(clock.now())

    task = asyncio.create_task(sleeper())
    await clock.advance(2.5)
    assert woke == []
    await clock.advance(0.5)
    await task
    assert woke == [3.0]
    assert fired == []


async def test_cancelled_sleep_leaves_no_timer() -> None:
    """Cancelling a sleep removes its timer."""
    clock = ManualClock()
    task = asyncio.create_task(clock.sleep(10))
    await settle()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert clock.pending_timers == 0


async def test_timers_scheduled_by_woken_tasks_run_in_the_same_advance() -> None:
    """Timers set by tasks an advance woke still run within that advance."""
    clock = ManualClock()
    times: list[float] = []

    async def chain() -> None:
        for _ in range(3):
            await clock.sleep(1)
            times.append(clock.now())

    task = asyncio.create_task(chain())
    await clock.advance(3)
    await task
    assert times == [1.0, 2.0, 3.0]


async def test_run_until_idle_and_its_limit() -> None:
    """run_until_idle jumps from timer to timer and stops at its limit."""
    clock = ManualClock()
    clock.call_later(7, lambda: None)
    assert await clock.run_until_idle() == 7.0

    def tick() -> None:
        clock.call_later(1, tick)

    tick()
    assert await clock.run_until_idle(max_seconds=10) == pytest.approx(10.0)
    assert clock.pending_timers == 1


@pytest.mark.parametrize("seconds", [-1.0, float("inf"), float("nan")])
async def test_manual_clock_refuses_bad_advances(seconds: float) -> None:
    """Advancing by a negative or infinite time is refused."""
    with pytest.raises(ValueError, match="finite, non-negative"):
        await ManualClock().advance(seconds)


async def test_loop_clock_follows_the_loop() -> None:
    """A LoopClock reads the loop's time times its speed, and its timers follow."""
    loop = asyncio.get_running_loop()
    clock = LoopClock(speed=4)
    assert clock.now() == pytest.approx(loop.time() * 4, abs=0.1)
    fired = asyncio.Event()
    handle = clock.call_later(0, fired.set)
    await clock.sleep(0)
    await fired.wait()
    handle.cancel()


def test_loop_clock_without_a_loop_uses_monotonic_time() -> None:
    """Without a running loop a LoopClock reads monotonic time."""
    clock = LoopClock(speed=2)
    assert clock.now() == pytest.approx(time.monotonic() * 2, abs=0.5)


@pytest.mark.parametrize("speed", [0.0, -1.0, float("inf")])
def test_loop_clock_refuses_bad_speeds(speed: float) -> None:
    """A LoopClock speed must be positive and finite."""
    with pytest.raises(ValueError, match="speed"):
        LoopClock(speed)


def test_virtual_loop_jumps_over_sleeps() -> None:
    """The virtual-time loop jumps over sleeps without waiting for real."""

    async def main() -> float:
        loop = asyncio.get_running_loop()
        start = loop.time()
        await asyncio.sleep(3600)
        async with asyncio.timeout(10):
            await asyncio.sleep(5)
        return loop.time() - start

    started = time.perf_counter()
    assert run_in_virtual_time(main()) == pytest.approx(3605)
    assert time.perf_counter() - started < 60  # an hour of virtual time is not waited for


def test_virtual_loop_times_out() -> None:
    """asyncio.timeout fires on virtual time."""

    async def main() -> None:
        async with asyncio.timeout(2):
            await asyncio.Event().wait()

    with pytest.raises(TimeoutError):
        run_in_virtual_time(main(), start=50.0)


def test_virtual_time_stands_still_during_executor_jobs() -> None:
    """Virtual time does not move while an executor job runs."""

    def blocking_io() -> str:
        time.sleep(0.05)  # real blocking work in the executor thread (not a wait in the test)
        return "done"

    async def main() -> tuple[float, float]:
        loop = asyncio.get_running_loop()
        start = loop.time()
        ticker = asyncio.ensure_future(asyncio.sleep(1))  # a timer the loop could jump to
        job = asyncio.ensure_future(asyncio.to_thread(blocking_io))
        await asyncio.sleep(0)
        assert isinstance(loop, VirtualTimeEventLoop)
        assert loop.executor_jobs == 1
        assert await job == "done"
        during = loop.time() - start
        await ticker
        return during, loop.time() - start

    during, after = run_in_virtual_time(main())
    assert during == 0.0
    assert after == pytest.approx(1.0)


def test_virtual_loop_refuses_to_go_back() -> None:
    """The virtual loop's time cannot go backwards."""
    loop = VirtualTimeEventLoop()
    try:
        with pytest.raises(ValueError, match="backwards"):
            loop.advance(-1)
    finally:
        loop.close()


def test_toy_on_loop_clock_in_virtual_time() -> None:
    """A toy on a LoopClock runs on the virtual loop's time."""

    async def main() -> float:
        toy = VirtualFurby()  # LoopClock: virtual on this loop
        host = Host(toy)
        await host.connect()
        start = asyncio.get_running_loop().time()
        await host.send("dab91383-b5a1-e29c-b041-bcd562613bde", "200d")
        await asyncio.sleep(10)
        await host.send("dab91383-b5a1-e29c-b041-bcd562613bde", "200e")
        await host.client.disconnect()
        assert len([p for p in host.gp if p[0] == 0x21]) >= 99
        return asyncio.get_running_loop().time() - start

    assert run_in_virtual_time(main()) == pytest.approx(10.0, abs=0.05)


async def test_driver_runs_near_timers_when_the_loop_is_idle() -> None:
    """The driver fires timers due within max_jump when the loop is idle, not farther ones."""
    clock = ManualClock()
    driver = ClockDriver(clock, max_jump=0.25)
    fired: list[tuple[str, float]] = []
    clock.call_later(0.2, lambda: fired.append(("b", clock.now())))
    clock.call_later(0.1, lambda: fired.append(("a", clock.now())))
    clock.call_later(0.5, lambda: fired.append(("far", clock.now())))
    driver.start()
    try:
        await driver.idle()
        assert fired == [("a", 0.1), ("b", 0.2)]  # in order, at their own times
        assert clock.pending_timers == 1  # 0.3 s away: left to the test
        await clock.advance(0.3)
        assert fired[-1] == ("far", 0.5)
        assert clock.now() == pytest.approx(0.5)
    finally:
        driver.stop()
    assert not driver.running


async def test_driver_carries_a_chain_of_link_delays() -> None:
    """The driver carries a chain of short delays to its end."""
    clock = ManualClock()
    driver = ClockDriver(clock)
    driver.start()
    try:
        times: list[float] = []
        for _ in range(40):  # 40 x 15 ms = 0.6 s: more than one jump, never a long gap
            await clock.sleep(0.015)
            times.append(clock.now())
        assert times[-1] == pytest.approx(0.6)
        assert driver.jumps == 40
    finally:
        driver.stop()


async def test_driver_lets_other_work_run_first() -> None:
    """Ready work runs before the driver moves the clock."""
    clock = ManualClock()
    driver = ClockDriver(clock)
    steps: list[str] = []

    async def busy() -> None:
        for _ in range(5):
            steps.append("work")
            await asyncio.sleep(0)

    clock.call_later(0.01, lambda: steps.append("timer"))
    driver.start()
    task = asyncio.create_task(busy())
    try:
        await task
        await driver.idle()
    finally:
        driver.stop()
    assert steps == ["work"] * 5 + ["timer"]


async def test_explicit_advance_takes_precedence_over_the_driver() -> None:
    """An explicit advance runs exactly; the driver stands aside meanwhile."""
    clock = ManualClock()
    driver = ClockDriver(clock)
    seen: list[float] = []
    fifteen = asyncio.Event()

    def tick() -> None:
        seen.append(clock.now())
        if len(seen) == 15:
            fifteen.set()
        clock.call_later(0.1, tick)

    driver.start()
    try:
        clock.call_later(0.1, tick)
        await clock.advance(1.0)
        assert seen == pytest.approx([0.1 * n for n in range(1, 11)])
        assert clock.now() == pytest.approx(1.0)
        await fifteen.wait()  # then the driver carries on from there, in step
        assert seen[:15] == pytest.approx([0.1 * n for n in range(1, 16)])
    finally:
        driver.stop()


async def test_a_failing_timer_stops_the_driver_and_is_raised() -> None:
    """A timer that raises stops the driver and is raised by check() and stop()."""
    clock = ManualClock()
    driver = ClockDriver(clock)

    def boom() -> None:
        raise RuntimeError("boom")

    clock.call_later(0.05, boom)
    driver.start()
    await driver.idle()
    assert not driver.running
    with pytest.raises(RuntimeError, match="boom"):
        driver.stop()


async def test_idle_without_a_running_driver_returns() -> None:
    """idle() on a driver that is not running returns at once."""
    driver = ClockDriver(ManualClock())
    await driver.idle()
    assert not driver.running
    driver.stop()


def test_driver_refuses_bad_jumps() -> None:
    """A driver's max_jump must be finite and not negative."""
    with pytest.raises(ValueError, match="max_jump"):
        ClockDriver(ManualClock(), max_jump=float("inf"))
