"""Entry lifecycle: setup with the toy away, device registry, restore, unload, stop, removal."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE, EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.furby_connect.const import DOMAIN, STORAGE_VERSION
from custom_components.furby_connect.coordinator import FurbyCoordinator
from custom_components.furby_connect.protocol.commands import MoodMeter
from custom_components.furby_connect.protocol.device_info import DeviceInformation
from custom_components.furby_connect.protocol.gatt import DEVICE_INFORMATION_FIELDS
from custom_components.furby_connect.storage import storage_key
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from ..bluetooth_helpers import inject_advertisement
from .conftest import async_advance, async_setup, async_wait_connected, async_wait_for, make_entry

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


async def test_setup_with_the_toy_away_loads_then_connects_when_it_advertises(
    hass: HomeAssistant,
    furby_factory: Any,
    virtual_proxy: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    furby: VirtualFurby = furby_factory(advertise=False)
    furby.faults.stop_advertising()
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)

    coordinator = await async_setup(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert (coordinator.connected, coordinator.available) == (False, False)
    assert "is unavailable: it is not advertising" in caplog.text
    device = device_of(hass, entry)
    assert device.manufacturer == "Hasbro"  # known before anything was read
    assert device.sw_version is None

    furby.faults.resume_advertising()
    virtual_proxy.advertise_all()
    await async_wait_connected(coordinator)
    assert (coordinator.available, furby.is_connected) == (True, True)
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
    assert coordinator.state.counters["connects"] == 1


async def test_restart_restores_state_and_reads_nothing_known(
    hass: HomeAssistant, hass_storage: dict[str, Any], furby_factory: Any
) -> None:
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
    coordinator = await async_setup(hass, entry)
    state = coordinator.state
    assert state.antenna == (0, 128, 255)
    assert state.eyes_on is False
    assert state.name_id == 17
    assert state.moods == {MoodMeter.WELLNESS: 80}
    assert device_of(hass, entry).serial_number == "CACHED-1"

    await async_wait_for(coordinator, lambda: coordinator.connected)
    assert state.device_info is not None
    assert state.device_info.serial_number == "CACHED-1"
    assert device_of(hass, entry).sw_version == "0.9.1"
    assert state.counters["connects"] == 10
    # nothing the toy cannot report was sent to it on connect
    assert furby.antenna is None


async def test_reconnect_does_not_read_device_information_again(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    coordinator: FurbyCoordinator = connected_entry.runtime_data
    assert coordinator.state.device_info is not None
    read = coordinator.state.device_info
    furby.drop_connection()
    await async_wait_for(coordinator, lambda: not coordinator.connected)
    await async_advance(hass, freezer, 1.5)  # the pause after a short-lived link
    await async_wait_connected(coordinator)
    assert coordinator.state.device_info is read
    assert coordinator.state.counters["connects"] == 2


async def test_rediscovery_of_a_loaded_entry_keeps_the_link(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    coordinator: FurbyCoordinator = connected_entry.runtime_data
    # HA records the discovery key in the entry (an entry update that is not an options change)
    inject_advertisement(hass, furby.address, "Furby")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert connected_entry.discovery_keys
    assert connected_entry.runtime_data is coordinator
    assert coordinator.connected
    assert furby.connect_count == 1


async def test_unload_disconnects_and_writes_the_state_now(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    storage_writes: list[str],
) -> None:
    coordinator: FurbyCoordinator = connected_entry.runtime_data
    await coordinator.async_set_antenna(7, 8, 9)
    key = storage_key(connected_entry.entry_id)
    before = storage_writes.count(key)

    assert await hass.config_entries.async_unload(connected_entry.entry_id)
    await hass.async_block_till_done()
    assert connected_entry.state is ConfigEntryState.NOT_LOADED
    assert not furby.is_connected
    assert storage_writes.count(key) == before + 1
    assert hass_storage[key]["data"]["antenna"] == [7, 8, 9]
    assert not coordinator.connection.reconnecting


async def test_a_burst_of_changes_is_written_once(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    storage_writes: list[str],
) -> None:
    coordinator: FurbyCoordinator = connected_entry.runtime_data
    key = storage_key(connected_entry.entry_id)
    freezer.tick(5)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    before = storage_writes.count(key)

    for count in range(1000):
        await coordinator.async_set_antenna(count % 256, 0, 0)
    assert storage_writes.count(key) == before
    freezer.tick(1.1)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert storage_writes.count(key) == before + 1
    assert hass_storage[key]["data"]["antenna"] == [999 % 256, 0, 0]
    assert hass_storage[key]["data"]["counters"]["actions_sent"] == 1000


async def test_home_assistant_stop_disconnects_and_writes_at_final_write(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    coordinator: FurbyCoordinator = connected_entry.runtime_data
    key = storage_key(connected_entry.entry_id)
    await coordinator.async_set_name(99)
    assert hass_storage.get(key, {}).get("data", {}).get("name_id") != 99

    hass.set_state(CoreState.stopping)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()
    assert not furby.is_connected
    assert not coordinator.connection.reconnecting
    assert hass_storage.get(key, {}).get("data", {}).get("name_id") != 99  # not yet

    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    assert hass_storage[key]["data"]["name_id"] == 99
    hass.set_state(CoreState.running)


async def test_removing_the_entry_deletes_its_storage(
    hass: HomeAssistant, hass_storage: dict[str, Any], connected_entry: MockConfigEntry
) -> None:
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
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)
    hass_storage[storage_key(entry.entry_id)] = {
        "version": STORAGE_VERSION,
        "key": storage_key(entry.entry_id),
        "data": {"antenna": "pink", "counters": {"connects": "many"}},
    }
    coordinator = await async_setup(hass, entry)
    assert coordinator.state.antenna is None
    assert "antenna, counters" in caplog.text
    await async_wait_for(coordinator, lambda: coordinator.connected)


async def test_several_furbies_each_have_their_own_entry(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    furby_factory: Any,
) -> None:
    first: VirtualFurby = furby_factory()
    second: VirtualFurby = furby_factory("F1:23:45:67:89:AC")
    entries = [make_entry(first.address), make_entry(second.address)]
    coordinators = []
    for entry in entries:
        entry.add_to_hass(hass)
        coordinators.append(await async_setup(hass, entry))
    for coordinator in coordinators:
        await async_wait_connected(coordinator)

    await coordinators[1].async_set_antenna(1, 1, 1)
    await async_furby_link_idle(hass)
    assert second.antenna == (1, 1, 1)
    assert first.antenna is None
    assert {device_of(hass, entry).id for entry in entries}.__len__() == 2

    first.drop_connection()
    await async_wait_for(coordinators[0], lambda: not coordinators[0].connected)
    await async_advance(hass, freezer, 1.5)
    await async_wait_connected(coordinators[0])
    assert coordinators[1].state.counters["connects"] == 1


async def test_a_failed_device_information_read_is_tried_again(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    furby: VirtualFurby,
) -> None:
    for uuid in DEVICE_INFORMATION_FIELDS.values():
        furby.faults.gatt_error(uuid, ops=["read"])
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)
    coordinator = await async_setup(hass, entry)
    await async_wait_connected(coordinator)
    assert coordinator.state.device_info == DeviceInformation()
    assert device_of(hass, entry).sw_version is None

    furby.faults.clear_gatt_errors()
    furby.drop_connection()
    await async_wait_for(coordinator, lambda: not coordinator.connected)
    await async_advance(hass, freezer, 1.5)
    await async_wait_connected(coordinator)
    assert coordinator.state.device_info is not None
    assert coordinator.state.device_info.firmware_version == "1.0.0"
    assert device_of(hass, entry).sw_version == "1.0.0"
