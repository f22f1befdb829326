"""Serving the card: a static path, its versioned URL, and the Lovelace resource.

Done once per Home Assistant, from ``async_setup`` (Home Assistant refuses a second route for
the same path, and reloading an entry does not run ``async_setup`` again):

- ``/furby_connect_frontend/`` serves ``frontend/`` with cache headers (31 days);
- the card's URL carries the integration's version from ``manifest.json`` (the one place it is
  written): ``/furby_connect_frontend/furby-connect-card.js?v=<version>``, so a new version is a
  new URL and no browser keeps an old card;
- storage-mode dashboards get the card as a Lovelace resource (``module``), created once and
  moved to the current URL after an update; in YAML mode Home Assistant cannot add it, so the
  log says once which line to add (README, "The card").

A Lovelace resource rather than ``add_extra_js_url``: an extra module can run before Home
Assistant's scoped custom-element registry is in place and its ``define`` is then lost; a
resource loads after it. The card also guards against that race itself.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from homeassistant.components.http import StaticPathConfig
from homeassistant.components.lovelace.const import LOVELACE_DATA
from homeassistant.components.lovelace.resources import ResourceStorageCollection
from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_integration
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN

_LOGGER = logging.getLogger(__name__)

URL_BASE: Final = f"/{DOMAIN}_frontend"
"""Where ``frontend/`` is served."""
CARD_FILE: Final = "furby-connect-card.js"
FRONTEND_DIR: Final = Path(__file__).parent / "frontend"
RESOURCE_TYPE: Final = "module"

_REGISTERED: HassKey[str] = HassKey(f"{DOMAIN}_frontend")
"""The card URL, once the static path is registered."""


async def async_card_url(hass: HomeAssistant) -> str:
    """Return the card's URL with the integration's version as cache buster."""
    integration = await async_get_integration(hass, DOMAIN)
    return f"{URL_BASE}/{CARD_FILE}?v={integration.version}"


async def async_setup_frontend(hass: HomeAssistant) -> None:
    """Serve the card and register it as a Lovelace resource (once per Home Assistant)."""
    if _REGISTERED in hass.data:
        return
    url = await async_card_url(hass)
    await hass.http.async_register_static_paths(
        [StaticPathConfig(URL_BASE, str(FRONTEND_DIR), cache_headers=True)]
    )
    hass.data[_REGISTERED] = url
    await async_register_resource(hass, url)


def _is_card(resource_url: object) -> bool:
    """Whether a resource URL is this card's, whatever its version."""
    return isinstance(resource_url, str) and resource_url.split("?")[0] == f"{URL_BASE}/{CARD_FILE}"


async def async_register_resource(hass: HomeAssistant, url: str) -> None:
    """Make the dashboards load the card at ``url`` (storage mode), or say what to add (YAML)."""
    lovelace = hass.data.get(LOVELACE_DATA)
    if lovelace is None:  # pragma: no cover - lovelace is a dependency of the integration
        return
    resources = lovelace.resources
    if not isinstance(resources, ResourceStorageCollection):
        if not any(item.get("url") == url for item in resources.async_items()):
            _LOGGER.warning(
                "Dashboards are in YAML mode: to use the Furby Connect card, add to the "
                "lovelace resources of configuration.yaml: - url: %s  type: module",
                url,
            )
        return
    await resources.async_get_info()  # loads the stored resources on first use
    mine = [item for item in resources.async_items() if _is_card(item.get("url"))]
    if not mine:
        await resources.async_create_item({"res_type": RESOURCE_TYPE, "url": url})
        _LOGGER.info("Added the Furby Connect card to the dashboard resources: %s", url)
        return
    for item in mine:
        if item.get("url") != url:
            await resources.async_update_item(item["id"], {"res_type": RESOURCE_TYPE, "url": url})
            _LOGGER.info("Dashboard resource %s now loads %s", item.get("url"), url)
