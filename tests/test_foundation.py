"""The harness is real: the integration loads, unloads and is discovered on both HA versions."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_BLUETOOTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.furby_connect.const import DOMAIN

from .bluetooth_helpers import inject_advertisement

ADDRESS = "F1:23:45:67:89:AB"


async def test_loads_and_unloads(hass: HomeAssistant) -> None:
    """An entry of the integration loads and unloads."""
    entry = MockConfigEntry(domain=DOMAIN, unique_id=ADDRESS, data={"address": ADDRESS})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED


async def test_advertisement_named_furby_starts_discovery(hass: HomeAssistant) -> None:
    """An advertisement named Furby starts a bluetooth discovery flow."""
    inject_advertisement(hass, ADDRESS, "Furby")
    await hass.async_block_till_done(wait_background_tasks=True)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert len(flows) == 1
    assert flows[0]["context"]["source"] == SOURCE_BLUETOOTH
    assert flows[0]["context"]["unique_id"] == ADDRESS


async def test_other_names_start_no_discovery(hass: HomeAssistant) -> None:
    """An advertisement of another Hasbro toy starts none."""
    inject_advertisement(hass, "C0:FF:EE:00:00:01", "Kipps")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []
