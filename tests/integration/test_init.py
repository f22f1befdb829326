"""Entry lifecycle: setup with the toy away, device registry, restore, unload, stop, removal.

The Device Information the integration read shows in the device registry; counters and the stored
state are read from the entry's diagnostics and storage file.
"""

from __future__ import annotations

import gc
import logging
import weakref
from datetime import timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE, EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.furby_connect.const import DOMAIN, STORAGE_VERSION
from custom_components.furby_connect.protocol.gatt import DEVICE_INFORMATION_FIELDS
from custom_components.furby_connect.storage import storage_key
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from ..bluetooth_helpers import inject_advertisement
from .conftest import async_advance, async_setup, async_wait_until, make_entry
from .entity_helpers import FurbyView

STORED_INFO = {
    "manufacturer": "Hasbro",
    "model": "Furby Connect",
    "serial_number": "CACHED-1",
    "hardware_version": "0.9",
    "firmware_version": "0.9.1",
    "software_version": "0.9.1",
}


def device_of(hass: HomeAssistant, entry: MockConfigEntry) -> dr.DeviceEntry:
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert len(devices) == 1
    return devices[0]


async def diagnostics_state(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, entry: MockConfigEntry
) -> dict[str, Any]:
    """The ``state`` part of the entry's diagnostics (identifying values redacted)."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    state: dict[str, Any] = diagnostics["state"]
    return state


async def test_setup_with_the_toy_away_loads_then_connects_when_it_advertises(
    hass: HomeAssistant,
    furby_factory: Any,
    virtual_proxy: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An asleep toy does not fail setup: unavailable until it advertises, then connected,
    with its Device Information in the device registry; both changes logged once.
    """
    caplog.set_level(logging.INFO)
    furby: VirtualFurby = furby_factory(advertise=False)
    furby.faults.stop_advertising()
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)

    view = await async_setup(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert (view.connected, view.available) == (False, False)
    assert "is unavailable: it is not advertising" in caplog.text
    device = device_of(hass, entry)
    assert device.manufacturer == "Hasbro"  # known before anything was read
    assert device.sw_version is None

    furby.faults.resume_advertising()
    virtual_proxy.advertise_all()
    await async_wait_until(hass, lambda: view.connected)
    assert (view.available, furby.is_connected) == (True, True)
    assert caplog.text.count("is unavailable") == 1
    assert caplog.text.count("is available again") == 1

    # the Device Information was read and put into the device registry
    device = device_of(hass, entry)
    assert device.model == "Furby Connect"
    assert device.serial_number == "0000000001"
    assert device.sw_version == "1.0.0"
    assert device.hw_version == "1.0"
    assert (dr.CONNECTION_BLUETOOTH, furby.address) in device.connections
    assert (DOMAIN, furby.address) in device.identifiers
    assert furby.connect_count == 1


async def test_restart_restores_state_and_reads_nothing_known(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_storage: dict[str, Any],
    furby_factory: Any,
) -> None:
    """A restart shows the stored state, keeps the stored Device Information (nothing is read
    again) and sends nothing to the toy.
    """
    # the toy now reports other strings: if they were read, they would show up
    furby: VirtualFurby = furby_factory(device_info={"serial_number": "FRESH-2"})
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)
    hass_storage[storage_key(entry.entry_id)] = {
        "version": STORAGE_VERSION,
        "minor_version": 1,
        "key": storage_key(entry.entry_id),
        "data": {
            "device_info": STORED_INFO,
            "antenna": [0, 128, 255],
            "eyes_on": False,
            "name_id": 17,
            "moods": {"wellness": 80},
            "slots": None,
            "counters": {"actions_sent": 5, "events_received": 2, "connects": 9},
        },
    }
    view = await async_setup(hass, entry)
    assert device_of(hass, entry).serial_number == "CACHED-1"

    await async_wait_until(hass, lambda: view.connected)
    assert view.state("light", "antenna").attributes["rgb_color"] == (0, 128, 255)
    assert view.state("switch", "eyes").state == "off"
    assert view.state("select", "name").state == "Bee-Koh"
    assert view.state("number", "wellness").state == "80"
    assert device_of(hass, entry).serial_number == "CACHED-1"
    assert device_of(hass, entry).sw_version == "0.9.1"
    state = await diagnostics_state(hass, hass_client, entry)
    assert state["counters"]["connects"] == 10
    assert state["device_info"]["model"] == "Furby Connect"
    # nothing the toy cannot report was sent to it on connect
    assert furby.antenna is None


async def test_reconnect_does_not_read_device_information_again(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """A reconnect reads no Device Information: reads that would fail now change nothing."""
    assert furby_view.device.sw_version == "1.0.0"
    for uuid in DEVICE_INFORMATION_FIELDS.values():
        furby.faults.gatt_error(uuid, ops=["read"])
    furby.drop_connection()
    await async_wait_until(hass, lambda: not furby_view.connected)
    await async_advance(hass, freezer, 1.5)  # the pause after a short-lived link
    await async_wait_until(hass, lambda: furby_view.connected)
    assert furby.connect_count == 2
    assert furby_view.device.sw_version == "1.0.0"


async def test_rediscovery_of_a_loaded_entry_keeps_the_link(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """A rediscovery updates the entry (its discovery key) without reloading it."""
    runtime = connected_entry.runtime_data
    # HA records the discovery key in the entry (an entry update that is not an options change)
    inject_advertisement(hass, furby.address, "Furby")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert connected_entry.discovery_keys
    assert connected_entry.runtime_data is runtime  # not reloaded
    assert furby_view.connected
    assert furby.connect_count == 1


async def test_unload_disconnects_and_writes_the_state_now(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    storage_writes: list[str],
) -> None:
    """Unloading disconnects, writes the state at once and stops reconnecting."""
    await furby_view.call("set_antenna", {"red": 7, "green": 8, "blue": 9})
    key = storage_key(connected_entry.entry_id)
    before = storage_writes.count(key)

    assert await hass.config_entries.async_unload(connected_entry.entry_id)
    await hass.async_block_till_done()
    assert connected_entry.state is ConfigEntryState.NOT_LOADED
    assert not furby.is_connected
    assert storage_writes.count(key) == before + 1
    assert hass_storage[key]["data"]["antenna"] == [7, 8, 9]
    connects = furby.connect_count
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=120))
    await hass.async_block_till_done()
    assert furby.connect_count == connects  # nothing reconnects


async def test_home_assistant_stop_disconnects_and_writes_at_final_write(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """Stopping Home Assistant disconnects at once and writes the state at the final write."""
    key = storage_key(connected_entry.entry_id)
    await furby_view.call("set_name", {"name_id": 99})
    assert hass_storage.get(key, {}).get("data", {}).get("name_id") != 99

    hass.set_state(CoreState.stopping)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()
    assert not furby.is_connected
    assert hass_storage.get(key, {}).get("data", {}).get("name_id") != 99  # not yet

    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    assert hass_storage[key]["data"]["name_id"] == 99
    hass.set_state(CoreState.running)


async def test_removing_the_entry_deletes_its_storage(
    hass: HomeAssistant, hass_storage: dict[str, Any], connected_entry: MockConfigEntry
) -> None:
    """Removing the entry deletes its storage file."""
    key = storage_key(connected_entry.entry_id)
    assert await hass.config_entries.async_unload(connected_entry.entry_id)
    assert key in hass_storage
    await hass.config_entries.async_remove(connected_entry.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage


async def test_corrupt_storage_never_fails_setup(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    furby: VirtualFurby,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Bad values in the storage file take their defaults with a warning; setup goes on."""
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)
    hass_storage[storage_key(entry.entry_id)] = {
        "version": STORAGE_VERSION,
        "key": storage_key(entry.entry_id),
        "data": {"antenna": "pink", "counters": {"connects": "many"}},
    }
    view = await async_setup(hass, entry)
    assert "antenna, counters" in caplog.text
    await async_wait_until(hass, lambda: view.connected)
    assert view.state("light", "antenna").state == "unknown"


async def test_several_furbies_each_have_their_own_entry(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    furby_factory: Any,
) -> None:
    """Two Furbies get two entries and devices; commands and drops of one leave the other be."""
    first: VirtualFurby = furby_factory()
    second: VirtualFurby = furby_factory("F1:23:45:67:89:AC")
    entries = [make_entry(first.address), make_entry(second.address)]
    views = []
    for entry in entries:
        entry.add_to_hass(hass)
        views.append(await async_setup(hass, entry))
    await async_wait_until(hass, lambda: all(view.connected for view in views))

    await views[1].call("set_antenna", {"red": 1, "green": 1, "blue": 1})
    await async_furby_link_idle(hass)
    assert second.antenna == (1, 1, 1)
    assert first.antenna is None
    assert len({view.device_id for view in views}) == 2

    first.drop_connection()
    await async_wait_until(hass, lambda: not views[0].connected)
    assert views[1].connected
    await async_advance(hass, freezer, 1.5)
    await async_wait_until(hass, lambda: views[0].connected)
    assert (first.connect_count, second.connect_count) == (2, 1)


async def test_a_failed_device_information_read_is_tried_again(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    furby: VirtualFurby,
) -> None:
    """Device Information that could not be read at all is read again on the next connection."""
    for uuid in DEVICE_INFORMATION_FIELDS.values():
        furby.faults.gatt_error(uuid, ops=["read"])
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)
    view = await async_setup(hass, entry)
    await async_wait_until(hass, lambda: view.connected)
    assert device_of(hass, entry).sw_version is None
    assert device_of(hass, entry).model == "Furby Connect"  # the integration's default

    furby.faults.clear_gatt_errors()
    furby.drop_connection()
    await async_wait_until(hass, lambda: not view.connected)
    await async_advance(hass, freezer, 1.5)
    await async_wait_until(hass, lambda: view.connected)
    assert device_of(hass, entry).sw_version == "1.0.0"


async def test_an_unloaded_entry_leaves_nothing_behind(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby_view: FurbyView
) -> None:
    """After unloading, the entry's runtime data (coordinator, uploads, sequences) is freed and
    nothing of it stays in ``hass.data``: only what ``async_setup`` made once for every Furby (the
    websocket API's hub, which keeps the recent log for a reload, and the card's URL).
    """
    await furby_view.call("trigger_action", {"action": "giggle"})
    coordinator = weakref.ref(connected_entry.runtime_data.coordinator)
    assert await hass.config_entries.async_unload(connected_entry.entry_id)
    await hass.async_block_till_done()
    assert not hasattr(connected_entry, "runtime_data")
    gc.collect()
    assert coordinator() is None
    assert sorted(str(key) for key in hass.data if DOMAIN in str(key)) == [
        f"{DOMAIN}_frontend",
        f"{DOMAIN}_live",
    ]
