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
from custom_components.furby_connect.models import FurbyState, SlotTable
from custom_components.furby_connect.protocol.notifications import Orientation
from virtual_furby.toy import VirtualFurby

from .conftest import async_setup, async_wait_until
from .entity_helpers import FurbyView, store_state


async def test_orientation_follows_the_sensor_packets(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """The orientation comes from the sensor packets; none set is unknown."""
    state = furby_view.state("sensor", "orientation")
    assert state.state == "upright"  # from the snapshot the toy sends on subscribe
    assert state.attributes["options"] == [o.value for o in Orientation]

    furby.set_orientation("upside_down")
    await async_wait_until(
        hass, lambda: furby_view.state("sensor", "orientation").state == "upside_down"
    )
    furby.set_orientation(None)
    await async_wait_until(
        hass, lambda: furby_view.state("sensor", "orientation").state == STATE_UNKNOWN
    )


async def test_signal_strength_is_a_diagnostic_in_dbm(
    hass: HomeAssistant,
    furby_entry: MockConfigEntry,
    furby: VirtualFurby,
    entity_registry: er.EntityRegistry,
) -> None:
    """Enabled, the signal strength shows the advertised RSSI in dBm, as a diagnostic."""
    # Enabled up front, as a user would, so the entity is created with the entry.
    entity_registry.async_get_or_create(
        "sensor",
        DOMAIN,
        f"{furby.address}_signal_strength",
        config_entry=furby_entry,
        disabled_by=None,
    )
    view = await async_setup(hass, furby_entry)
    await async_wait_until(hass, lambda: view.connected)
    entry = entity_registry.async_get(view.entity_id("sensor", "signal_strength"))
    assert entry is not None
    assert entry.entity_category is EntityCategory.DIAGNOSTIC

    state = view.state("sensor", "signal_strength")
    assert state.state == str(furby.rssi)
    assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == SIGNAL_STRENGTH_DECIBELS_MILLIWATT


async def test_signal_strength_disabled_by_default(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    entity_registry: er.EntityRegistry,
) -> None:
    """The signal strength is disabled by default."""
    entry = entity_registry.async_get(furby_view.entity_id("sensor", "signal_strength"))
    assert entry is not None
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert entry.entity_category is EntityCategory.DIAGNOSTIC


async def test_active_slot_after_reading_the_slots(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """Reading the slot table shows the active slot and the filled ones as an attribute."""
    state = furby_view.state("sensor", "active_slot")
    assert state.state == STATE_UNKNOWN
    assert "filled_slots" not in state.attributes

    furby.slots.install(2, "TU000002.DLC", b"two")
    furby.slots.install(13, "TU000013.DLC", b"thirteen", active=True)
    await furby_view.call("get_dlc_slots", response=True)
    state = furby_view.state("sensor", "active_slot")
    assert state.state == "13"
    assert state.attributes["filled_slots"] == [2, 13]

    furby.slots.deactivate(13)
    await furby_view.call("get_dlc_slots", response=True)
    state = furby_view.state("sensor", "active_slot")
    assert state.state == STATE_UNKNOWN
    assert state.attributes["filled_slots"] == [2, 13]


async def test_active_slot_restored_from_storage(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    furby_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    """The stored slot table shows after a restart."""
    slots = SlotTable(filled=frozenset({5, 7}), active=frozenset({7}))
    store_state(hass_storage, furby_entry, FurbyState(slots=slots))
    view = await async_setup(hass, furby_entry)
    await async_wait_until(hass, lambda: view.connected)
    state = view.state("sensor", "active_slot")
    assert state.state == "7"
    assert state.attributes["filled_slots"] == [5, 7]


async def test_unavailable_without_the_link(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """Out of range, the toy's sensors are unavailable; the upload sensor stays available."""
    furby.faults.go_out_of_range()
    await async_wait_until(hass, lambda: not furby_view.connected)
    assert furby_view.state("sensor", "orientation").state == STATE_UNAVAILABLE
    assert furby_view.state("sensor", "active_slot").state == STATE_UNAVAILABLE
    assert furby_view.state("sensor", "upload_progress").state == STATE_UNKNOWN
