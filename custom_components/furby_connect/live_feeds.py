"""One websocket subscription each: ``LogFeed`` (the live log) and ``StatusFeed`` (the status).

A feed follows one Furby (``device_id`` given) or every loaded Furby, as the hub
(``live_hub.py``) knows them. It first sends the backlog or the snapshot, then what changes.
Home Assistant calls ``async_close`` when the client unsubscribes or the socket closes. When a
followed Furby's entry unloads, a one-Furby feed ends on its own: it sends what is still queued
(the log) or ``removed`` (the status), takes itself out of the connection's subscriptions and
lets go of everything; a feed of every Furby just stops following that one.

While a log feed follows a Furby, that Furby's link is traced into its log (``wire_trace.py``).

Status changes are coalesced like log entries: a change marks the Furby, the first mark arms
one timer, and when it fires each marked Furby's whole status goes out once. No timer exists
while nothing changes.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Iterable
from functools import partial
from typing import Any

from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from .live_hub import FurbyLiveHub, LiveFurby
from .log_buffer import BATCH_INTERVAL, LogBatcher, merged_backlog
from .models import FurbyChange
from .status import STATUS_CHANGES, furby_status


class _Feed(ABC):
    """What both feeds share: where events go, the hub watch, ending on the server's side."""

    def __init__(
        self,
        hass: HomeAssistant,
        hub: FurbyLiveHub,
        connection: ActiveConnection,
        msg_id: int,
        device_id: str | None,
    ) -> None:
        """Prepare a feed for subscription ``msg_id``; nothing is followed before it starts."""
        self._hass = hass
        self._hub = hub
        self._connection = connection
        self._msg_id = msg_id
        self._device_id = device_id
        self._unwatch: CALLBACK_TYPE | None = None
        self._closed = False

    def _send(self, payload: dict[str, Any]) -> None:
        """Send one event of this subscription."""
        self._connection.send_event(self._msg_id, payload)

    def _watch(self) -> None:
        """Hear of Furbies that load (followed only by a feed of every Furby) and unload."""
        self._unwatch = self._hub.async_watch(self._async_added, self._async_removed)

    @callback
    def _async_added(self, furby: LiveFurby) -> None:
        """Follow a Furby that loaded, if this feed follows every Furby."""
        if self._device_id is None:
            self._async_follow(furby, initial=False)

    @callback
    def _async_removed(self, furby: LiveFurby) -> None:
        """Stop following a Furby that unloads; a feed of that Furby alone ends."""
        if not self._async_unfollow(furby):
            return
        if self._device_id is not None:
            self._connection.subscriptions.pop(self._msg_id, None)
            self._async_end(final=True)

    @callback
    def async_close(self) -> None:
        """Let go of everything (the client unsubscribed or the socket closed)."""
        self._async_end(final=False)

    def _async_end(self, *, final: bool) -> None:
        """Stop watching and following; ``final``: the server ended it (send what is due)."""
        if self._closed:
            return
        self._closed = True
        if self._unwatch is not None:
            self._unwatch()
        self._async_stop(final=final)

    @abstractmethod
    def _async_follow(self, furby: LiveFurby, *, initial: bool) -> None:
        """Follow one Furby (``initial``: part of the backlog or snapshot)."""

    @abstractmethod
    def _async_unfollow(self, furby: LiveFurby) -> bool:
        """Stop following one Furby; return whether it was followed."""

    @abstractmethod
    def _async_stop(self, *, final: bool) -> None:
        """Let go of every Furby followed and every timer."""


class LogFeed(_Feed):
    """``furby_connect/log/subscribe``: the backlog, then batches of new entries."""

    def __init__(
        self,
        hass: HomeAssistant,
        hub: FurbyLiveHub,
        connection: ActiveConnection,
        msg_id: int,
        device_id: str | None,
    ) -> None:
        """Prepare the feed and its batcher."""
        super().__init__(hass, hub, connection, msg_id, device_id)
        self._batcher = LogBatcher(hass, self._send)
        self._unfollow: dict[str, CALLBACK_TYPE] = {}

    @callback
    def async_start(self, furbies: Iterable[LiveFurby]) -> None:
        """Follow ``furbies`` and send their backlog (nothing can slip in between)."""
        followed = list(furbies)
        for furby in followed:
            self._async_follow(furby, initial=True)
        self._watch()
        self._send({"type": "backlog", "entries": merged_backlog(f.book for f in followed)})

    def _async_follow(self, furby: LiveFurby, *, initial: bool) -> None:
        """Queue the Furby's new entries for this subscriber, its wire trace among them."""
        stop_queueing = furby.book.async_follow(self._batcher)
        stop_tracing = furby.coordinator.async_request_trace()

        @callback
        def unfollow() -> None:
            stop_queueing()
            stop_tracing()

        self._unfollow[furby.device_id] = unfollow

    def _async_unfollow(self, furby: LiveFurby) -> bool:
        """Stop queueing the Furby's entries."""
        unfollow = self._unfollow.pop(furby.device_id, None)
        if unfollow is None:
            return False
        unfollow()
        return True

    def _async_stop(self, *, final: bool) -> None:
        """Stop following; the server ending it first sends every entry still queued."""
        while self._unfollow:
            self._unfollow.popitem()[1]()
        self._batcher.async_close(flush=final)


class StatusFeed(_Feed):
    """``furby_connect/status/subscribe``: a snapshot, then each changed Furby's status."""

    def __init__(
        self,
        hass: HomeAssistant,
        hub: FurbyLiveHub,
        connection: ActiveConnection,
        msg_id: int,
        device_id: str | None,
    ) -> None:
        """Prepare the feed; no timer until a status changes."""
        super().__init__(hass, hub, connection, msg_id, device_id)
        self._followed: dict[str, tuple[LiveFurby, CALLBACK_TYPE]] = {}
        self._changed: dict[str, None] = {}
        self._timer: asyncio.TimerHandle | None = None

    @callback
    def async_start(self, furbies: Iterable[LiveFurby]) -> None:
        """Follow ``furbies`` and send their snapshot."""
        followed = list(furbies)
        for furby in followed:
            self._async_follow(furby, initial=True)
        self._watch()
        self._send({"type": "snapshot", "furbies": [self._status(f) for f in followed]})

    def _status(self, furby: LiveFurby) -> dict[str, Any]:
        """Return the whole status of one Furby."""
        return furby_status(
            furby.coordinator, furby.device_id, self._hub.device_name(furby.device_id)
        )

    def _async_follow(self, furby: LiveFurby, *, initial: bool) -> None:
        """Follow the parts of the Furby's state a status shows; a newcomer is sent at once."""
        remove = furby.coordinator.async_add_listener(
            partial(self._async_on_change, furby.device_id), STATUS_CHANGES
        )
        self._followed[furby.device_id] = (furby, remove)
        if not initial:
            self._send({"type": "update", "furby": self._status(furby)})

    def _async_unfollow(self, furby: LiveFurby) -> bool:
        """Stop following the Furby and tell the client it is gone."""
        followed = self._followed.pop(furby.device_id, None)
        if followed is None:
            return False
        followed[1]()
        self._changed.pop(furby.device_id, None)
        self._send({"type": "removed", "device_id": furby.device_id})
        return True

    @callback
    def _async_on_change(self, device_id: str, _changed: FurbyChange) -> None:
        """Mark the Furby changed; the first mark arms the flush."""
        self._changed[device_id] = None
        if self._timer is None:
            self._timer = self._hass.loop.call_later(BATCH_INTERVAL, self._async_flush)

    @callback
    def _async_flush(self) -> None:
        """Send the status of every Furby that changed since the last flush, once each."""
        self._timer = None
        changed, self._changed = self._changed, {}
        for device_id in changed:
            if (followed := self._followed.get(device_id)) is not None:
                self._send({"type": "update", "furby": self._status(followed[0])})

    def _async_stop(self, *, final: bool) -> None:
        """Stop following every Furby and cancel the timer."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        while self._followed:
            self._followed.popitem()[1][1]()
        self._changed.clear()
