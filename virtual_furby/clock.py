"""Clocks for the virtual Furby: the link and the toy never read wall-clock time directly.

* :class:`LoopClock` follows the running event loop's ``time()`` (optionally sped up). On the
  virtual-time loop of :mod:`virtual_furby.virtual_time` that time is virtual too.
* :class:`ManualClock` only moves when a test says so (``await clock.advance(s)`` or
  ``await clock.run_until_idle()``), firing its timers in order and letting the event loop settle
  after each one, so timing tests are exact and deterministic.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import math
import time
from collections.abc import Callable
from typing import Protocol

_SETTLE_ROUNDS = 10_000
"""Upper bound on event-loop turns while waiting for the loop to run out of ready callbacks."""


class TimerHandle(Protocol):
    """What ``call_later`` returns: something that can be cancelled."""

    def cancel(self) -> None:
        """Cancel the timer; a cancelled timer never runs."""


class Clock(Protocol):
    """A source of time and timers for the toy and the link model."""

    def now(self) -> float:
        """Return the current time in seconds (only differences are meaningful)."""

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of this clock's time."""

    def call_later(self, delay: float, callback: Callable[[], None]) -> TimerHandle:
        """Run ``callback`` (on the event loop) after ``delay`` seconds of this clock's time."""


class LoopClock:
    """Event-loop time, optionally running ``speed`` times faster (for the demo).

    ``now()`` is ``loop.time() * speed``; timers and sleeps are shortened by ``speed``.
    """

    def __init__(self, speed: float = 1.0) -> None:
        """Create a clock; ``speed`` must be a positive, finite factor."""
        if not (speed > 0 and math.isfinite(speed)):
            raise ValueError(f"speed must be a positive finite number, got {speed!r}")
        self.speed = speed
        self._loop: asyncio.AbstractEventLoop | None = None

    def _get_loop(self) -> asyncio.AbstractEventLoop | None:
        with contextlib.suppress(RuntimeError):
            self._loop = asyncio.get_running_loop()
        return self._loop

    def now(self) -> float:
        """Return the loop's time times ``speed`` (monotonic time before any loop ran)."""
        loop = self._get_loop()
        base = loop.time() if loop is not None else time.monotonic()
        return base * self.speed

    async def sleep(self, seconds: float) -> None:
        """Sleep ``seconds`` of clock time on the running loop."""
        await asyncio.sleep(max(seconds, 0.0) / self.speed)

    def call_later(self, delay: float, callback: Callable[[], None]) -> TimerHandle:
        """Schedule ``callback`` on the running loop after ``delay`` seconds of clock time."""
        return asyncio.get_running_loop().call_later(max(delay, 0.0) / self.speed, callback)


class _ManualTimer:
    """One pending ``ManualClock`` timer; ordered by due time, then by creation order."""

    __slots__ = ("callback", "cancelled", "seq", "when")

    def __init__(self, when: float, seq: int, callback: Callable[[], None]) -> None:
        self.when = when
        self.seq = seq
        self.callback = callback
        self.cancelled = False

    def __lt__(self, other: _ManualTimer) -> bool:
        return (self.when, self.seq) < (other.when, other.seq)

    def cancel(self) -> None:
        """Cancel the timer."""
        self.cancelled = True


async def settle() -> None:
    """Let the running event loop run until it has no ready callbacks left.

    Tasks woken by a timer may schedule more work; this returns once all of it has run (or after
    a generous number of loop turns, so a busy loop cannot hang a test).
    """
    loop = asyncio.get_running_loop()
    ready = getattr(loop, "_ready", None)
    for _ in range(_SETTLE_ROUNDS if ready is not None else 50):
        await asyncio.sleep(0)
        if ready is not None and not ready:
            return


class ManualClock:
    """Virtual time that moves only when a test advances it.

    Timers due at the same time run in the order they were created.
    """

    def __init__(self, start: float = 0.0) -> None:
        """Start the clock at ``start`` seconds."""
        self._now = float(start)
        self._timers: list[_ManualTimer] = []
        self._seq = itertools.count()

    def now(self) -> float:
        """Return the current virtual time."""
        return self._now

    @property
    def pending_timers(self) -> int:
        """Number of timers that have not run and are not cancelled."""
        return sum(1 for timer in self._timers if not timer.cancelled)

    def next_timer_at(self) -> float | None:
        """Return when the next live timer is due, or None when none is pending."""
        self._drop_cancelled_head()
        return self._timers[0].when if self._timers else None

    def call_later(self, delay: float, callback: Callable[[], None]) -> TimerHandle:
        """Run ``callback`` when the clock reaches ``now() + delay``."""
        timer = _ManualTimer(self._now + max(delay, 0.0), next(self._seq), callback)
        heapq.heappush(self._timers, timer)
        return timer

    async def sleep(self, seconds: float) -> None:
        """Wait until a test has advanced the clock by ``seconds``."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def wake() -> None:
            if not future.done():
                future.set_result(None)

        timer = self.call_later(seconds, wake)
        try:
            await future
        finally:
            timer.cancel()

    def _drop_cancelled_head(self) -> None:
        while self._timers and self._timers[0].cancelled:
            heapq.heappop(self._timers)

    async def _run_due(self, target: float) -> None:
        await settle()
        while True:
            self._drop_cancelled_head()
            if not self._timers or self._timers[0].when > target:
                return
            timer = heapq.heappop(self._timers)
            self._now = max(self._now, timer.when)
            timer.callback()
            await settle()

    async def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``, running every timer that falls due on the way."""
        if not (seconds >= 0 and math.isfinite(seconds)):
            raise ValueError(f"can only advance by a finite, non-negative time, got {seconds!r}")
        target = self._now + seconds
        await self._run_due(target)
        self._now = target
        await settle()

    async def run_until_idle(self, max_seconds: float = 3600.0) -> float:
        """Jump from timer to timer until none is pending (at most ``max_seconds`` ahead).

        Returns the virtual time that passed. Periodic timers (a sensor stream) never let the
        clock go idle: then this stops at ``max_seconds``.
        """
        start = self._now
        deadline = start + max_seconds
        await settle()
        while (due := self.next_timer_at()) is not None and due <= deadline:
            await self._run_due(due)
        return self._now - start
