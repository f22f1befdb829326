"""Sensors: orientation from ``21`` packets, signal strength, and the active DLC slot."""

from __future__ import annotations

from typing import Any

from homeassistant.const import (
    ATTR_UNIT_OF_MEASUREMENT,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    EntityCategory,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.furby_connect.const import DOMAIN
from custom_components.furby_connect.coordinator import FurbyCoordinator
from custom_components.furby_connect.models import FurbyState, SlotTable
from custom_components.furby_connect.protocol.notifications import Orientation
from virtual_furby.toy import VirtualFurby

from .conftest import async_setup, async_wait_for
from .entity_helpers import entity_id, store_state


def _state(hass: HomeAssistant, key: str, furby: VirtualFurby) -> Any:
    state = hass.states.get(entity_id(hass, "sensor", key, furby.address))
    assert state is not None
    return state


async def test_orientation_follows_the_sensor_packets(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    coordinator: FurbyCoordinator = connected_entry.runtime_data
    state = _state(hass, "orientation", furby)
    assert state.state == "upright"  # from the snapshot the toy sends on subscribe
    assert state.attributes["options"] == [o.value for o in Orientation]

    furby.set_orientation("upside_down")
    await async_wait_for(coordinator, lambda: coordinator.state.orientation == "upside_down")
    assert _state(hass, "orientation", furby).state == "upside_down"

    furby.set_orientation(None)
    await async_wait_for(coordinator, lambda: coordinator.state.orientation is None)
    assert _state(hass, "orientation", furby).state == STATE_UNKNOWN


async def test_signal_strength_is_a_disabled_diagnostic(
    hass: HomeAssistant,
    furby_entry: MockConfigEntry,
    furby: VirtualFurby,
    entity_registry: er.EntityRegistry,
) -> None:
    # Enabled up front, as a user would, so the entity is created with the entry.
    entity_registry.async_get_or_create(
        "sensor",
        DOMAIN,
        f"{furby.address}_signal_strength",
        config_entry=furby_entry,
        disabled_by=None,
    )
    coordinator = await async_setup(hass, furby_entry)
    await async_wait_for(coordinator, lambda: coordinator.connected)
    entry = entity_registry.async_get(entity_id(hass, "sensor", "signal_strength", furby.address))
    assert entry is not None
    assert entry.entity_category is EntityCategory.DIAGNOSTIC

    state = _state(hass, "signal_strength", furby)
    assert state.state == str(furby.rssi)
    assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == SIGNAL_STRENGTH_DECIBELS_MILLIWATT


async def test_signal_strength_disabled_by_default(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    entity_registry: er.EntityRegistry,
) -> None:
    entry = entity_registry.async_get(entity_id(hass, "sensor", "signal_strength", furby.address))
    assert entry is not None
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert entry.entity_category is EntityCategory.DIAGNOSTIC


async def test_active_slot_after_reading_the_slots(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    coordinator: FurbyCoordinator = connected_entry.runtime_data
    state = _state(hass, "active_slot", furby)
    assert state.state == STATE_UNKNOWN
    assert "filled_slots" not in state.attributes

    furby.slots.install(2, "TU000002.DLC", b"two")
    furby.slots.install(13, "TU000013.DLC", b"thirteen", active=True)
    await coordinator.async_refresh_slots()
    await hass.async_block_till_done()
    state = _state(hass, "active_slot", furby)
    assert state.state == "13"
    assert state.attributes["filled_slots"] == [2, 13]

    furby.slots.deactivate(13)
    await coordinator.async_refresh_slots()
    await hass.async_block_till_done()
    state = _state(hass, "active_slot", furby)
    assert state.state == STATE_UNKNOWN
    assert state.attributes["filled_slots"] == [2, 13]


async def test_active_slot_restored_from_storage(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    furby_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    slots = SlotTable(filled=frozenset({5, 7}), active=frozenset({7}))
    store_state(hass_storage, furby_entry, FurbyState(slots=slots))
    coordinator = await async_setup(hass, furby_entry)
    await async_wait_for(coordinator, lambda: coordinator.connected)
    state = _state(hass, "active_slot", furby)
    assert state.state == "7"
    assert state.attributes["filled_slots"] == [5, 7]


async def test_unavailable_without_the_link(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    coordinator: FurbyCoordinator = connected_entry.runtime_data
    furby.faults.go_out_of_range()
    await async_wait_for(coordinator, lambda: not coordinator.connected)
    await hass.async_block_till_done()
    assert _state(hass, "orientation", furby).state == STATE_UNAVAILABLE
    assert _state(hass, "active_slot", furby).state == STATE_UNAVAILABLE
