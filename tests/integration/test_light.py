"""The antenna light: colour and brightness to ``14 RR GG BB``, off = black, last sent restored.

The colour math (``split_color``, ``combine_color``) is unit-tested in
``tests/test_light_colors.py``.
"""

from __future__ import annotations

from typing import Any

from homeassistant.const import (
    ATTR_ASSUMED_STATE,
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.furby_connect.models import FurbyState
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .conftest import async_setup, async_wait_until
from .entity_helpers import FurbyView, WriteLog, entity_id, store_state

LIGHT = "light.furby_89ab_antenna"
ATTR_BRIGHTNESS = "brightness"
ATTR_RGB_COLOR = "rgb_color"


async def _turn_on(hass: HomeAssistant, **data: Any) -> None:
    await hass.services.async_call(
        Platform.LIGHT, SERVICE_TURN_ON, {ATTR_ENTITY_ID: LIGHT, **data}, blocking=True
    )


async def _turn_off(hass: HomeAssistant) -> None:
    await hass.services.async_call(
        Platform.LIGHT, SERVICE_TURN_OFF, {ATTR_ENTITY_ID: LIGHT}, blocking=True
    )


async def test_unknown_until_something_is_sent(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    """Nothing is known about the antenna before a colour is sent; the state is assumed."""
    assert entity_id(hass, "light", "antenna", furby.address) == LIGHT
    state = hass.states.get(LIGHT)
    assert state is not None
    assert state.state == STATE_UNKNOWN
    assert state.attributes[ATTR_ASSUMED_STATE] is True


async def test_turn_on_sends_colour_scaled_by_brightness(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    """The colour is scaled so its brightest channel is the brightness: ``14 80 00 40``."""
    log = WriteLog(furby)
    await _turn_on(hass, **{ATTR_RGB_COLOR: (255, 0, 128), ATTR_BRIGHTNESS: 128})
    await async_furby_link_idle(hass)

    assert log.gp() == [bytes.fromhex("14 80 00 40")]
    assert furby.antenna == (128, 0, 64)
    state = hass.states.get(LIGHT)
    assert state is not None
    assert state.state == STATE_ON
    assert state.attributes[ATTR_RGB_COLOR] == (255, 0, 128)
    assert state.attributes[ATTR_BRIGHTNESS] == 128


async def test_turn_off_sends_black_and_turn_on_brings_the_colour_back(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    """Off writes black; on without arguments brings back the last colour and brightness."""
    await _turn_on(hass, **{ATTR_RGB_COLOR: (0, 255, 0), ATTR_BRIGHTNESS: 100})
    await async_furby_link_idle(hass)  # that write lands before the log starts
    log = WriteLog(furby)

    await _turn_off(hass)
    await async_furby_link_idle(hass)
    assert log.gp() == [bytes.fromhex("14 00 00 00")]
    assert furby.antenna == (0, 0, 0)
    state = hass.states.get(LIGHT)
    assert state is not None
    assert state.state == STATE_OFF

    log.mark()
    await _turn_on(hass)
    await async_furby_link_idle(hass)
    assert log.gp() == [bytes.fromhex("14 00 64 00")]
    state = hass.states.get(LIGHT)
    assert state is not None
    assert state.state == STATE_ON
    assert state.attributes[ATTR_BRIGHTNESS] == 100


async def test_brightness_alone_keeps_the_colour_and_colour_alone_keeps_brightness(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    """A brightness alone keeps the colour; a colour alone keeps the brightness."""
    await _turn_on(hass, **{ATTR_RGB_COLOR: (255, 128, 0), ATTR_BRIGHTNESS: 255})
    await _turn_on(hass, **{ATTR_BRIGHTNESS: 64})
    await async_furby_link_idle(hass)
    assert furby.antenna == (64, 32, 0)
    await _turn_on(hass, **{ATTR_RGB_COLOR: (0, 0, 255)})
    await async_furby_link_idle(hass)
    assert furby.antenna == (0, 0, 64)


async def test_first_turn_on_without_colour_is_white(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    """Turned on for the first time without a colour, the antenna goes white."""
    await _turn_on(hass)
    await async_furby_link_idle(hass)
    assert furby.antenna == (255, 255, 255)


async def test_restored_from_storage_as_last_sent(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    furby_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    """The stored colour shows after a restart as colour and brightness; nothing is sent."""
    store_state(hass_storage, furby_entry, FurbyState(antenna=(10, 20, 40)))
    view = await async_setup(hass, furby_entry)
    await async_wait_until(hass, lambda: view.connected)

    state = hass.states.get(LIGHT)
    assert state is not None
    assert state.state == STATE_ON
    assert state.attributes[ATTR_RGB_COLOR] == (64, 128, 255)
    assert state.attributes[ATTR_BRIGHTNESS] == 40
    assert state.attributes[ATTR_ASSUMED_STATE] is True
    assert furby.antenna is None  # restoring shows what was sent; it sends nothing


async def test_last_colour_while_on_survives_a_restart_when_off(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    furby_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    """Stored off with a last colour, the light shows off and turning it on brings that back."""
    store_state(
        hass_storage, furby_entry, FurbyState(antenna=(0, 0, 0), antenna_last_on=(0, 90, 45))
    )
    view = await async_setup(hass, furby_entry)
    await async_wait_until(hass, lambda: view.connected)
    state = hass.states.get(LIGHT)
    assert state is not None
    assert state.state == STATE_OFF

    await _turn_on(hass)
    await async_furby_link_idle(hass)
    assert furby.antenna == (0, 90, 45)


async def test_the_last_colour_is_stored_with_the_state(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    """Turning the light off keeps the last colour in storage, written at unload."""
    await _turn_on(hass, **{ATTR_RGB_COLOR: (255, 0, 0), ATTR_BRIGHTNESS: 200})
    await _turn_off(hass)
    assert await hass.config_entries.async_unload(connected_entry.entry_id)
    stored = hass_storage[f"furby_connect.{connected_entry.entry_id}"]["data"]
    assert (stored["antenna"], stored["antenna_last_on"]) == ([0, 0, 0], [200, 0, 0])


async def test_a_version_1_1_file_gets_the_last_colour_from_the_antenna(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    furby_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    """Storage 1.1 had no last colour: a lit antenna becomes it, so turning on brings it back."""
    key = f"furby_connect.{furby_entry.entry_id}"
    hass_storage[key] = {
        "version": 1,
        "minor_version": 1,
        "key": key,
        "data": {"antenna": [30, 0, 60]},
    }
    view = await async_setup(hass, furby_entry)
    await async_wait_until(hass, lambda: view.connected)
    await _turn_off(hass)
    await _turn_on(hass)
    await async_furby_link_idle(hass)
    assert furby.antenna == (30, 0, 60)


async def test_availability_follows_the_link(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """Out of range, the light is unavailable."""
    furby.faults.go_out_of_range()
    await async_wait_until(hass, lambda: not furby_view.available)
    state = hass.states.get(LIGHT)
    assert state is not None
    assert state.state == STATE_UNAVAILABLE
