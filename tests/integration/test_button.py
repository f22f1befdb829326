"""Buttons: giggle, puke, say name, and the (disabled, diagnostic) debug screen."""

from __future__ import annotations

import pytest
from homeassistant.const import ATTR_ENTITY_ID, EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.furby_connect.const import DOMAIN
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .conftest import async_setup, async_wait_until
from .entity_helpers import FurbyView, WriteLog, entity_id


async def _press(hass: HomeAssistant, furby: VirtualFurby, key: str) -> None:
    await hass.services.async_call(
        Platform.BUTTON,
        "press",
        {ATTR_ENTITY_ID: entity_id(hass, "button", key, furby.address)},
        blocking=True,
    )


@pytest.mark.parametrize(
    ("key", "command", "action"),
    [
        ("giggle", "13 00 37 02 0e 00", (55, 2, 14, 0)),
        ("puke", "13 00 38 03 0f 01", (56, 3, 15, 1)),
    ],
)
async def test_action_buttons(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    key: str,
    command: str,
    action: tuple[int, int, int, int],
) -> None:
    """Giggle and Puke play their actions (the exact ``13`` command) on the toy."""
    log = WriteLog(furby)
    await _press(hass, furby, key)
    assert log.gp()[0] == bytes.fromhex(command)
    assert furby.played_actions == [action]


async def test_say_name_says_the_current_name(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """Say name plays action 33/0/0/<name id> with the name last set."""
    await furby_view.call("set_name", {"name_id": 21})
    await async_furby_link_idle(hass)  # the name write lands before the log starts
    log = WriteLog(furby)
    await _press(hass, furby, "say_name")
    await async_furby_link_idle(hass)
    assert log.gp()[0] == bytes.fromhex("13 00 21 00 00 15")
    assert furby.played_actions[-1] == (33, 0, 0, 21)


async def test_say_name_without_a_known_name_is_refused(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    """Without a known name Say name is refused with a translated error and sends nothing."""
    log = WriteLog(furby)
    with pytest.raises(ServiceValidationError) as raised:
        await _press(hass, furby, "say_name")
    assert raised.value.translation_key == "name_not_set"
    assert raised.value.translation_domain == DOMAIN
    assert log.all() == []


async def test_debug_screen_is_a_disabled_diagnostic(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    entity_registry: er.EntityRegistry,
) -> None:
    """The debug-screen button is a diagnostic, disabled by default."""
    entry = entity_registry.async_get(entity_id(hass, "button", "debug_screen", furby.address))
    assert entry is not None
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert entry.entity_category is EntityCategory.DIAGNOSTIC


async def test_debug_screen_cycles_the_screens(
    hass: HomeAssistant,
    furby_entry: MockConfigEntry,
    furby: VirtualFurby,
    entity_registry: er.EntityRegistry,
) -> None:
    """Each press of the (enabled) debug-screen button writes ``db``; the toy cycles screens."""
    entity_registry.async_get_or_create(
        "button", DOMAIN, f"{furby.address}_debug_screen", config_entry=furby_entry
    )
    view = await async_setup(hass, furby_entry)
    await async_wait_until(hass, lambda: view.connected)
    log = WriteLog(furby)
    await _press(hass, furby, "debug_screen")
    await _press(hass, furby, "debug_screen")
    await async_furby_link_idle(hass)
    assert log.gp() == [bytes.fromhex("db"), bytes.fromhex("db")]
    assert furby.debug_screen == 2
