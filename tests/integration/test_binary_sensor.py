"""The connectivity sensor: follows the link, never unavailable itself."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.const import ATTR_DEVICE_CLASS, STATE_OFF, STATE_ON, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from virtual_furby.toy import VirtualFurby

from .conftest import async_wait_until
from .entity_helpers import FurbyView


def _state(view: FurbyView) -> str:
    state = view.state("binary_sensor", "connected")
    assert state.attributes[ATTR_DEVICE_CLASS] == "connectivity"
    return state.state


async def test_is_a_diagnostic(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    entity_registry: er.EntityRegistry,
) -> None:
    """The Connected sensor is an enabled diagnostic entity."""
    entry = entity_registry.async_get(furby_view.entity_id("binary_sensor", "connected"))
    assert entry is not None
    assert entry.entity_category is EntityCategory.DIAGNOSTIC
    assert entry.disabled_by is None


async def test_follows_the_link_down_and_up(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """A dropped link turns the sensor off (not unavailable); the reconnect turns it on."""
    assert _state(furby_view) == STATE_ON

    furby.drop_connection()
    await async_wait_until(hass, lambda: _state(furby_view) == STATE_OFF)

    # The connect loop retries after its back-off; drive HA's timers until it is back.
    for seconds in (1, 3, 10, 30, 90, 200):
        if furby.is_connected:
            break
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))
        await hass.async_block_till_done()
    await async_wait_until(hass, lambda: _state(furby_view) == STATE_ON)
    assert furby.connect_count == 2
