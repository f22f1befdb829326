"""``FurbyCoordinator``: one per Furby; state, listeners, commands and persistence.

The link itself lives in ``connection.py``. The coordinator decides what happens on it:

- every command goes through ``async_execute``: one at a time per Furby, after waiting for a
  link (connect on demand connects here), with protocol failures mapped to translated
  ``HomeAssistantError``s;
- the high-level ``async_*`` methods send a command and then record what was sent (antenna,
  eyes, name, moods, slots), which the toy cannot report back, in state and storage;
- notifications update the state once: a sensor packet becomes one interaction callback per
  *new* press (the previous ``active`` set is remembered) and the orientation;
- on each connection the Device Information is read, unless storage already has it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import astuple
from typing import Any

from bleak.exc import BleakError
from homeassistant.components import bluetooth
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo

from .ble import LinkUnavailableError
from .connection import FurbyConnection
from .const import (
    CONF_IDLE_TIMEOUT,
    CONF_STAY_CONNECTED,
    COUNTER_ACTIONS_SENT,
    COUNTER_CONNECTS,
    COUNTER_EVENTS_RECEIVED,
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_STAY_CONNECTED,
    DOMAIN,
    EXECUTE_CONNECT_TIMEOUT,
    MANUFACTURER,
    MODEL,
)
from .errors import translated_error
from .models import FurbyState, SlotTable
from .protocol.catalog import Catalog
from .protocol.client import FurbyClient
from .protocol.commands import MOOD_MAX, MoodMeter
from .protocol.device_info import DeviceInformation
from .protocol.errors import (
    FurbyCommandError,
    FurbyConnectionError,
    FurbyError,
    FurbyTimeoutError,
)
from .protocol.notifications import FurbyMessage, FurbyMessageCode, Interaction, Notification
from .protocol.notifications import SensorState as SensorPacket
from .storage import FurbyStore

_LOGGER = logging.getLogger(__name__)

_IN_UPLOAD: ContextVar[bool] = ContextVar("furby_connect_in_upload", default=False)
"""True in the task that runs a DLC upload: its own commands pass, everyone else's wait out."""

type FurbyConfigEntry = ConfigEntry[FurbyCoordinator]

DEVICE_INFO_TIMEOUT = 5.0
"""Seconds each Device Information read may take."""


class FurbyCoordinator:
    """Own one Furby's link, state and storage (see the module docstring)."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: FurbyConfigEntry,
        catalog: Catalog,
        store: FurbyStore,
        state: FurbyState,
    ) -> None:
        """Wire up a coordinator around a loaded state; nothing connects before ``async_start``."""
        self.hass = hass
        self.entry = entry
        self.address: str = entry.unique_id or entry.data["address"]
        self.catalog = catalog
        self.state = state
        self._store = store
        self._listeners: list[Callable[[], None]] = []
        self._interaction_listeners: list[Callable[[Interaction], None]] = []
        self._command_lock = asyncio.Lock()
        self._uploading = False
        self.options: dict[str, Any] = dict(entry.options)
        """The entry options this coordinator runs with (a change reloads the entry)."""
        options = self.options
        self.connection = FurbyConnection(
            hass,
            entry,
            self.address,
            stay_connected=options.get(CONF_STAY_CONNECTED, DEFAULT_STAY_CONNECTED),
            idle_timeout=float(options.get(CONF_IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT)),
            on_connect=self._async_on_connect,
            on_notification=self._async_on_notification,
            on_change=self._async_on_link_change,
            on_advertisement=self._async_on_advertisement,
        )

    # ----------------------------------------------------------------------------- lifecycle

    @classmethod
    async def async_create(
        cls, hass: HomeAssistant, entry: FurbyConfigEntry, catalog: Catalog
    ) -> FurbyCoordinator:
        """Load the entry's stored state and build its coordinator."""
        store = FurbyStore(hass, entry.entry_id)
        return cls(hass, entry, catalog, store, await store.async_load())

    @callback
    def async_start(self) -> None:
        """Register the device and start following (and, by policy, connecting to) the toy."""
        self._async_update_device_registry()
        self.connection.async_start()

    async def async_shutdown(self) -> None:
        """Disconnect, cancel every task and write the state now (unload and HA stop)."""
        await self.connection.async_stop()
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

    # ----------------------------------------------------------------------------- listeners

    @callback
    def async_add_listener(self, update_callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``update_callback`` whenever state or availability changes."""
        self._listeners.append(update_callback)
        return lambda: self._listeners.remove(update_callback)

    @callback
    def async_add_interaction_listener(
        self, interaction_callback: Callable[[Interaction], None]
    ) -> Callable[[], None]:
        """Call ``interaction_callback`` once for every new press of a sensor."""
        self._interaction_listeners.append(interaction_callback)
        return lambda: self._interaction_listeners.remove(interaction_callback)

    @callback
    def async_update_listeners(self) -> None:
        """Tell every state listener that something changed."""
        for update_callback in list(self._listeners):
            update_callback()

    @callback
    def _async_changed(self) -> None:
        """Persist (delayed) and announce a state change."""
        self._store.async_schedule_save(self.state)
        self.async_update_listeners()

    # ----------------------------------------------------------------------------- events

    async def _async_on_connect(self, client: FurbyClient) -> None:
        """Count the connection and read the Device Information unless it is known.

        Known means stored with at least one value; a read where every field failed is
        tried again on the next connection.
        """
        self.state.counters[COUNTER_CONNECTS] += 1
        known = self.state.device_info
        if known is None or not any(astuple(known)):
            info = await client.read_device_information(timeout=DEVICE_INFO_TIMEOUT)
            self.state.device_info = info
            self._async_update_device_registry()
        self._store.async_schedule_save(self.state)

    @callback
    def _async_on_link_change(self) -> None:
        """Forget held sensors when the link ends (releases are not seen while away)."""
        if not self.connected:
            self.state.active_interactions = frozenset()
        self.async_update_listeners()

    @callback
    def _async_on_advertisement(self, service_info: bluetooth.BluetoothServiceInfoBleak) -> None:
        """Keep the signal strength of the latest advertisement."""
        if service_info.rssi != self.state.rssi:
            self.state.rssi = service_info.rssi
            self.async_update_listeners()

    @callback
    def _async_on_notification(self, notification: Notification) -> None:
        """Fold a decoded notification into the state."""
        if isinstance(notification, SensorPacket):
            self._async_on_sensor(notification)
        elif isinstance(notification, FurbyMessage) and notification.code in (
            FurbyMessageCode.EYES_ON,
            FurbyMessageCode.EYES_OFF,
        ):
            eyes_on = notification.code == FurbyMessageCode.EYES_ON
            if eyes_on != self.state.eyes_on:
                self.state.eyes_on = eyes_on
                self._async_changed()

    @callback
    def _async_on_sensor(self, packet: SensorPacket) -> None:
        """One interaction callback per new press; remember the orientation."""
        pressed = packet.active - self.state.active_interactions
        changed = packet.active != self.state.active_interactions or (
            packet.orientation != self.state.orientation
        )
        self.state.active_interactions = packet.active
        self.state.orientation = packet.orientation
        if pressed:
            self.state.counters[COUNTER_EVENTS_RECEIVED] += len(pressed)
            self._store.async_schedule_save(self.state)
            for interaction in sorted(pressed):
                for interaction_callback in list(self._interaction_listeners):
                    interaction_callback(interaction)
        if changed:
            self.async_update_listeners()

    @callback
    def _async_update_device_registry(self) -> None:
        """Create or update the device entry with what is known about the toy."""
        info = self.device_info
        dr.async_get(self.hass).async_get_or_create(
            config_entry_id=self.entry.entry_id,
            identifiers=info["identifiers"],
            connections=info["connections"],
            name=info["name"],
            manufacturer=info["manufacturer"],
            model=info["model"],
            serial_number=info["serial_number"],
            hw_version=info["hw_version"],
            sw_version=info["sw_version"],
        )

    # ----------------------------------------------------------------------------- commands

    async def async_execute[T](self, func: Callable[[FurbyClient], Awaitable[T]]) -> T:
        """Run ``func`` with a connected client, one call at a time per Furby.

        Waits up to ``EXECUTE_CONNECT_TIMEOUT`` s for the link (connecting on demand).
        Failures become translated errors: ``ServiceValidationError`` for a value the
        encoders refuse, ``HomeAssistantError`` for the link and the toy's refusals.
        """
        if self._uploading and not _IN_UPLOAD.get():
            # The upload holds the link for minutes; fail now rather than queue behind it.
            raise translated_error(HomeAssistantError, "busy_uploading", name=self.name)
        try:
            async with (
                self._command_lock,
                self.connection.session(EXECUTE_CONNECT_TIMEOUT) as client,
            ):
                return await func(client)
        except ValueError as err:
            raise translated_error(ServiceValidationError, "invalid_value", error=str(err)) from err
        except LinkUnavailableError as err:
            raise translated_error(
                HomeAssistantError, "not_connected", name=self.name, error=err.reason
            ) from err
        except FurbyCommandError as err:
            raise translated_error(
                HomeAssistantError, "command_refused", name=self.name, error=str(err)
            ) from err
        except FurbyTimeoutError as err:
            raise translated_error(HomeAssistantError, "no_reply", name=self.name) from err
        except (FurbyConnectionError, BleakError) as err:
            raise translated_error(
                HomeAssistantError, "connection_lost", name=self.name, error=str(err)
            ) from err
        except FurbyError as err:
            raise translated_error(
                HomeAssistantError, "communication_error", name=self.name, error=str(err)
            ) from err

    @contextmanager
    def uploading(self) -> Iterator[None]:
        """Reserve the link for the calling task's DLC upload.

        Inside, the task's own ``async_execute`` calls run as usual; commands from anywhere
        else are refused with a translated ``busy_uploading`` error until the block ends.
        """
        self._uploading = True
        token = _IN_UPLOAD.set(True)
        try:
            yield
        finally:
            _IN_UPLOAD.reset(token)
            self._uploading = False

    @callback
    def _async_count_action(self) -> None:
        """Count one command sent."""
        self.state.counters[COUNTER_ACTIONS_SENT] += 1

    async def async_set_antenna(self, red: int, green: int, blue: int) -> None:
        """Set the antenna colour (all zero: off) and remember it."""
        await self.async_execute(lambda client: client.set_antenna(red, green, blue))
        self.state.antenna = (red, green, blue)
        self._async_count_action()
        self._async_changed()

    async def async_set_eyes(self, on: bool) -> None:
        """Switch the LCD eyes on or off (the toy confirms) and remember it."""
        await self.async_execute(lambda client: client.set_eyes(on))
        self.state.eyes_on = on
        self._async_count_action()
        self._async_changed()

    async def async_trigger_action(
        self,
        input: int,
        index: int | None = None,
        subindex: int | None = None,
        specific: int | None = None,
    ) -> None:
        """Play an action; a refusal by the toy (out of range) raises ``command_refused``."""
        await self.async_execute(
            lambda client: client.trigger_action(input, index, subindex, specific, confirm=True)
        )
        self._async_count_action()
        self._async_changed()

    async def async_set_name(self, name_id: int) -> None:
        """Rename the Furby (it says the new name) and remember the name id."""
        await self.async_execute(lambda client: client.set_name(name_id))
        self.state.name_id = name_id
        self._async_count_action()
        self._async_changed()

    async def async_set_mood(self, meter: MoodMeter, value: int, *, add: bool = False) -> None:
        """Set a mood meter (or add to it) and remember the resulting level when known."""
        await self.async_execute(lambda client: client.set_mood(meter, value, add=add))
        if not add:
            self.state.moods[meter] = value
        elif meter in self.state.moods:
            self.state.moods[meter] = min(MOOD_MAX, self.state.moods[meter] + value)
        self._async_count_action()
        self._async_changed()

    async def async_cycle_debug_screen(self) -> None:
        """Show the next LCD debug screen."""
        await self.async_execute(lambda client: client.cycle_debug_screen())
        self._async_count_action()
        self._async_changed()

    async def async_refresh_slots(self) -> SlotTable:
        """Read the slot table (``72``) and the details (``73``) of every filled slot."""
        table = await self.async_execute(_read_slot_table)
        self.state.slots = table
        self._async_changed()
        return table

    async def _async_slot_command(self, func: Callable[[FurbyClient], Awaitable[Any]]) -> SlotTable:
        """Run a slot command, then re-read the slot table in the same turn."""

        async def run(client: FurbyClient) -> SlotTable:
            await func(client)
            return await _read_slot_table(client)

        table = await self.async_execute(run)
        self.state.slots = table
        self._async_count_action()
        self._async_changed()
        return table

    async def async_load_dlc(self, slot: int) -> None:
        """Load the DLC in ``slot`` (waits for the toy's ``dc`` report)."""
        await self._async_slot_command(lambda client: client.load_slot(slot))

    async def async_activate_dlc(self) -> None:
        """Activate the loaded DLC."""
        await self._async_slot_command(lambda client: client.activate_slot())

    async def async_deactivate_dlc(self, slot: int) -> None:
        """Deactivate the DLC in ``slot``."""
        await self._async_slot_command(lambda client: client.deactivate_slot(slot))

    async def async_delete_dlc(self, slot: int) -> None:
        """Delete the contents of ``slot``."""
        await self._async_slot_command(lambda client: client.delete_slot(slot))


async def _read_slot_table(client: FurbyClient) -> SlotTable:
    """Query ``72`` then ``73`` for each filled slot (PROTOCOL.md §4.4)."""
    slots = await client.get_slots()
    info = {slot: await client.get_slot_info(slot) for slot in sorted(slots.filled)}
    return SlotTable(filled=slots.filled, active=slots.active, info=info)
