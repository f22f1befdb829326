"""The connectivity sensor: follows the link, never unavailable itself."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.const import ATTR_DEVICE_CLASS, STATE_OFF, STATE_ON, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.furby_connect.coordinator import FurbyCoordinator
from virtual_furby.toy import VirtualFurby

from .conftest import async_wait_for
from .entity_helpers import entity_id


def _state(hass: HomeAssistant, furby: VirtualFurby) -> str:
    state = hass.states.get(entity_id(hass, "binary_sensor", "connected", furby.address))
    assert state is not None
    assert state.attributes[ATTR_DEVICE_CLASS] == "connectivity"
    return state.state


async def test_is_a_diagnostic(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    entity_registry: er.EntityRegistry,
) -> None:
    entry = entity_registry.async_get(entity_id(hass, "binary_sensor", "connected", furby.address))
    assert entry is not None
    assert entry.entity_category is EntityCategory.DIAGNOSTIC
    assert entry.disabled_by is None


async def test_follows_the_link_down_and_up(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    coordinator: FurbyCoordinator = connected_entry.runtime_data
    assert _state(hass, furby) == STATE_ON

    furby.drop_connection()
    await async_wait_for(coordinator, lambda: not coordinator.connected)
    assert _state(hass, furby) == STATE_OFF  # off, not unavailable

    # The connect loop retries after its back-off; drive HA's timers until it is back.
    for seconds in (1, 3, 10, 30, 90, 200):
        if coordinator.connected:
            break
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))
        await hass.async_block_till_done()
    await async_wait_for(coordinator, lambda: coordinator.connected)
    assert _state(hass, furby) == STATE_ON
