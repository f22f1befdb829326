"""``FurbyCoordinator``: one per Furby; its state, who follows it, and what arrives from it.

The link lives in ``connection.py``, running calls on it (one at a time, the upload's lease)
in ``executor.py``, and the commands in ``furby_commands.py`` (the coordinator's base class).
The coordinator owns the state and its storage and folds in what the toy sends:

- notifications update the state once: a sensor packet becomes one interaction callback per
  *new* press (the previous ``active`` set is remembered) and the orientation; ``20 17`` and
  ``20 18`` confirm the eyes;
- on each connection the Device Information is read, unless storage already has it, and the
  device registry entry is updated from it;
- advertisements give the signal strength.

Other modules follow it through ``async_add_listener`` (state changes by ``FurbyChange`` part,
the upload status included), ``async_add_interaction_listener`` (new presses) and
``async_add_log_listener`` (log-worthy events); see ``listeners.py``. While a live-log reader
asks for it (``async_request_trace``), the packets of the link that is up are logged too
(``wire_trace.py``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import astuple
from typing import Any

from homeassistant.components import bluetooth
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_ADDRESS
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo

from .connection import FurbyConnection
from .const import (
    CONF_IDLE_TIMEOUT,
    CONF_STAY_CONNECTED,
    COUNTER_CONNECTS,
    COUNTER_EVENTS_RECEIVED,
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_STAY_CONNECTED,
    DOMAIN,
    MANUFACTURER,
    MODEL,
)
from .executor import ClientCall, FurbyExecutor, UploadLease
from .furby_commands import FurbyCommands
from .listeners import ChangeCallback, FurbyListeners, InteractionCallback, LogCallback
from .models import (
    FurbyChange,
    FurbyLogEntry,
    FurbyState,
    LastInteraction,
    LogKind,
    LogLevel,
    UploadStatus,
)
from .protocol.catalog import Catalog
from .protocol.client import FurbyClient
from .protocol.device_info import DeviceInformation
from .protocol.notifications import (
    FurbyMessage,
    FurbyMessageCode,
    Notification,
    SensorState,
)
from .storage import FurbyStore
from .wire_trace import WireTrace

DEVICE_INFO_TIMEOUT = 5.0
"""Seconds each Device Information read may take."""

_EYES_MESSAGES: dict[int, bool] = {FurbyMessageCode.EYES_ON: True, FurbyMessageCode.EYES_OFF: False}
"""The toy's ``20 17``/``20 18`` confirmations of the eyes' backlight (docs/protocol.md §4.2)."""


class FurbyCoordinator(FurbyCommands):
    """Own one Furby's state, listeners, commands and storage (see the module docstring)."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        catalog: Catalog,
        store: FurbyStore,
        state: FurbyState,
    ) -> None:
        """Wire up a coordinator around a loaded state; nothing connects before ``async_start``."""
        self.hass = hass
        self.entry = entry
        self.address: str = entry.unique_id or entry.data[CONF_ADDRESS]
        self.catalog = catalog
        self.state = state
        self._store = store
        self._listeners = FurbyListeners()
        self.options: dict[str, Any] = dict(entry.options)
        """The entry options this coordinator runs with (a change reloads the entry)."""
        self.connection = FurbyConnection(
            hass,
            entry,
            self.address,
            stay_connected=self.options.get(CONF_STAY_CONNECTED, DEFAULT_STAY_CONNECTED),
            idle_timeout=float(self.options.get(CONF_IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT)),
            on_connect=self._async_on_connect,
            on_notification=self._async_on_notification,
            on_change=self._async_on_link_change,
            on_advertisement=self._async_on_advertisement,
            on_attempt_failed=self._async_on_attempt_failed,
        )
        self._executor = FurbyExecutor(self.connection, lambda: self.name)
        self._trace = WireTrace(self.async_log)
        self._was_connected = False
        self.device_id: str | None = None
        """The Furby's device registry id, known from ``async_start`` on."""

    # ----------------------------------------------------------------------------- lifecycle

    @classmethod
    async def async_create(
        cls, hass: HomeAssistant, entry: ConfigEntry[Any], catalog: Catalog
    ) -> FurbyCoordinator:
        """Load the entry's stored state and build its coordinator."""
        store = FurbyStore(hass, entry.entry_id)
        return cls(hass, entry, catalog, store, await store.async_load())

    @callback
    def async_start(self) -> None:
        """Register the device and start following (and, by policy, connecting to) the toy."""
        self._async_update_device_registry()
        self.connection.async_start()
        # The entities were added before the advertisements were looked at: when connecting
        # on demand, a toy in range is available from now on.
        self._listeners.async_notify(FurbyChange.LINK)

    async def async_shutdown(self) -> None:
        """Disconnect, cancel every task and write the state now (unload and HA stop)."""
        await self.connection.async_stop()
        self._trace.async_set_client(None)  # the link is closed: nothing may hold the client
        await self._store.async_save(self.state)

    # ----------------------------------------------------------------------------- properties

    @property
    def connected(self) -> bool:
        """Whether the link is up."""
        return self.connection.connected

    @property
    def available(self) -> bool:
        """Whether entities should be available (connected, or reachable on demand)."""
        return self.connection.available

    @property
    def name(self) -> str:
        """The entry's title, used as the device name."""
        return self.entry.title

    @property
    def device_info(self) -> DeviceInfo:
        """Device registry data for the entities of this Furby."""
        info = self.state.device_info or DeviceInformation()
        return DeviceInfo(
            identifiers={(DOMAIN, self.address)},
            connections={(dr.CONNECTION_BLUETOOTH, self.address)},
            name=self.name,
            manufacturer=info.manufacturer or MANUFACTURER,
            model=info.model or MODEL,
            serial_number=info.serial_number,
            hw_version=info.hardware_version,
            sw_version=info.firmware_version or info.software_version,
        )

    # ----------------------------------------------------------------------------- following

    @callback
    def async_add_listener(
        self, change_callback: ChangeCallback, changes: FurbyChange
    ) -> CALLBACK_TYPE:
        """Call ``change_callback(changed)`` when one of the ``changes`` parts changed."""
        return self._listeners.async_add_listener(change_callback, changes)

    @callback
    def async_add_interaction_listener(
        self, interaction_callback: InteractionCallback
    ) -> CALLBACK_TYPE:
        """Call ``interaction_callback(interaction)`` once for every new press of a sensor."""
        return self._listeners.async_add_interaction_listener(interaction_callback)

    @callback
    def async_add_log_listener(self, log_callback: LogCallback) -> CALLBACK_TYPE:
        """Call ``log_callback(entry)`` for every log-worthy event of this Furby."""
        return self._listeners.async_add_log_listener(log_callback)

    @callback
    def async_request_trace(self) -> CALLBACK_TYPE:
        """Log the packets on the wire (``wire_trace.py``) until the returned function is called.

        A live-log reader calls it while it follows this Furby; with no reader the link is not
        traced at all.
        """
        return self._trace.async_request()

    @callback
    def async_log(
        self,
        level: LogLevel,
        kind: LogKind,
        text: str,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        """Hand a log entry to the log listeners (used by the upload manager too)."""
        self._listeners.async_log(FurbyLogEntry(level, kind, text, data))

    @callback
    def async_set_upload_status(self, status: UploadStatus) -> None:
        """Show a new upload status (it is not stored) and tell who follows uploads."""
        self.state.upload = status
        self._listeners.async_notify(FurbyChange.UPLOAD)

    @callback
    def _async_changed(self, changed: FurbyChange) -> None:
        """Persist (delayed) and announce a change of the stored state."""
        self._store.async_schedule_save(self.state)
        self._listeners.async_notify(changed)

    # ----------------------------------------------------------------------------- link

    async def _async_on_connect(self, client: FurbyClient) -> None:
        """Count the connection and read the Device Information unless it is known.

        Known means stored with at least one value; a read where every field failed is
        tried again on the next connection.
        """
        self.state.counters[COUNTER_CONNECTS] += 1
        changed = FurbyChange.COUNTERS
        known = self.state.device_info
        if known is None or not any(astuple(known)):
            self.state.device_info = await client.read_device_information(
                timeout=DEVICE_INFO_TIMEOUT
            )
            self._async_update_device_registry()
            changed |= FurbyChange.DEVICE_INFO
        self._async_changed(changed)

    @callback
    def _async_on_link_change(self) -> None:
        """Announce a change of the link; forget held sensors when it ends (releases are unseen)."""
        changed = FurbyChange.LINK
        connected = self.connected
        self._trace.async_set_client(self.connection.client)
        if not connected and self.state.active_interactions:
            self.state.active_interactions = frozenset()
            changed |= FurbyChange.INTERACTIONS
        if connected != self._was_connected:
            self._was_connected = connected
            if connected:
                self.async_log(LogLevel.INFO, LogKind.CONNECTION, "Connected")
            else:
                reason = self.connection.disconnect_reason or "disconnected"
                self.async_log(
                    LogLevel.INFO, LogKind.CONNECTION, f"Disconnected: {reason}", {"reason": reason}
                )
        self._listeners.async_notify(changed)

    @callback
    def _async_on_attempt_failed(self, reason: str) -> None:
        """Log a failed connection attempt (the link's own loop tries again later)."""
        self.async_log(
            LogLevel.WARNING, LogKind.CONNECTION, f"Connecting failed: {reason}", {"reason": reason}
        )

    @callback
    def _async_on_advertisement(self, service_info: bluetooth.BluetoothServiceInfoBleak) -> None:
        """Keep the signal strength of the latest advertisement."""
        if service_info.rssi != self.state.rssi:
            self.state.rssi = service_info.rssi
            self._listeners.async_notify(FurbyChange.SIGNAL)

    @callback
    def _async_update_device_registry(self) -> None:
        """Create or update the device entry with what is known about the toy."""
        device = dr.async_get(self.hass).async_get_or_create(
            config_entry_id=self.entry.entry_id, **self.device_info
        )
        self.device_id = device.id

    # ----------------------------------------------------------------------------- notifications

    @callback
    def _async_on_notification(self, notification: Notification) -> None:
        """Fold a decoded notification into the state."""
        if isinstance(notification, SensorState):
            self._async_on_sensor(notification)
        elif isinstance(notification, FurbyMessage):
            eyes_on = _EYES_MESSAGES.get(notification.code)
            if eyes_on is not None and eyes_on != self.state.eyes_on:
                self.state.eyes_on = eyes_on
                self._async_changed(FurbyChange.EYES)

    @callback
    def _async_on_sensor(self, packet: SensorState) -> None:
        """One interaction callback per new press; remember the orientation and the last press."""
        state = self.state
        pressed = packet.active - state.active_interactions
        changed = FurbyChange(0)
        if packet.active != state.active_interactions:
            state.active_interactions = packet.active
            changed |= FurbyChange.INTERACTIONS
        if packet.orientation != state.orientation:
            state.orientation = packet.orientation
            changed |= FurbyChange.ORIENTATION
            self.async_log(
                LogLevel.INFO,
                LogKind.EVENT,
                f"Orientation: {packet.orientation or 'unknown'}",
                {"orientation": packet.orientation},
            )
        if pressed:
            state.counters[COUNTER_EVENTS_RECEIVED] += len(pressed)
            now = time.time()
            ordered = sorted(pressed)
            state.last_interaction = LastInteraction(ordered[-1], now)
            self._async_changed(changed | FurbyChange.COUNTERS)
            for interaction in ordered:
                self.async_log(
                    LogLevel.INFO,
                    LogKind.EVENT,
                    f"Interaction: {interaction}",
                    {"interaction": interaction},
                )
                self._listeners.async_press(interaction)
        elif changed:
            self._listeners.async_notify(changed)

    # ----------------------------------------------------------------------------- the link's calls

    async def async_execute[T](self, func: ClientCall[T]) -> T:
        """Run ``func`` on the link (see ``FurbyExecutor.async_execute``); no upload's lease."""
        return await self._executor.async_execute(func)

    def reserve_for_upload(self) -> AbstractAsyncContextManager[UploadLease]:
        """``async with coordinator.reserve_for_upload() as lease``: hold the link for an upload.

        Only ``lease.execute(func)`` runs on the link until the block ends; every other call is
        refused with ``busy_uploading`` (``executor.py``).
        """
        return self._executor.reserve_for_upload()
