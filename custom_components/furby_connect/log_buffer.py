"""The live log's buffers: each Furby's recent entries, and each subscriber's batches.

- ``FurbyLogBook``, one per Furby: numbers the coordinator's log entries (``seq``), turns each
  into the websocket's entry dict once (docs/websocket.md), keeps the last ``BACKLOG_SIZE`` in a
  ``deque`` for the backlog a new subscriber gets, and hands every new entry to the batchers
  that follow it. It outlives reloads of the entry, so a reload neither loses the recent log nor
  starts the numbers again.
- ``LogBatcher``, one per websocket subscription: a bounded queue. The first entry queued arms
  one timer; when it fires, one message goes out (a batch of at most ``BATCH_MAX`` entries, or
  the ``dropped`` marker), and the timer is armed again only if entries are still waiting. So a
  chatty toy costs each subscriber at most one message per ``BATCH_INTERVAL`` (Home Assistant
  closes a connection that has 4096 messages waiting), a subscriber that cannot take the entries
  as fast as they come loses the oldest ones and is told how many, and an idle subscriber costs
  no timer and no wake-up at all.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from .models import FurbyLogEntry

BACKLOG_SIZE: Final = 500
"""Entries each Furby keeps for the backlog of a new subscriber."""
BATCH_INTERVAL: Final = 0.1
"""Seconds entries wait to be sent together."""
BATCH_MAX: Final = 200
"""Most entries in one ``entries`` message."""
QUEUE_MAX: Final = 1000
"""Most entries waiting for one subscriber; more push the oldest out (``dropped``)."""

type WireEntry = dict[str, Any]
"""One log entry as the websocket sends it (docs/websocket.md)."""
type SendEvent = Callable[[dict[str, Any]], None]
"""Sends one event payload to the subscriber."""


class LogBatcher:
    """The entries waiting for one subscriber, sent in coalesced batches (module docstring)."""

    def __init__(
        self,
        hass: HomeAssistant,
        send: SendEvent,
        *,
        interval: float = BATCH_INTERVAL,
        batch_max: int = BATCH_MAX,
        queue_max: int = QUEUE_MAX,
    ) -> None:
        """Queue for ``send``; nothing is scheduled until an entry arrives."""
        self._hass = hass
        self._send = send
        self._interval = interval
        self._batch_max = batch_max
        self._queue_max = queue_max
        self._queue: deque[WireEntry] = deque()
        self._dropped = 0
        self._timer: asyncio.TimerHandle | None = None
        self._closed = False

    @callback
    def async_push(self, entry: WireEntry) -> None:
        """Queue one entry (pushing the oldest out when full) and arm the flush if it is not."""
        if self._closed:
            return
        if len(self._queue) >= self._queue_max:
            self._queue.popleft()
            self._dropped += 1
        self._queue.append(entry)
        if self._timer is None:
            self._timer = self._hass.loop.call_later(self._interval, self._async_flush)

    @callback
    def _async_flush(self) -> None:
        """Send one message: the dropped marker if entries were lost, else the next batch."""
        self._timer = None
        if self._closed:
            return
        self._send_next()
        if self._queue:
            self._timer = self._hass.loop.call_later(self._interval, self._async_flush)

    def _send_next(self) -> None:
        """Send the dropped marker, or the oldest waiting entries (at most ``batch_max``)."""
        if self._dropped:
            count, self._dropped = self._dropped, 0
            self._send({"type": "dropped", "count": count})
            return
        queue = self._queue
        batch = [queue.popleft() for _ in range(min(len(queue), self._batch_max))]
        self._send({"type": "entries", "entries": batch})

    @callback
    def async_close(self, *, flush: bool = False) -> None:
        """Stop: cancel the timer and forget the queue; with ``flush``, send what waits first.

        The final flush (the Furby's entry unloads and the subscription ends) sends the marker
        and every waiting entry at once, at most ``queue_max / batch_max + 1`` messages.
        """
        if self._closed:
            return
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        while flush and (self._queue or self._dropped):
            self._send_next()
        self._closed = True
        self._queue.clear()


class FurbyLogBook:
    """One Furby's numbered entries: the recent ones, and who follows new ones (docstring)."""

    def __init__(self, device_id: str, furby_name: Callable[[], str]) -> None:
        """Start an empty book; ``furby_name()`` names the Furby in each new entry."""
        self.device_id = device_id
        self._furby_name = furby_name
        self._seq = 0
        self._recent: deque[WireEntry] = deque(maxlen=BACKLOG_SIZE)
        self._batchers: list[LogBatcher] = []

    @property
    def recent(self) -> list[WireEntry]:
        """The last ``BACKLOG_SIZE`` entries, oldest first."""
        return list(self._recent)

    @callback
    def async_add(self, entry: FurbyLogEntry) -> None:
        """Give an entry its number, keep it, and hand it to every follower (a log listener)."""
        self._seq += 1
        wire: WireEntry = {
            "seq": self._seq,
            "time": entry.time,
            "device_id": self.device_id,
            "furby": self._furby_name(),
            "level": str(entry.level),
            "kind": str(entry.kind),
            "text": entry.text,
            "data": None if entry.data is None else dict(entry.data),
        }
        self._recent.append(wire)
        for batcher in tuple(self._batchers):
            batcher.async_push(wire)

    @callback
    def async_follow(self, batcher: LogBatcher) -> CALLBACK_TYPE:
        """Hand new entries to ``batcher`` until the returned function is called."""
        self._batchers.append(batcher)

        @callback
        def unfollow() -> None:
            if batcher in self._batchers:
                self._batchers.remove(batcher)

        return unfollow


def merged_backlog(books: Iterable[FurbyLogBook]) -> list[WireEntry]:
    """Return the recent entries of several Furbies, oldest first (each one's order kept)."""
    entries = [entry for book in books for entry in book.recent]
    entries.sort(key=lambda entry: entry["time"])  # stable: equal times keep each book's order
    return entries
