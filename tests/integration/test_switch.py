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

from custom_components.furby_connect.models import FurbyState
from virtual_furby.toy import VirtualFurby

from .conftest import async_setup, async_wait_until
from .entity_helpers import FurbyView, WriteLog, store_state


def _state(view: FurbyView) -> str:
    return view.state("switch", "eyes").state


def _toy_eyes(furby: VirtualFurby) -> bool:
    """The toy's backlight (a call, so mypy does not keep an earlier narrowing)."""
    return furby.eyes_on


async def _switch(hass: HomeAssistant, view: FurbyView, service: str) -> None:
    await hass.services.async_call(
        Platform.SWITCH, service, {ATTR_ENTITY_ID: view.entity_id("switch", "eyes")}, blocking=True
    )


async def test_unknown_until_the_toy_confirms_a_change(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby_view: FurbyView
) -> None:
    """Nothing is known about the backlight before a command or a confirmation."""
    assert _state(furby_view) == STATE_UNKNOWN


async def test_turn_off_and_on_send_cd_and_follow_the_confirmation(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """Turning off/on writes ``cd 00``/``cd 01`` and the state follows."""
    log = WriteLog(furby)
    await _switch(hass, furby_view, SERVICE_TURN_OFF)
    assert log.gp() == [bytes.fromhex("cd 00")]
    assert _toy_eyes(furby) is False
    assert _state(furby_view) == STATE_OFF

    log.mark()
    await _switch(hass, furby_view, SERVICE_TURN_ON)
    assert log.gp() == [bytes.fromhex("cd 01")]
    assert _toy_eyes(furby) is True
    assert _state(furby_view) == STATE_ON


async def test_the_toys_own_confirmations_update_the_state(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """A ``20 18``/``20 17`` the toy sends by itself switches the entity off/on."""
    furby.notify_gp(b"\x20\x18")
    await async_wait_until(hass, lambda: _state(furby_view) == STATE_OFF)
    furby.notify_gp(b"\x20\x17")
    await async_wait_until(hass, lambda: _state(furby_view) == STATE_ON)


async def test_restored_from_storage(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    furby_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    """The stored backlight state shows after a restart, before anything is sent."""
    store_state(hass_storage, furby_entry, FurbyState(eyes_on=False))
    view = await async_setup(hass, furby_entry)
    await async_wait_until(hass, lambda: view.connected)
    assert _state(view) == STATE_OFF


async def test_unavailable_without_the_link(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """Out of range, the switch is unavailable."""
    furby.faults.go_out_of_range()
    await async_wait_until(hass, lambda: _state(furby_view) == STATE_UNAVAILABLE)
