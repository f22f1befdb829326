"""The websocket API the card uses (docs/websocket.md): the live log, the status, the catalog.

Registered once, from ``async_setup``:

- ``furby_connect/log/subscribe`` ``{device_id?}``: the backlog, then batches of new entries
  (``LogFeed``, ``log_buffer.py``);
- ``furby_connect/status/subscribe`` ``{device_id?}``: a snapshot, then each change
  (``StatusFeed``);
- ``furby_connect/catalog``: the actions and names, for the card's picker.

Schemas are validated by Home Assistant (``invalid_format``). A ``device_id`` that is not a
loaded Furby is ``not_found`` with the translated reason (unknown device, not a Furby, not
loaded). Nothing here changes the toy: the card calls the service actions, which keep their
admin checks.
"""

from __future__ import annotations

from typing import Any, Final, cast

import voluptuous as vol
from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.const import ERR_NOT_FOUND
from homeassistant.components.websocket_api.decorators import async_response, websocket_command
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.typing import VolDictType

from .const import DOMAIN
from .errors import translated_error
from .live_feeds import LogFeed, StatusFeed
from .live_hub import FurbyLiveHub, LiveFurby, async_get_hub
from .protocol.catalog import Catalog, load_catalog
from .service_target import async_get_entry

TYPE_LOG: Final = f"{DOMAIN}/log/subscribe"
TYPE_STATUS: Final = f"{DOMAIN}/status/subscribe"
TYPE_CATALOG: Final = f"{DOMAIN}/catalog"
ATTR_DEVICE_ID: Final = "device_id"


def _schema(message_type: str, **optional: type) -> VolDictType:
    """Return a command's schema: its ``type`` and optional fields.

    From HA 2026.10 ``voluptuous`` is probatio at run time, but mypy still sees the voluptuous
    package while Home Assistant's signatures name probatio's markers.
    """
    fields: dict[vol.Marker, Any] = {vol.Required("type"): message_type}
    fields.update({vol.Optional(key): kind for key, kind in optional.items()})
    return cast(VolDictType, fields)


def _schema_without_fields(message_type: str) -> VolDictType:
    """Return the schema of a command that takes no field, refusing any extra one.

    Home Assistant does not validate a schema of ``type`` alone; a ``vol.All`` of it is
    validated (as ``invalid_format``). Typed as the dict form for mypy (see ``_schema``).
    """
    return cast(VolDictType, vol.All(vol.Schema(cast(dict[Any, Any], _schema(message_type)))))


@callback
def async_setup_websocket_api(hass: HomeAssistant) -> None:
    """Register the commands (once per Home Assistant)."""
    async_register_command(hass, ws_subscribe_log)
    async_register_command(hass, ws_subscribe_status)
    async_register_command(hass, ws_catalog)


def _furbies(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> list[LiveFurby] | None:
    """Return the Furbies a subscription follows; ``None`` after sending ``not_found``."""
    hub = async_get_hub(hass)
    device_id: str | None = msg.get(ATTR_DEVICE_ID)
    if device_id is None:
        return list(hub.furbies.values())
    if (furby := hub.furbies.get(device_id)) is not None:
        return [furby]
    try:
        async_get_entry(hass, device_id)
    except ServiceValidationError as err:
        error = err
    else:  # pragma: no cover - an entry is LOADED only once it has added its Furby
        name = hub.device_name(device_id)
        error = translated_error(ServiceValidationError, "device_not_loaded", device=name)
    connection.send_error(
        msg["id"],
        ERR_NOT_FOUND,
        str(error),
        translation_key=error.translation_key,
        translation_domain=DOMAIN,
        translation_placeholders=error.translation_placeholders,
    )
    return None


def _subscribe(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
    feed_type: type[LogFeed | StatusFeed],
) -> None:
    """Resolve the Furbies, register the feed as the subscription, answer, then start it."""
    furbies = _furbies(hass, connection, msg)
    if furbies is None:
        return
    hub: FurbyLiveHub = async_get_hub(hass)
    feed = feed_type(hass, hub, connection, msg["id"], msg.get(ATTR_DEVICE_ID))
    connection.subscriptions[msg["id"]] = feed.async_close
    connection.send_result(msg["id"])
    feed.async_start(furbies)


@websocket_command(_schema(TYPE_LOG, device_id=str))
@callback
def ws_subscribe_log(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Subscribe to the live log of one Furby or of every loaded Furby."""
    _subscribe(hass, connection, msg, LogFeed)


@websocket_command(_schema(TYPE_STATUS, device_id=str))
@callback
def ws_subscribe_status(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Subscribe to the status of one Furby or of every loaded Furby."""
    _subscribe(hass, connection, msg, StatusFeed)


def catalog_result(catalog: Catalog) -> dict[str, Any]:
    """Return the actions as rows ``[input, index, subindex, specific, category, description]``."""
    return {
        "actions": [
            [a.input, a.index, a.subindex, a.specific, a.category, a.description]
            for a in catalog.actions
        ],
        "names": list(catalog.names),
    }


@websocket_command(_schema_without_fields(TYPE_CATALOG))
@async_response
async def ws_catalog(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Answer with every known action and the 129 names."""
    hub = async_get_hub(hass)
    if hub.catalog is None:
        hub.catalog = catalog_result(await hass.async_add_executor_job(load_catalog))
    connection.send_result(msg["id"], hub.catalog)
