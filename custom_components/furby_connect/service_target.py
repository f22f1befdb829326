"""The Furby a service action targets: its ``device_id`` resolved to a loaded config entry.

Shared by the service actions of ``services.py`` and ``upload_services.py``.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr

from .const import DOMAIN
from .errors import translated_error
from .runtime import FurbyConfigEntry


def _entry_ids_of(device: object) -> set[str]:
    """Return a device's config entries without a 2026.8 deprecation (docs/home_assistant.md §2.5).

    HA 2026.8+ devices have one ``config_entry_id`` (reading ``config_entries`` reports a
    deprecation there); 2025.4 devices only have the ``config_entries`` set.
    """
    entry_id = getattr(device, "config_entry_id", None)
    if isinstance(entry_id, str):
        return {entry_id}
    entry_ids: object = getattr(device, "config_entries", ())
    if not isinstance(entry_ids, set | frozenset | list | tuple):
        return set()
    return {entry_id for entry_id in entry_ids if isinstance(entry_id, str)}


def async_get_entry(hass: HomeAssistant, device_id: str) -> FurbyConfigEntry:
    """Return the loaded config entry of a Furby device, or raise ``ServiceValidationError``.

    The translation keys are ``device_not_found``, ``device_not_loaded`` and
    ``device_not_furby``.
    """
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        raise translated_error(ServiceValidationError, "device_not_found", device_id=device_id)
    name = device.name_by_user or device.name or device_id
    for entry_id in sorted(_entry_ids_of(device)):
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN:
            continue
        if entry.state is not ConfigEntryState.LOADED:
            raise translated_error(ServiceValidationError, "device_not_loaded", device=name)
        furby_entry: FurbyConfigEntry = entry
        return furby_entry
    raise translated_error(ServiceValidationError, "device_not_furby", device=name)
