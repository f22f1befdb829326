"""The Bluetooth link of one Furby: connect, reconnect with backoff, idle disconnect.

One ``FurbyConnection`` per config entry. It connects (``ble.py``) to the freshest
``BLEDevice`` Home Assistant knows (so ESPHome-style proxies work), wraps the link in a
``FurbyClient`` and tells its owner (the coordinator) when the link comes and goes.

Policies (the entry's options):

- *stay connected*: one background loop connects, and reconnects after a drop with growing
  pauses (``RECONNECT_BACKOFF``). Only one loop runs at a time, so drops and advertisements
  never start a second one. While the toy is not advertising nothing runs: its next
  advertisement starts the loop.
- *connect on demand*: the link is made when a command needs it (``session``) and dropped
  after ``idle_timeout`` seconds without one.

"Unavailable" is logged once when the toy is lost and "available" once when it is back. A toy
that stops advertising while connected is still connected (it usually does).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from bleak import BleakClient
from bleak.backends.device import BLEDevice
from homeassistant.components import bluetooth
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later

from .ble import CONNECT_ERRORS, FurbyUnreachableError, async_connect, async_disconnect
from .const import KEEPALIVE_INTERVAL, RECONNECT_BACKOFF, REQUEST_TIMEOUT
from .protocol.client import FurbyClient
from .protocol.errors import FurbyConnectionError
from .protocol.notifications import Notification

_LOGGER = logging.getLogger(__name__)

STABLE_LINK_SECONDS = 60.0
"""A link up this long resets the reconnect pauses to none."""


@dataclass(eq=False, slots=True)
class _Attempt:
    """One connection attempt and, once it succeeded, its bleak and Furby clients."""

    bleak: BleakClient | None = None
    furby: FurbyClient | None = None
    lost: bool = False
    closing: bool = False


class FurbyConnection:
    """Own the link to one Furby (see the module docstring)."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        address: str,
        *,
        stay_connected: bool,
        idle_timeout: float,
        on_connect: Callable[[FurbyClient], Awaitable[None]],
        on_notification: Callable[[Notification], None],
        on_change: Callable[[], None],
        on_advertisement: Callable[[bluetooth.BluetoothServiceInfoBleak], None],
        on_attempt_failed: Callable[[str], None] | None = None,
    ) -> None:
        """Prepare the link; nothing happens before ``async_start``."""
        self._hass = hass
        self._entry = entry
        self.address = address
        self.stay_connected = stay_connected
        self.idle_timeout = idle_timeout
        self._on_connect = on_connect
        self._on_notification = on_notification
        self._on_change = on_change
        self._on_advertisement = on_advertisement
        self._on_attempt_failed = on_attempt_failed
        self._attempt: _Attempt | None = None
        self._connected = asyncio.Event()
        self._wake = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._users = 0
        self._idle_cancel: CALLBACK_TYPE | None = None
        self._stable_cancel: CALLBACK_TYPE | None = None
        self._backoff_level = 0
        self._unsubscribes: list[CALLBACK_TYPE] = []
        self._stopping = False
        self._unreachable_logged = False
        self._present = False
        self.last_error: str | None = None
        self.failed_attempts = 0
        self.disconnect_reason: str | None = None
        """Why the last link ended: lost, idle, or closed by Home Assistant."""

    # ----------------------------------------------------------------------------- state

    @property
    def client(self) -> FurbyClient | None:
        """The client of the current link, or ``None`` while disconnected."""
        attempt = self._attempt
        return attempt.furby if attempt is not None and self._connected.is_set() else None

    @property
    def connected(self) -> bool:
        """Whether a link is up (set when connecting finished, cleared when it ends)."""
        return self._connected.is_set()

    @property
    def available(self) -> bool:
        """Whether commands can be expected to work.

        Connected, or (connect on demand) idle but advertising, so a command can connect.
        """
        return self.connected or (not self.stay_connected and self._present)

    @property
    def reconnecting(self) -> bool:
        """Whether the connect loop is running."""
        return self._loop_task is not None and not self._loop_task.done()

    def _wants_link(self) -> bool:
        """Whether the policy or a waiting command wants a link now."""
        return not self._stopping and (self.stay_connected or self._users > 0)

    # ----------------------------------------------------------------------------- start/stop

    @callback
    def async_start(self) -> None:
        """Follow the toy's advertisements and, when staying connected, start connecting."""
        self._present = bluetooth.async_address_present(self._hass, self.address, True)
        self._unsubscribes.append(
            bluetooth.async_register_callback(
                self._hass,
                self._async_on_advertisement,
                bluetooth.BluetoothCallbackMatcher(address=self.address, connectable=True),
                bluetooth.BluetoothScanningMode.ACTIVE,
            )
        )
        self._unsubscribes.append(
            bluetooth.async_track_unavailable(
                self._hass, self._async_on_unavailable, self.address, True
            )
        )
        if self.stay_connected:
            self._ensure_connect_loop()

    async def async_stop(self) -> None:
        """Stop every task and timer and disconnect (idempotent)."""
        self._stopping = True
        while self._unsubscribes:
            self._unsubscribes.pop()()
        self._cancel_timers()
        task, self._loop_task = self._loop_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._async_disconnect("closed by Home Assistant")

    # ----------------------------------------------------------------------------- advertisements

    @callback
    def _async_on_advertisement(
        self, service_info: bluetooth.BluetoothServiceInfoBleak, _change: bluetooth.BluetoothChange
    ) -> None:
        """Note the toy is present; start connecting if the link is wanted and down."""
        was_present, self._present = self._present, True
        self._on_advertisement(service_info)
        if not self.connected:
            self._ensure_connect_loop()
        if not was_present and not self.stay_connected:
            self._on_change()

    @callback
    def _async_on_unavailable(self, _service_info: bluetooth.BluetoothServiceInfoBleak) -> None:
        """Note the toy stopped advertising (a connected toy usually does, so keep the link)."""
        self._present = False
        if not self.connected:
            self._on_change()

    def _ble_device(self) -> BLEDevice | None:
        """Return the freshest connectable ``BLEDevice`` Home Assistant has for the toy."""
        return bluetooth.async_ble_device_from_address(self._hass, self.address, True)

    # ----------------------------------------------------------------------------- sessions

    @contextlib.asynccontextmanager
    async def session(self, max_wait: float) -> AsyncIterator[FurbyClient]:
        """Yield a running client, connecting first if needed (waits up to ``max_wait`` s).

        Raises ``FurbyUnreachableError`` when no link is made in time. While a session is open
        the idle disconnect waits; it is armed again when the last session ends.
        """
        self._users += 1
        self._cancel_idle_timer()
        try:
            yield await self._async_wait_connected(max_wait)
        finally:
            self._users -= 1
            if self._users == 0:
                self._arm_idle_timer()

    async def _async_wait_connected(self, max_wait: float) -> FurbyClient:
        """Return the running client, asking the connect loop for one if needed."""
        if self._stopping:
            raise FurbyUnreachableError("the integration is stopping")
        attempt = self._attempt
        if attempt is not None and attempt.furby is not None and not attempt.furby.is_running:
            # bleak already knows the link is gone; its callback reaches us a loop turn later
            self._async_on_link_lost(attempt)
        self._ensure_connect_loop()
        self._wake.set()  # a command cuts a backoff pause short
        try:
            async with asyncio.timeout(max_wait):
                await self._connected.wait()
        except TimeoutError:
            raise FurbyUnreachableError(self.last_error or "no connection in time") from None
        client = self.client
        if client is None:  # pragma: no cover - the event is cleared together with the link
            raise FurbyUnreachableError("the connection was lost")
        return client

    # ----------------------------------------------------------------------------- connecting

    def _ensure_connect_loop(self) -> None:
        """Start the connect loop unless it runs, the link is up or nothing wants one."""
        if self.reconnecting or self.connected or not self._wants_link():
            return
        self._loop_task = self._entry.async_create_background_task(
            self._hass, self._async_connect_loop(), f"furby_connect connect {self.address}"
        )

    def _next_backoff(self) -> float:
        """Pause before the next attempt: 0 after a stable link, then growing, capped."""
        level, self._backoff_level = self._backoff_level, self._backoff_level + 1
        return 0.0 if level == 0 else RECONNECT_BACKOFF[min(level, len(RECONNECT_BACKOFF)) - 1]

    async def _async_connect_loop(self) -> None:
        """Connect until it works or nothing wants a link, pausing longer after each failure.

        The pause level survives a drop and is reset only once a link stayed up for
        ``STABLE_LINK_SECONDS``, so a toy that accepts and drops at once causes no storm.
        While the toy is not advertising no task runs: its next advertisement starts the loop.
        """
        paused = False
        while self._wants_link() and not self.connected:
            if (device := self._ble_device()) is None:
                self.last_error = "it is not advertising"
                self._note_unreachable(self.last_error)
                return
            if not paused and (delay := self._next_backoff()):
                _LOGGER.debug("%s: next connect attempt in %s s", self.address, delay)
                await self._async_pause(delay)
                paused = True
                continue  # the policy, the link or the toy may have changed meanwhile
            paused = False
            try:
                await self._async_connect(device)
            except CONNECT_ERRORS as err:
                self.failed_attempts += 1
                self.last_error = str(err) or type(err).__name__
                self._note_unreachable(self.last_error)
                _LOGGER.debug("%s: connect failed: %s", self.address, self.last_error)
                if self._on_attempt_failed is not None:
                    self._on_attempt_failed(self.last_error)

    async def _async_pause(self, delay: float) -> None:
        """Sleep ``delay`` seconds, or less if a command wants the link now."""
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await self._wake.wait()

    async def _async_connect(self, device: BLEDevice) -> None:
        """Make one link: connect, start the client, let the owner read what it needs."""
        attempt = _Attempt()
        self._attempt = attempt
        try:
            attempt.bleak = await async_connect(
                device,
                disconnected_callback=partial(self._on_bleak_disconnected, attempt),
                ble_device_callback=lambda: self._ble_device() or device,
            )
            attempt.furby = FurbyClient(
                attempt.bleak,
                keepalive_interval=KEEPALIVE_INTERVAL,
                request_timeout=REQUEST_TIMEOUT,
            )
            attempt.furby.add_listener(self._on_notification)
            await attempt.furby.start()
            await self._on_connect(attempt.furby)
            if attempt.lost:
                raise FurbyConnectionError("The Furby disconnected while connecting")
        except BaseException:
            await self._async_close(attempt)
            if self._attempt is attempt:
                self._attempt = None
            raise
        self.last_error = None
        self._note_reachable()
        self._connected.set()
        self._stable_cancel = async_call_later(
            self._hass,
            STABLE_LINK_SECONDS,
            HassJob(self._async_link_stable, "furby_connect stable", cancel_on_shutdown=True),
        )
        self._on_change()
        self._arm_idle_timer()

    @callback
    def _async_link_stable(self, _now: datetime) -> None:
        """Reset the pauses: the link stayed up long enough, a drop reconnects at once."""
        self._stable_cancel = None
        self._backoff_level = 0

    def _on_bleak_disconnected(self, attempt: _Attempt, _client: BleakClient) -> None:
        """Bleak's disconnected callback; may come from another thread, so hop to the loop."""
        self._hass.loop.call_soon_threadsafe(self._async_on_link_lost, attempt)

    @callback
    def _async_on_link_lost(self, attempt: _Attempt) -> None:
        """Handle a dropped link: fail pending requests, tell the owner, reconnect if wanted."""
        if attempt.lost:
            return
        attempt.lost = True
        if attempt.furby is not None:
            attempt.furby.handle_disconnect()
        if attempt is not self._attempt or attempt.closing or not self.connected:
            return  # a deliberate close, or still connecting (``_async_connect`` handles it)
        self._attempt = None
        self._connected.clear()
        self._cancel_timers()
        self._entry.async_create_background_task(
            self._hass, self._async_close(attempt), f"furby_connect close {self.address}"
        )
        self._note_unreachable("the connection was lost")
        self.disconnect_reason = "the connection was lost"
        self._on_change()
        self._ensure_connect_loop()

    async def _async_disconnect(self, reason: str) -> None:
        """Deliberately close the current link (no reconnect, nothing logged as lost)."""
        attempt, self._attempt = self._attempt, None
        if attempt is None:
            return
        self.disconnect_reason = reason
        self._connected.clear()
        self._cancel_timers()
        await self._async_close(attempt)
        self._on_change()

    async def _async_close(self, attempt: _Attempt) -> None:
        """Stop the client and disconnect bleak, ignoring link errors."""
        attempt.closing = True
        if attempt.furby is not None:
            await attempt.furby.stop()
        if attempt.bleak is not None and not attempt.lost:
            await async_disconnect(attempt.bleak)

    # ----------------------------------------------------------------------------- idle timer

    def _arm_idle_timer(self) -> None:
        """(Connect on demand) disconnect ``idle_timeout`` s after the last session ends."""
        self._cancel_idle_timer()
        if self.stay_connected or self._users or not self.connected or self._stopping:
            return
        self._idle_cancel = async_call_later(
            self._hass,
            self.idle_timeout,
            HassJob(self._async_idle_expired, "furby_connect idle", cancel_on_shutdown=True),
        )

    def _cancel_idle_timer(self) -> None:
        """Cancel a pending idle disconnect."""
        if self._idle_cancel is not None:
            self._idle_cancel()
            self._idle_cancel = None

    def _cancel_timers(self) -> None:
        """Cancel the idle and the stable-link timers (the link ended)."""
        self._cancel_idle_timer()
        if self._stable_cancel is not None:
            self._stable_cancel()
            self._stable_cancel = None

    @callback
    def _async_idle_expired(self, _now: datetime) -> None:
        """Nothing used the link for ``idle_timeout`` s: disconnect."""
        self._idle_cancel = None
        if self._users or self.stay_connected:
            return
        _LOGGER.debug("%s: idle for %s s, disconnecting", self.address, self.idle_timeout)
        self._entry.async_create_background_task(
            self._hass,
            self._async_disconnect(f"idle for {self.idle_timeout:g} s"),
            f"furby_connect idle disconnect {self.address}",
        )

    # ----------------------------------------------------------------------------- logging

    def _note_unreachable(self, reason: str) -> None:
        """Log the first failure of a series (log-when-unavailable)."""
        if not self._unreachable_logged:
            self._unreachable_logged = True
            _LOGGER.info("Furby %s is unavailable: %s", self.address, reason)

    def _note_reachable(self) -> None:
        """Log the recovery once, if a failure was logged."""
        if self._unreachable_logged:
            self._unreachable_logged = False
            _LOGGER.info("Furby %s is available again", self.address)
