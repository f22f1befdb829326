"""The mood numbers: ``23 01 TT VV`` per meter, 0-100, last sent restored."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components.number import (
    ATTR_MAX,
    ATTR_MIN,
    ATTR_STEP,
    ATTR_VALUE,
)
from homeassistant.const import ATTR_ASSUMED_STATE, ATTR_ENTITY_ID, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.furby_connect.models import FurbyState
from custom_components.furby_connect.protocol.commands import MoodMeter
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .conftest import async_setup, async_wait_until
from .entity_helpers import WriteLog, entity_id, store_state


async def _set(hass: HomeAssistant, entity: str, value: float) -> None:
    await hass.services.async_call(
        Platform.NUMBER,
        "set_value",
        {ATTR_ENTITY_ID: entity, ATTR_VALUE: value},
        blocking=True,
    )


async def test_one_number_per_meter_unknown_until_set(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    """Five mood numbers, 0-100 in steps of 1, assumed state, unknown until set."""
    for meter in MoodMeter:
        state = hass.states.get(entity_id(hass, "number", meter.name.lower(), furby.address))
        assert state is not None
        assert state.state == STATE_UNKNOWN
        assert state.attributes[ATTR_MIN] == 0
        assert state.attributes[ATTR_MAX] == 100
        assert state.attributes[ATTR_STEP] == 1
        assert state.attributes[ATTR_ASSUMED_STATE] is True


@pytest.mark.parametrize("meter", list(MoodMeter))
async def test_setting_a_meter_sends_23(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, meter: MoodMeter
) -> None:
    """Setting a meter writes ``23 01 <meter> <value>`` and shows the value."""
    entity = entity_id(hass, "number", meter.name.lower(), furby.address)
    log = WriteLog(furby)
    await _set(hass, entity, 42)
    await async_furby_link_idle(hass)
    assert log.gp() == [bytes([0x23, 0x01, meter, 42])]
    assert furby.moods[meter] == 42
    state = hass.states.get(entity)
    assert state is not None
    assert float(state.state) == 42


@pytest.mark.parametrize("value", [-1, 101])
async def test_out_of_range_is_refused_before_sending(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, value: int
) -> None:
    """Values outside 0-100 are refused by Home Assistant before anything is sent."""
    log = WriteLog(furby)
    with pytest.raises(ServiceValidationError):
        await _set(hass, entity_id(hass, "number", "wellness", furby.address), value)
    assert log.all() == []


async def test_restored_from_storage(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    furby_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    """A stored meter shows after a restart; the others stay unknown."""
    store_state(hass_storage, furby_entry, FurbyState(moods={MoodMeter.TIREDNESS: 77}))
    view = await async_setup(hass, furby_entry)
    await async_wait_until(hass, lambda: view.connected)
    state = hass.states.get(entity_id(hass, "number", "tiredness", furby.address))
    assert state is not None
    assert float(state.state) == 77
    assert state.attributes[ATTR_ASSUMED_STATE] is True
    other = hass.states.get(entity_id(hass, "number", "wellness", furby.address))
    assert other is not None
    assert other.state == STATE_UNKNOWN
