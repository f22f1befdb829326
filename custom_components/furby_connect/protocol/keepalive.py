"""Idle keep-alive for a Furby link (docs/protocol.md §3.2, §8).

Once connected the toy goes quiet; without traffic it starts talking and moving on its own again.
The official app sends ``20 06`` every 3 s; FurBLE sends it only after 3 s without any write and
suspends it during uploads. This module does the same: every write marks activity (``touch``),
the keep-alive goes out when the link has been idle for ``interval`` seconds, and ``paused()``
(nestable) holds it back, for example during a file transfer. Time is the event loop's clock, so
tests can run it on a virtual-time loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from .errors import FurbyError

_LOGGER = logging.getLogger(__name__)


class KeepAlive:
    """Run ``send`` whenever nothing was written for ``interval`` seconds, unless paused."""

    def __init__(self, send: Callable[[], Awaitable[None]], interval: float) -> None:
        """Prepare the keep-alive; nothing runs until ``start``."""
        if interval <= 0:
            raise ValueError(f"keepalive_interval must be positive, got {interval}")
        self._send = send
        self._interval = interval
        self._last_activity = 0.0
        self._pause_depth = 0
        self._resumed = asyncio.Event()
        self._resumed.set()
        self._task: asyncio.Task[None] | None = None

    @property
    def is_running(self) -> bool:
        """Whether the background task is alive."""
        return self._task is not None and not self._task.done()

    def touch(self) -> None:
        """Record link activity now; the next keep-alive is due ``interval`` seconds later."""
        self._last_activity = asyncio.get_running_loop().time()

    def start(self) -> None:
        """Start the background task (idempotent); the link counts as active from now."""
        if self.is_running:
            return
        self.touch()
        self._task = asyncio.get_running_loop().create_task(
            self._run(), name="furby_connect keep-alive"
        )

    def cancel(self) -> None:
        """Cancel the task without waiting (usable from a synchronous callback)."""
        if self._task is not None:
            self._task.cancel()

    async def stop(self) -> None:
        """Cancel the task and wait until it has finished (idempotent)."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    @contextlib.asynccontextmanager
    async def paused(self) -> AsyncIterator[None]:
        """Hold the keep-alive back inside the block; blocks nest.

        When the last block exits the link counts as active at that moment, so the next
        keep-alive goes out one full interval later.
        """
        self._pause_depth += 1
        self._resumed.clear()
        try:
            yield
        finally:
            self._pause_depth -= 1
            if self._pause_depth == 0:
                self.touch()
                self._resumed.set()

    async def _run(self) -> None:
        """Sleep until the link has been idle for an interval, send, repeat."""
        loop = asyncio.get_running_loop()
        while True:
            if self._pause_depth:
                await self._resumed.wait()
                continue
            delay = self._last_activity + self._interval - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
                continue
            try:
                await self._send()
            except FurbyError as err:
                _LOGGER.debug("Keep-alive not sent: %s", err)
            except Exception:
                _LOGGER.exception("Keep-alive failed unexpectedly")
            # Whatever happened, wait a full interval before the next attempt.
            self.touch()
