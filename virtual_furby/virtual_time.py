"""An asyncio event loop whose clock is virtual: minutes of link time run in milliseconds.

``loop.time()`` starts at ``start`` and only moves when the loop has nothing ready to run: then it
jumps straight to the next timer instead of sleeping. It never jumps while an executor job is in
flight (``run_in_executor``, ``asyncio.to_thread``): the loop then waits for real until the job
is done, so blocking work never sees time race ahead of it. Socket I/O still works (it is polled
without waiting before each jump).

Everything that uses the loop's time follows it: ``asyncio.sleep``, ``call_later``,
``asyncio.timeout``, and :class:`~virtual_furby.clock.LoopClock`. Code reading ``time.monotonic()``
directly does not.

Use :func:`run_in_virtual_time` from a synchronous test::

    def test_upload_takes_minutes() -> None:
        elapsed = run_in_virtual_time(upload_everything())
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Callable, Coroutine, Mapping
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import FileDescriptorLike

REAL_POLL_SECONDS = 0.005
"""Longest real wait per loop turn while executor jobs run (time does not move meanwhile)."""


class _VirtualTimeSelector(selectors.BaseSelector):
    """A real selector that turns "sleep until the next timer" into a jump of virtual time."""

    def __init__(self) -> None:
        self._real = selectors.DefaultSelector()
        self.loop: VirtualTimeEventLoop | None = None

    def register(
        self, fileobj: FileDescriptorLike, events: int, data: object = None
    ) -> selectors.SelectorKey:
        return self._real.register(fileobj, events, data)

    def unregister(self, fileobj: FileDescriptorLike) -> selectors.SelectorKey:
        return self._real.unregister(fileobj)

    def modify(
        self, fileobj: FileDescriptorLike, events: int, data: object = None
    ) -> selectors.SelectorKey:
        return self._real.modify(fileobj, events, data)

    def get_map(self) -> Mapping[FileDescriptorLike, selectors.SelectorKey]:
        return self._real.get_map()

    def close(self) -> None:
        self._real.close()

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        loop = self.loop
        if loop is None or timeout is None or timeout <= 0:
            return self._real.select(timeout)
        ready = self._real.select(0)
        if ready:
            return ready
        if loop.executor_jobs:
            return self._real.select(min(timeout, REAL_POLL_SECONDS))
        loop.advance(timeout)
        return []


class VirtualTimeEventLoop(asyncio.SelectorEventLoop):
    """A selector event loop with virtual time (see the module docstring)."""

    def __init__(self, start: float = 0.0) -> None:
        """Create the loop with its clock at ``start`` seconds."""
        selector = _VirtualTimeSelector()
        super().__init__(selector)
        selector.loop = self
        self._virtual_now = float(start)
        self.executor_jobs = 0

    def time(self) -> float:
        """Return the virtual time."""
        return self._virtual_now

    def advance(self, seconds: float) -> None:
        """Move virtual time forward (the loop does this itself when idle)."""
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        self._virtual_now += seconds

    def run_in_executor[T](  # type: ignore[override,unused-ignore]
        self, executor: Executor | None, func: Callable[..., T], *args: object
    ) -> asyncio.Future[T]:
        """Run ``func`` in ``executor``; virtual time stands still until it is done."""
        future = super().run_in_executor(executor, func, *args)
        self.executor_jobs += 1

        def done(_: asyncio.Future[T]) -> None:
            self.executor_jobs -= 1

        future.add_done_callback(done)
        return future

    async def shutdown_default_executor(self, timeout: float | None = None) -> None:  # noqa: ASYNC109
        """Join the default executor's threads; time stands still meanwhile."""
        self.executor_jobs += 1
        try:
            await super().shutdown_default_executor(timeout)
        finally:
            self.executor_jobs -= 1


def run_in_virtual_time[T](main: Coroutine[Any, Any, T], *, start: float = 0.0) -> T:
    """Run ``main`` to completion on a fresh :class:`VirtualTimeEventLoop` and close it.

    Call it where no event loop is running (a synchronous test or script). Leftover tasks are
    cancelled and the default executor is shut down, as ``asyncio.run`` does.
    """
    with asyncio.Runner(loop_factory=lambda: VirtualTimeEventLoop(start)) as runner:
        return runner.run(main)
