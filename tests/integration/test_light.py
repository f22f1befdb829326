"""The antenna light: colour and brightness to ``14 RR GG BB``, off = black, last sent restored."""

from __future__ import annotations

from typing import Any

import pytest
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
from homeassistant.core import HomeAssistant, State
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.furby_connect.coordinator import FurbyCoordinator
from custom_components.furby_connect.light import (
    AntennaExtraData,
    combine_color,
    split_color,
)
from custom_components.furby_connect.models import FurbyState
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .conftest import async_setup, async_wait_for
from .entity_helpers import WriteLog, entity_id, store_state

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


@pytest.mark.parametrize(
    ("antenna", "expected"),
    [
        ((255, 0, 0), ((255, 0, 0), 255)),
        ((128, 0, 64), ((255, 0, 128), 128)),
        ((10, 20, 40), ((64, 128, 255), 40)),
        ((0, 0, 0), None),
    ],
)
def test_split_color(
    antenna: tuple[int, int, int], expected: tuple[tuple[int, int, int], int] | None
) -> None:
    assert split_color(antenna) == expected


@pytest.mark.parametrize(
    ("rgb", "brightness", "expected"),
    [
        ((255, 0, 0), 128, (128, 0, 0)),
        ((255, 0, 128), 128, (128, 0, 64)),
        ((100, 50, 0), 255, (255, 128, 0)),
        ((0, 0, 0), 200, (0, 0, 0)),
        ((255, 255, 255), 0, (0, 0, 0)),
    ],
)
def test_combine_color(
    rgb: tuple[int, int, int], brightness: int, expected: tuple[int, int, int]
) -> None:
    assert combine_color(rgb, brightness) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"last_on": [1, 2, 3]}, (1, 2, 3)),
        ({"last_on": None}, None),
        ({}, None),
        ({"last_on": [0, 0, 0]}, None),
        ({"last_on": [256, 0, 0]}, None),
        ({"last_on": [1, 2]}, None),
        ({"last_on": [True, 0, 0]}, None),
        ({"last_on": "red"}, None),
    ],
)
def test_extra_data_from_dict_refuses_bad_values(
    data: dict[str, Any], expected: tuple[int, int, int] | None
) -> None:
    assert AntennaExtraData.from_dict(data).last_on == expected


def test_extra_data_round_trip() -> None:
    data = AntennaExtraData((9, 8, 7))
    assert AntennaExtraData.from_dict(data.as_dict()) == data


async def test_unknown_until_something_is_sent(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    assert entity_id(hass, "light", "antenna", furby.address) == LIGHT
    state = hass.states.get(LIGHT)
    assert state is not None
    assert state.state == STATE_UNKNOWN
    assert state.attributes[ATTR_ASSUMED_STATE] is True


async def test_turn_on_sends_colour_scaled_by_brightness(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
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
    await _turn_on(hass)
    await async_furby_link_idle(hass)
    assert furby.antenna == (255, 255, 255)


async def test_restored_from_storage_as_last_sent(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    furby_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    store_state(hass_storage, furby_entry, FurbyState(antenna=(10, 20, 40)))
    coordinator = await async_setup(hass, furby_entry)
    await async_wait_for(coordinator, lambda: coordinator.connected)

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
    store_state(hass_storage, furby_entry, FurbyState(antenna=(0, 0, 0)))
    mock_restore_cache_with_extra_data(
        hass, [(State(LIGHT, STATE_OFF), AntennaExtraData((0, 90, 45)).as_dict())]
    )
    coordinator = await async_setup(hass, furby_entry)
    await async_wait_for(coordinator, lambda: coordinator.connected)
    state = hass.states.get(LIGHT)
    assert state is not None
    assert state.state == STATE_OFF

    await _turn_on(hass)
    await async_furby_link_idle(hass)
    assert furby.antenna == (0, 90, 45)


async def test_availability_follows_the_link(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    coordinator: FurbyCoordinator = connected_entry.runtime_data
    furby.faults.go_out_of_range()
    await async_wait_for(coordinator, lambda: not coordinator.connected)
    await hass.async_block_till_done()
    state = hass.states.get(LIGHT)
    assert state is not None
    assert state.state == STATE_UNAVAILABLE
