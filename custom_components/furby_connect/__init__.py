"""The Furby Connect integration: services registered once, one runtime per Furby entry.

``async_setup`` (once per Home Assistant) registers the service actions, the websocket API and
the card (static path and Lovelace resource). Each entry's ``runtime_data`` is a
``FurbyRuntimeData`` (``runtime.py``): the coordinator, the upload manager and the sequence
runner; once set up, the entry's Furby joins the websocket API's hub (``live_hub.py``) until it
unloads. docs/architecture.md describes the layers and the paths a command, a notification
and an upload take.
"""

from __future__ import annotations

from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN, PLATFORMS
from .coordinator import FurbyCoordinator
from .frontend import async_setup_frontend
from .live_hub import async_get_hub
from .protocol.catalog import load_catalog
from .runtime import FurbyConfigEntry, FurbyRuntimeData
from .sequence import FurbySequenceRunner
from .services import async_setup_services
from .storage import FurbyStore
from .upload import FurbyUploadManager
from .websocket_api import async_setup_websocket_api

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the service actions, the websocket API and the card once for all Furbies."""
    async_setup_services(hass)
    async_get_hub(hass)
    async_setup_websocket_api(hass)
    await async_setup_frontend(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: FurbyConfigEntry) -> bool:
    """Set up one Furby; the entry loads even when the toy is away and connects later."""
    catalog = await hass.async_add_executor_job(load_catalog)
    coordinator = await FurbyCoordinator.async_create(hass, entry, catalog)
    entry.runtime_data = FurbyRuntimeData(
        coordinator=coordinator,
        uploads=FurbyUploadManager(coordinator),
        sequences=FurbySequenceRunner(coordinator),
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    coordinator.async_start()

    async def _async_on_hass_stop(_event: Event) -> None:
        """Disconnect cleanly; the state is written at Home Assistant's final write."""
        await coordinator.async_shutdown()

    entry.async_on_unload(hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, _async_on_hass_stop))
    entry.async_on_unload(entry.add_update_listener(_async_update_listener))
    async_get_hub(hass).async_add_entry(entry)
    return True


async def _async_update_listener(hass: HomeAssistant, entry: FurbyConfigEntry) -> None:
    """Apply changed options (the connection policy) by reloading the entry.

    Home Assistant also updates the entry for other reasons (a rediscovery records its
    discovery key, for instance); those must not reload it and drop the link.
    """
    if entry.runtime_data.coordinator.options != dict(entry.options):
        await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: FurbyConfigEntry) -> bool:
    """Unload the platforms, disconnect, stop every task and write the state now."""
    runtime = entry.runtime_data
    await runtime.uploads.async_shutdown()  # while the link is up, so ACKs are turned off
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await runtime.sequences.async_stop()
        await runtime.coordinator.async_shutdown()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: FurbyConfigEntry) -> None:
    """Delete the entry's storage file and forget its log."""
    async_get_hub(hass).async_forget_entry(entry.entry_id)
    await FurbyStore(hass, entry.entry_id).async_remove()
