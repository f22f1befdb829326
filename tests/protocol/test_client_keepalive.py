"""The idle keep-alive on its own (``protocol/keepalive.py``), on a virtual-time loop.

The end-to-end keep-alive behaviour against the virtual Furby is in ``test_client_transport.py``;
these tests cover what the toy cannot provoke: a sender that fails in unexpected ways.
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from custom_components.furby_connect.protocol.errors import FurbyConnectionError
from custom_components.furby_connect.protocol.keepalive import KeepAlive

from .test_client import virtual_time


class Sender:
    """Records when it was called; raises the queued errors first."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.times: list[float] = []

    async def __call__(self) -> None:
        self.times.append(asyncio.get_running_loop().time())
        if self.errors:
            raise self.errors.pop(0)


@virtual_time
async def test_sends_after_each_idle_interval_and_touch_postpones() -> None:
    """The keep-alive goes out after each idle interval; activity postpones it."""
    sender = Sender()
    keepalive = KeepAlive(sender, 2.0)
    keepalive.start()
    keepalive.start()  # idempotent: still one task
    assert len(asyncio.all_tasks()) == 2
    await asyncio.sleep(1.5)
    keepalive.touch()
    await asyncio.sleep(3.0)
    assert sender.times == [3.5]
    await keepalive.stop()
    await keepalive.stop()
    assert not keepalive.is_running


@virtual_time
async def test_failures_are_logged_and_retried_an_interval_later(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A failed keep-alive is logged and tried again one interval later."""
    sender = Sender(FurbyConnectionError("write failed"), RuntimeError("bug in sender"))
    keepalive = KeepAlive(sender, 1.0)
    keepalive.start()
    with caplog.at_level(logging.DEBUG):
        await asyncio.sleep(3.5)
    await keepalive.stop()
    assert sender.times == [1.0, 2.0, 3.0]
    assert "Keep-alive not sent: write failed" in caplog.text
    assert "Keep-alive failed unexpectedly" in caplog.text
    assert "bug in sender" in caplog.text


@virtual_time
async def test_cancel_from_a_synchronous_callback() -> None:
    """cancel() works from synchronous code, before and after start."""
    sender = Sender()
    keepalive = KeepAlive(sender, 1.0)
    keepalive.cancel()  # nothing to cancel yet
    keepalive.start()
    keepalive.cancel()
    await asyncio.sleep(5.0)
    assert sender.times == []
    assert not keepalive.is_running
    await keepalive.stop()


@virtual_time
async def test_pause_holds_back_until_the_outermost_block_exits() -> None:
    """Nested pauses hold the keep-alive back until the outermost one ends."""
    sender = Sender()
    keepalive = KeepAlive(sender, 1.0)
    keepalive.start()
    async with keepalive.paused():
        async with keepalive.paused():
            await asyncio.sleep(2.0)
        await asyncio.sleep(2.0)
    assert sender.times == []
    await asyncio.sleep(1.5)
    assert sender.times == [5.0]
    await keepalive.stop()


@pytest.mark.parametrize("interval", [0.0, -1.0])
def test_interval_must_be_positive(interval: float) -> None:
    """A keep-alive interval that is not positive is refused."""

    async def send() -> None:
        """Never called."""

    with pytest.raises(ValueError, match="keepalive_interval must be positive"):
        KeepAlive(send, interval)
