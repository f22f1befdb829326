"""Diagnostics for a Furby config entry (address, serial number and title redacted)."""

from __future__ import annotations

from typing import Any

from homeassistant.components import bluetooth
from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_ADDRESS
from homeassistant.core import HomeAssistant

from .runtime import FurbyConfigEntry
from .storage import dump_state

TO_REDACT = {CONF_ADDRESS, "unique_id", "title", "serial_number", "name", "source"}
"""Keys whose values identify the toy or its owner's setup."""


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: FurbyConfigEntry
) -> dict[str, Any]:
    """Return the entry, the link's health and the state, without identifying values."""
    coordinator = entry.runtime_data.coordinator
    connection = coordinator.connection
    service_info = bluetooth.async_last_service_info(hass, coordinator.address, True)
    state = coordinator.state
    return async_redact_data(
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
