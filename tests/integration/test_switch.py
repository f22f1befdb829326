"""The eyes switch: ``cd 01``/``cd 00``, state from the toy's ``20 17``/``20 18`` confirmation."""

from __future__ import annotations

from typing import Any

from homeassistant.const import (
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

from custom_components.furby_connect.coordinator import FurbyCoordinator
from custom_components.furby_connect.models import FurbyState
from virtual_furby.toy import VirtualFurby

from .conftest import async_setup, async_wait_for
from .entity_helpers import WriteLog, entity_id, store_state


def _state(hass: HomeAssistant, furby: VirtualFurby) -> str:
    state = hass.states.get(entity_id(hass, "switch", "eyes", furby.address))
    assert state is not None
    return state.state


def _toy_eyes(furby: VirtualFurby) -> bool:
    """The toy's backlight (a call, so mypy does not keep an earlier narrowing)."""
    return furby.eyes_on


async def _switch(hass: HomeAssistant, furby: VirtualFurby, service: str) -> None:
    await hass.services.async_call(
        Platform.SWITCH,
        service,
        {ATTR_ENTITY_ID: entity_id(hass, "switch", "eyes", furby.address)},
        blocking=True,
    )


async def test_unknown_until_the_toy_confirms_a_change(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    assert _state(hass, furby) == STATE_UNKNOWN


async def test_turn_off_and_on_send_cd_and_follow_the_confirmation(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    log = WriteLog(furby)
    await _switch(hass, furby, SERVICE_TURN_OFF)
    assert log.gp() == [bytes.fromhex("cd 00")]
    assert _toy_eyes(furby) is False
    assert _state(hass, furby) == STATE_OFF

    log.mark()
    await _switch(hass, furby, SERVICE_TURN_ON)
    assert log.gp() == [bytes.fromhex("cd 01")]
    assert _toy_eyes(furby) is True
    assert _state(hass, furby) == STATE_ON


async def test_restored_from_storage(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    furby_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    store_state(hass_storage, furby_entry, FurbyState(eyes_on=False))
    coordinator = await async_setup(hass, furby_entry)
    await async_wait_for(coordinator, lambda: coordinator.connected)
    assert _state(hass, furby) == STATE_OFF


async def test_unavailable_without_the_link(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    coordinator: FurbyCoordinator = connected_entry.runtime_data
    furby.faults.go_out_of_range()
    await async_wait_for(coordinator, lambda: not coordinator.connected)
    await hass.async_block_till_done()
    assert _state(hass, furby) == STATE_UNAVAILABLE
