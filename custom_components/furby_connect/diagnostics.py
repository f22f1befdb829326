"""Diagnostics for a Furby config entry (address, serial number and title redacted).

Besides the keys of ``TO_REDACT``, every Bluetooth-address-shaped text anywhere in the output
is replaced (bleak-retry-connector names the device in its error messages, which end up in
``last_error``).
"""

from __future__ import annotations

import re
from typing import Any, Final

from homeassistant.components import bluetooth
from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.const import CONF_ADDRESS
from homeassistant.core import HomeAssistant

from .runtime import FurbyConfigEntry
from .storage import dump_state

TO_REDACT = {CONF_ADDRESS, "unique_id", "title", "serial_number", "name", "source"}
"""Keys whose values identify the toy or its owner's setup."""

ADDRESS_PATTERN: Final = re.compile(
    r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}(?![0-9A-Fa-f])"
)
"""A Bluetooth (MAC) address in either case, with ``:`` or ``-`` between the bytes."""


def redact_addresses(value: object) -> object:
    """Return ``value`` with every address-shaped text in its strings (and keys) replaced."""
    if isinstance(value, str):
        return ADDRESS_PATTERN.sub(REDACTED, value)
    if isinstance(value, dict):
        return {redact_addresses(key): redact_addresses(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_addresses(item) for item in value]
    return value


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: FurbyConfigEntry
) -> dict[str, Any]:
    """Return the entry, the link's health and the state, without identifying values."""
    coordinator = entry.runtime_data.coordinator
    connection = coordinator.connection
    service_info = bluetooth.async_last_service_info(hass, coordinator.address, True)
    state = coordinator.state
    data = async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            "connection": {
                "connected": connection.connected,
                "available": connection.available,
                "stay_connected": connection.stay_connected,
                "idle_timeout": connection.idle_timeout,
                "reconnecting": connection.reconnecting,
                "failed_attempts": connection.failed_attempts,
                "last_error": connection.last_error,
            },
            "advertisement": None
            if service_info is None
            else {
                "address": service_info.address,
                "name": service_info.name,
                "source": service_info.source,
                "rssi": service_info.rssi,
                "connectable": service_info.connectable,
                "service_uuids": list(service_info.service_uuids),
            },
            "state": {
                **dump_state(state),
                "orientation": state.orientation,
                "active_interactions": sorted(state.active_interactions),
                "rssi": state.rssi,
                "upload": None if state.upload is None else state.upload.as_dict(),
            },
        },
        TO_REDACT,
    )
    redacted = redact_addresses(data)
    assert isinstance(redacted, dict)
    return redacted
