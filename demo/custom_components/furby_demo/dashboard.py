"""The demo dashboard: the default dashboard shows one Furby card per set-up Furby.

Written whenever the set of Furby devices differs from the cards the dashboard holds (a Furby
set up from discovery gets its card at once, a removed one loses it). A dashboard whose Furby
cards already match is never rewritten, so edits around them are kept.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, Protocol, cast

from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.debounce import Debouncer

from .const import CARD_TYPE, FURBY_DOMAIN

_LOGGER = logging.getLogger(__name__)

VIEW_PATH = "furbies"


def furby_devices(hass: HomeAssistant) -> list[dr.DeviceEntry]:
    """Return the devices of every furby_connect entry, ordered by name."""
    registry = dr.async_get(hass)
    devices = [
        device
        for entry in hass.config_entries.async_entries(FURBY_DOMAIN)
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
    ]
    return sorted(devices, key=lambda device: device.name_by_user or device.name or device.id)


def _cards(config: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield every card of a dashboard config (views, sections and nested stacks)."""
    stack: list[Any] = list(config.get("views", []))
    while stack:
        item = stack.pop()
        if not isinstance(item, dict):
            continue
        if "type" in item and "device_id" in item:
            yield item
        for key in ("cards", "sections"):
            stack.extend(item.get(key, []) or [])


def card_device_ids(config: dict[str, Any]) -> list[str]:
    """Return the device ids of the Furby cards in ``config``, sorted."""
    return sorted(card["device_id"] for card in _cards(config) if card.get("type") == CARD_TYPE)


def dashboard_config(device_ids: list[str], toy_count: int) -> dict[str, Any]:
    """Return the demo dashboard: a short note and one Furby card per device."""
    waiting = toy_count - len(device_ids)
    note = (
        f"**{toy_count} virtual Furbies** on a simulated Bluetooth proxy: {len(device_ids)} set up"
    )
    if waiting > 0:
        note += (
            f", {waiting} waiting under [Settings → Devices & services]"
            "(/config/integrations/dashboard) as discovered"
        )
    note += ". Now and then one is tickled, fed or tilted by itself."
    cards: list[dict[str, Any]] = [{"type": "markdown", "content": note}]
    cards += [{"type": CARD_TYPE, "device_id": device_id} for device_id in device_ids]
    return {
        "title": "Furby Connect demo",
        "views": [{"title": "Furbies", "path": VIEW_PATH, "icon": "mdi:owl", "cards": cards}],
    }


class _Dashboard(Protocol):
    """The part of Lovelace's dashboard objects used here (the same on HA 2025.4 and 2026)."""

    @property
    def mode(self) -> str:
        """``storage`` or ``yaml``."""

    async def async_load(self, force: bool) -> dict[str, Any]:
        """Return the saved config; raise ``ConfigNotFound`` while it is auto-generated."""

    async def async_save(self, config: dict[str, Any]) -> None:
        """Save the config and tell the open frontends."""


def _default_dashboard(hass: HomeAssistant) -> _Dashboard | None:
    """Return the dashboard the frontend opens first, or None.

    On Home Assistant 2026 that is the storage dashboard with the url path ``lovelace`` (the
    demo's template seeds it and makes it the default panel); without it, the unnamed default
    dashboard of older versions.
    """
    dashboards = getattr(hass.data.get("lovelace"), "dashboards", None)
    if not isinstance(dashboards, dict):
        return None
    return cast(_Dashboard | None, dashboards.get("lovelace") or dashboards.get(None))


async def async_sync_dashboard(hass: HomeAssistant, toy_count: int) -> None:
    """Rewrite the default dashboard when its Furby cards differ from the Furby devices."""
    dashboard = _default_dashboard(hass)
    if dashboard is None or dashboard.mode != "storage":
        _LOGGER.warning("The default dashboard is not in storage mode: not adding Furby cards")
        return
    try:
        current: dict[str, Any] = await dashboard.async_load(False)
    except HomeAssistantError:  # ConfigNotFound: still the auto-generated dashboard
        current = {}
    wanted = sorted(device.id for device in furby_devices(hass))
    if current and card_device_ids(current) == wanted:
        return
    _LOGGER.info("Dashboard: one Furby card for each of %s", wanted)
    await dashboard.async_save(dashboard_config(wanted, toy_count))


@callback
def async_track_dashboard(hass: HomeAssistant, toy_count: int) -> CALLBACK_TYPE:
    """Keep the dashboard in step with the Furby devices; return the function that stops it."""

    async def sync() -> None:
        await async_sync_dashboard(hass, toy_count)

    debouncer = Debouncer(hass, _LOGGER, cooldown=1.0, immediate=False, function=sync)

    @callback
    def on_device_change(_event: Event[Any]) -> None:
        debouncer.async_schedule_call()

    remove = hass.bus.async_listen(dr.EVENT_DEVICE_REGISTRY_UPDATED, on_device_change)

    @callback
    def stop() -> None:
        remove()
        debouncer.async_cancel()

    return stop
