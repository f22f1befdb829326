"""Development tooling: virtual Furbies on a simulated Bluetooth proxy, for the demo and e2e test.

Not part of the integration (HACS installs only ``custom_components/furby_connect``). Set up from
YAML (``scripts/demo`` writes it)::

    furby_demo:
      furbies: 2              # how many toys (1-8)
      setup: one              # all | one | none: pre-configured on the first start
      link_speed: 1           # the link (and the toy's file intake) this many times faster
      interaction_interval: 20  # mean seconds between simulated interactions, 0 = never
      seed: 1                 # the random choices (which toy, what, when) repeat with a seed

The toys advertise through a habluetooth remote scanner as real toys do through an ESPHome
proxy (``virtual_furby.ha_proxy``), so discovery, the config flow and every connection go through
Home Assistant's bluetooth stack unchanged. Once Home Assistant has started, the component
creates the pre-configured entries (``entries.py``), keeps the default dashboard's Furby cards in
step with the Furby devices (``dashboard.py``), starts the toys' simulated life (``life.py``) and
writes ``.furby_demo_ready`` (JSON) into the configuration folder for ``scripts/demo``.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any, Final

import voluptuous as vol
from homeassistant.const import EVENT_HOMEASSISTANT_CLOSE, __version__
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.typing import ConfigType

from virtual_furby.ha_proxy import async_attach_virtual_proxy

from .const import (
    CONF_FURBIES,
    CONF_INTERACTION_INTERVAL,
    CONF_LINK_SPEED,
    CONF_SEED,
    CONF_SETUP,
    DEFAULT_FURBIES,
    DEFAULT_INTERACTION_INTERVAL,
    DOMAIN,
    FURBY_DOMAIN,
    MAX_FURBIES,
    PROXY_NAME,
    PROXY_SOURCE,
    SETUP_MODES,
    SETUP_ONE,
)
from .dashboard import async_sync_dashboard, async_track_dashboard
from .entries import async_reconcile_entries
from .life import ToyLife
from .services import async_setup_services
from .toys import make_toys

_LOGGER = logging.getLogger(__name__)

READY_FILE: Final = ".furby_demo_ready"

CONFIG_SCHEMA: Final = vol.Schema(
    {
        DOMAIN: vol.Schema(
            {
                vol.Optional(CONF_FURBIES, default=DEFAULT_FURBIES): vol.All(
                    vol.Coerce(int), vol.Range(min=1, max=MAX_FURBIES)
                ),
                vol.Optional(CONF_SETUP, default=SETUP_ONE): vol.In(SETUP_MODES),
                vol.Optional(CONF_LINK_SPEED, default=1.0): vol.All(
                    vol.Coerce(float), vol.Range(min=1, max=1000)
                ),
                vol.Optional(
                    CONF_INTERACTION_INTERVAL, default=DEFAULT_INTERACTION_INTERVAL
                ): vol.All(vol.Coerce(float), vol.Range(min=0, max=86400)),
                vol.Optional(CONF_SEED, default=1): vol.Coerce(int),
            }
        )
    },
    extra=vol.ALLOW_EXTRA,
)


def _write_ready_file(path: Path, content: dict[str, Any]) -> None:
    """Write the ready file atomically (runs in the executor)."""
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(content), encoding="utf-8")
    partial.replace(path)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Attach the virtual Furbies; finish the demo's set-up once Home Assistant has started."""
    conf: dict[str, Any] = config[DOMAIN]
    toys = make_toys(conf[CONF_FURBIES], speed=conf[CONF_LINK_SPEED], seed=conf[CONF_SEED])
    proxy = async_attach_virtual_proxy(hass, *toys, source=PROXY_SOURCE, name=PROXY_NAME)
    life = ToyLife(hass, toys, interval=conf[CONF_INTERACTION_INTERVAL], seed=conf[CONF_SEED])
    async_setup_services(hass, {toy.address: toy for toy in toys}, life)
    _LOGGER.info(
        "%d virtual Furbies on %s: %s (link x%g, interactions every ~%g s)",
        len(toys),
        PROXY_NAME,
        ", ".join(toy.address for toy in toys),
        conf[CONF_LINK_SPEED],
        conf[CONF_INTERACTION_INTERVAL],
    )
    stops = [life.stop, proxy.cancel]

    async def _async_started(hass: HomeAssistant) -> None:
        addresses = [toy.address for toy in toys]
        await async_reconcile_entries(hass, addresses, conf[CONF_SETUP])
        await async_sync_dashboard(hass, len(toys))
        stops.append(async_track_dashboard(hass, len(toys)))
        life.start()
        configured = sorted(
            entry.unique_id or ""
            for entry in hass.config_entries.async_entries(FURBY_DOMAIN)
            if entry.unique_id in addresses
        )
        content = {
            "time": time.time(),
            "ha_version": __version__,
            "furbies": addresses,
            "configured": configured,
        }
        await hass.async_add_executor_job(
            _write_ready_file, Path(hass.config.path(READY_FILE)), content
        )
        _LOGGER.info("Furby demo ready: %s", content)

    async_at_started(hass, _async_started)

    async def _async_close(_event: Event) -> None:
        """Last of all (after the integration disconnected at stop): detach the toys."""
        for stop in stops:
            stop()
        for toy in toys:
            toy.close()

    hass.bus.async_listen_once(EVENT_HOMEASSISTANT_CLOSE, _async_close)
    return True
