"""Pre-configured Furbies: config entries made through the integration's own user flow.

The first start sets up the toys ``setup`` asks for (all, the first one, or none) by running
``furby_connect``'s config flow exactly as a user would (pick the address, the flow tests the
link). Later starts leave the entries alone, so whatever was set up or removed in the UI stays;
only a different ``setup`` than last time adds the missing entries and removes the demo toys'
entries that should not be there.
"""

from __future__ import annotations

import logging
from typing import Any, Final

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.storage import Store

from .const import DOMAIN, FURBY_DOMAIN, SETUP_ALL, SETUP_NONE

_LOGGER = logging.getLogger(__name__)

STORE_VERSION: Final = 1


def wanted_addresses(addresses: list[str], setup: str) -> list[str]:
    """Return the addresses to pre-configure for ``setup`` (all, one or none)."""
    if setup == SETUP_ALL:
        return list(addresses)
    if setup == SETUP_NONE:
        return []
    return addresses[:1]


async def async_reconcile_entries(hass: HomeAssistant, addresses: list[str], setup: str) -> None:
    """Make the demo toys' entries match ``setup`` when it differs from the last start's."""
    store: Store[dict[str, Any]] = Store(hass, STORE_VERSION, DOMAIN)
    previous = await store.async_load() or {}
    state = {"setup": setup, "addresses": addresses}
    if previous == state:
        _LOGGER.info("Setup %r as last time: keeping the existing Furby entries", setup)
        return
    wanted = wanted_addresses(addresses, setup)
    entries = {entry.unique_id: entry for entry in hass.config_entries.async_entries(FURBY_DOMAIN)}
    for address in addresses:
        entry = entries.get(address)
        if entry is not None and address not in wanted:
            _LOGGER.info("Removing the entry of %s (setup %r)", address, setup)
            await hass.config_entries.async_remove(entry.entry_id)
        elif entry is None and address in wanted:
            await _async_add_through_user_flow(hass, address)
    await store.async_save(state)


async def _async_add_through_user_flow(hass: HomeAssistant, address: str) -> None:
    """Run furby_connect's user flow for ``address``, as a user picking it from the list."""
    result: Any = await hass.config_entries.flow.async_init(
        FURBY_DOMAIN, context={"source": SOURCE_USER}
    )
    if result["type"] is FlowResultType.FORM:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"address": address}
        )
    if result["type"] is FlowResultType.CREATE_ENTRY:
        _LOGGER.info("Set up %s (%s)", result["title"], address)
    else:
        _LOGGER.warning("Could not set up %s: %s", address, result.get("reason", result))
