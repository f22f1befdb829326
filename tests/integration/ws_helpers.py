"""Helpers for the websocket API tests: subscriptions on one client, batches, idle checks.

- ``WsSession``: one websocket client; ``subscribe`` answers with the subscription id, and
  ``next_event(sub)`` returns that subscription's next event, keeping other subscriptions'
  events for later (several subscriptions share the socket).
- ``entries_until(hass, ws, sub, done)``: collect a log subscription's entries (flushing)
  until ``done(entries)`` holds.
- ``flush(hass)``: fire the timers that are due within a batch interval (the feeds' flushes).
- ``frozen_loop_time(hass)``: the event loop's clock stands still, so no timer fires unless the
  test fires it; a burst of entries then lands between two flushes whatever the machine's speed.
  The toys' link runs on its own clock (``furby_clock``), so it keeps working.
- ``feed_timers(hass)``: the scheduled timer handles whose callback belongs to a websocket feed
  (from the handles' own ``repr``, which names the callback).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque
from collections.abc import Callable, Generator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from homeassistant.util.async_ import get_scheduled_timer_handles
from pytest_homeassistant_custom_component.common import async_fire_time_changed
from pytest_homeassistant_custom_component.typing import MockHAClientWebSocket

from .conftest import HANG_GUARD

LOG = "furby_connect/log/subscribe"
STATUS = "furby_connect/status/subscribe"
CATALOG = "furby_connect/catalog"

FEED_CALLBACKS = ("LogBatcher.", "StatusFeed.")
"""Names of the feeds' timer callbacks as a timer handle's repr shows them."""


class WsSession:
    """One websocket client with several subscriptions on it."""

    def __init__(self, client: MockHAClientWebSocket) -> None:
        self.client = client
        self._events: dict[int, deque[dict[str, Any]]] = defaultdict(deque)
        self._results: dict[int, dict[str, Any]] = {}

    async def command(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send a command and return its result message (events meanwhile are kept)."""
        await self.client.send_json_auto_id(message)
        msg_id = message["id"]
        while msg_id not in self._results:
            await self._receive()
        return self._results.pop(msg_id)

    async def subscribe(self, message_type: str, **data: Any) -> int:
        """Subscribe and return the subscription id (the result must be a success, ``None``)."""
        message = {"type": message_type, **data}
        result = await self.command(message)
        assert result["success"], result
        assert result["result"] is None
        return int(message["id"])

    async def next_event(self, sub: int) -> dict[str, Any]:
        """The next event of subscription ``sub``."""
        while not self._events[sub]:
            await self._receive()
        return self._events[sub].popleft()

    def pending(self, sub: int) -> list[dict[str, Any]]:
        """Events of ``sub`` already received and not yet taken."""
        return list(self._events[sub])

    async def _receive(self) -> None:
        async with asyncio.timeout(HANG_GUARD):
            msg = await self.client.receive_json()
        if msg["type"] == "event":
            self._events[msg["id"]].append(msg["event"])
        else:
            self._results[msg["id"]] = msg

    async def ping(self) -> None:
        """A round trip: every event sent before the pong has been received after this."""
        result = await self.command({"type": "ping"})
        assert result["type"] == "pong"


async def entries_until(
    hass: HomeAssistant, ws: WsSession, sub: int, done: Callable[[list[dict[str, Any]]], bool]
) -> list[dict[str, Any]]:
    """Collect entries of ``sub`` (flushing) until ``done(entries)`` holds."""
    entries: list[dict[str, Any]] = []
    while not done(entries):
        flush(hass)
        event = await ws.next_event(sub)
        assert event["type"] == "entries", event
        entries += event["entries"]
    return entries


def flush(hass: HomeAssistant) -> None:
    """Fire every timer due within two batch intervals (the feeds' flushes among them)."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=0.2))


@contextmanager
def frozen_loop_time(hass: HomeAssistant) -> Generator[None]:
    """Stop the event loop's clock: timers fire only when the test fires them."""
    now = hass.loop.time()
    with patch.object(hass.loop, "time", return_value=now):
        yield


def feed_timers(hass: HomeAssistant) -> list[str]:
    """The reprs of the scheduled, live timer handles of the websocket feeds."""
    return [
        text
        for handle in get_scheduled_timer_handles(hass.loop)
        if not handle.cancelled() and any(name in (text := repr(handle)) for name in FEED_CALLBACKS)
    ]
