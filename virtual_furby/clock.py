"""Clocks for the virtual Furby: the link and the toy never read wall-clock time directly.

* :class:`LoopClock` follows the running event loop's ``time()`` (optionally sped up). On the
  virtual-time loop of :mod:`virtual_furby.virtual_time` that time is virtual too.
* :class:`ManualClock` only moves when a test says so (``await clock.advance(s)`` or
  ``await clock.run_until_idle()``), firing its timers in order and letting the event loop settle
  after each one, so timing tests are exact and deterministic.
* :class:`ClockDriver` moves a :class:`ManualClock` by itself whenever the event loop has nothing
  else to do, jumping to the next timer when it is due soon: link delays then cost no real time
  but keep their order and relative timing. Explicit advances take precedence over it.
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
    """A source of time and timers for the toy and its radio."""

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

    def now(self) -> float:
        """Return the loop's time times ``speed`` (monotonic time before any loop ran)."""
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            if self._loop is None:
                return time.monotonic() * self.speed
        return self._loop.time() * self.speed

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
        self._moving = 0
        self._listeners: list[Callable[[], None]] = []

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
        self._notify()
        return timer

    @property
    def moving(self) -> bool:
        """True while an explicit ``advance()`` or ``run_until_idle()`` is running."""
        return self._moving > 0

    def add_listener(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener()`` when a timer is added or an explicit move ends; return a remover."""
        self._listeners.append(listener)

        def remove() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return remove

    def _notify(self) -> None:
        for listener in tuple(self._listeners):
            listener()

    def fire_next(self) -> float | None:
        """Run the next live timer now (moving time to its due time); return that time.

        Returns None when no timer is pending. Used by :class:`ClockDriver`; tests advance.
        """
        self._drop_cancelled_head()
        if not self._timers:
            return None
        timer = heapq.heappop(self._timers)
        self._now = max(self._now, timer.when)
        timer.callback()
        return timer.when

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
        self._moving += 1
        try:
            await self._run_due(target)
            self._now = target
            await settle()
        finally:
            self._moving -= 1
            self._notify()

    async def run_until_idle(self, max_seconds: float = 3600.0) -> float:
        """Jump from timer to timer until none is pending (at most ``max_seconds`` ahead).

        Returns the virtual time that passed. Periodic timers (a sensor stream) never let the
        clock go idle: then this stops at ``max_seconds``.
        """
        start = self._now
        deadline = start + max_seconds
        self._moving += 1
        try:
            await settle()
            while (due := self.next_timer_at()) is not None and due <= deadline:
                await self._run_due(due)
        finally:
            self._moving -= 1
            self._notify()
        return self._now - start


class ClockDriver:
    """Moves a :class:`ManualClock` on by itself whenever the event loop has nothing else to do.

    When the loop has no ready callbacks left and the clock's next timer is due within
    ``max_jump`` seconds, the driver moves the clock to that timer and runs it, then lets the loop
    settle before looking again. Link delays (connection events, the toy's file intake, the
    connect delay) thus cost no real time but keep their order and relative timing. Longer gaps
    (a held sensor, the toy's upload timeout, a scheduled fault) are left to the test, which moves
    the clock over them explicitly; time also passes over them while traffic keeps the clock busy.

    While an explicit ``advance()``/``run_until_idle()`` runs the driver stands aside, so explicit
    moves stay exact. The driver is a chain of event-loop callbacks, not a task: it never keeps
    the loop awake while idle and leaves nothing to await when stopped. An exception raised by a
    timer it runs stops it and is raised again by :meth:`stop` (or :meth:`check`).
    """

    def __init__(self, clock: ManualClock, *, max_jump: float = 0.25) -> None:
        """Drive ``clock``; gaps up to ``max_jump`` seconds are jumped over automatically."""
        if not (max_jump >= 0 and math.isfinite(max_jump)):
            raise ValueError(f"max_jump must be a finite number >= 0, got {max_jump!r}")
        self.clock = clock
        self.max_jump = max_jump
        self.jumps = 0
        self.error: Exception | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._handle: asyncio.Handle | None = None
        self._remove_listener: Callable[[], None] | None = None
        self._busy_turns = 0
        self._idle_waiters: list[asyncio.Future[None]] = []

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop` (and while no timer has failed)."""
        return self._loop is not None

    def start(self) -> None:
        """Start driving the clock on the running event loop."""
        if self._loop is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._remove_listener = self.clock.add_listener(self._poke)
        self._poke()

    async def idle(self) -> None:
        """Wait until the loop has nothing to run and no timer is due within ``max_jump``.

        Returns at once (after one loop turn) when the driver is not running.
        """
        if self._loop is None:
            await asyncio.sleep(0)
            return
        waiter: asyncio.Future[None] = self._loop.create_future()
        self._idle_waiters.append(waiter)
        self._poke()
        try:
            await waiter
        finally:
            with contextlib.suppress(ValueError):
                self._idle_waiters.remove(waiter)

    def _wake_idle_waiters(self) -> None:
        waiters, self._idle_waiters = self._idle_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def stop(self) -> None:
        """Stop driving; raise the exception of a timer that failed under the driver, if any."""
        self._halt()
        self.check()

    def check(self) -> None:
        """Raise the exception of a timer that failed under the driver, if any."""
        if self.error is not None:
            raise self.error

    def _halt(self) -> None:
        self._loop = None
        if self._remove_listener is not None:
            self._remove_listener()
            self._remove_listener = None
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self._wake_idle_waiters()

    def _poke(self) -> None:
        if self._loop is not None and self._handle is None and not self._loop.is_closed():
            self._handle = self._loop.call_soon(self._turn)

    def _turn(self) -> None:
        self._handle = None
        loop = self._loop
        if loop is None or self.clock.moving:
            return  # an explicit move runs the timers; it pokes the driver when it ends
        due = self.clock.next_timer_at()
        near = due is not None and due - self.clock.now() <= self.max_jump
        if not near and not self._idle_waiters:
            return  # idle until a timer is added or a test moves the clock
        ready = getattr(loop, "_ready", None)
        busy = bool(ready) if ready is not None else self._busy_turns < 50
        if busy and self._busy_turns < _SETTLE_ROUNDS:
            self._busy_turns += 1  # other work is runnable: let it run first
            self._handle = loop.call_soon(self._turn)
            return
        self._busy_turns = 0
        if not near:
            self._wake_idle_waiters()
            return
        try:
            self.clock.fire_next()
        except Exception as err:  # kept for stop()/check(), like a failed advance()
            self.error = err
            self._halt()
            return
        self.jumps += 1
        self._poke()
