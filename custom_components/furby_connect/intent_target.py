"""Which Furby a voice command means, and the spoken (translated) text of what went wrong.

Used by the intent handlers (``intent.py``). A Furby is its device in the device registry; the
entities it is reached through are found by their translation keys, so nothing here reads the
integration's runtime objects.

Picking the Furby: every Furby device is a candidate, minus those with no entity exposed to the
assistant (when the request names one, as Assist and the LLM API do). A ``name`` keeps the
Furbies whose device name (as renamed by the user, or as created) or whose toy name (the Name
select, e.g. Dah-Boh) matches, ignoring case, spaces and punctuation. An ``area`` keeps those in
the areas Home Assistant's own matcher finds for it (name, alias or id). One left: that one.
Several left: the one in the area of the device that heard the command
(``preferred_area_id``), else on its floor; otherwise the speaker is asked which one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent, translation

from .const import DOMAIN

_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


class FurbyIntentError(Exception):
    """A voice command that cannot be carried out; ``key`` names its message in ``exceptions``."""

    def __init__(
        self,
        key: str,
        *,
        no_target: bool = False,
        **placeholders: str,
    ) -> None:
        """Remember the translation key, its placeholders and whether no Furby was found."""
        super().__init__(key)
        self.key = key
        self.placeholders = placeholders
        self.no_target = no_target


@dataclass(frozen=True, slots=True)
class FurbyTarget:
    """One Furby as a voice command sees it: its device and its display name."""

    device: dr.DeviceEntry
    name: str

    @property
    def device_id(self) -> str:
        """The device registry id, the ``device_id`` of the service actions."""
        return self.device.id


def _normalize(name: str) -> str:
    """Compare names ignoring case, spaces, hyphens and other punctuation."""
    return _NOT_ALPHANUMERIC.sub("", name.casefold())


@callback
def async_furby_entity_id(
    hass: HomeAssistant, device_id: str, domain: str, translation_key: str
) -> str | None:
    """Return the enabled entity of a Furby device with this domain and translation key."""
    for entry in er.async_entries_for_device(er.async_get(hass), device_id):
        if (
            entry.platform == DOMAIN
            and entry.domain == domain
            and entry.translation_key == translation_key
            and entry.disabled_by is None
        ):
            return entry.entity_id
    return None


def _furby_devices(hass: HomeAssistant) -> list[dr.DeviceEntry]:
    """Every device of a Furby config entry (loaded or not), in a stable order."""
    registry = dr.async_get(hass)
    devices: dict[str, dr.DeviceEntry] = {}
    for entry in hass.config_entries.async_entries(DOMAIN):
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
            devices[device.id] = device
    return sorted(devices.values(), key=lambda device: device.id)


def _display_name(device: dr.DeviceEntry) -> str:
    """Return the name the user knows the device by."""
    return device.name_by_user or device.name or device.id


def _names(hass: HomeAssistant, device: dr.DeviceEntry) -> set[str]:
    """Every name a Furby answers to: its device names and the toy's own name, normalized."""
    names = {device.name_by_user, device.name}
    select = async_furby_entity_id(hass, device.id, "select", "name")
    state = hass.states.get(select) if select is not None else None
    if state is not None and state.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN):
        names.add(state.state)
    return {_normalize(name) for name in names if name}


def _exposed(hass: HomeAssistant, device: dr.DeviceEntry, assistant: str) -> bool:
    """Whether any entity of the device is exposed to ``assistant``."""
    return any(
        async_should_expose(hass, assistant, entry.entity_id)
        for entry in er.async_entries_for_device(er.async_get(hass), device.id)
    )


def _in_areas(devices: Iterable[dr.DeviceEntry], area_ids: set[str]) -> list[dr.DeviceEntry]:
    """Return the devices placed in one of ``area_ids``."""
    return [device for device in devices if device.area_id in area_ids]


@callback
def async_pick_furby(
    hass: HomeAssistant,
    *,
    name: str | None = None,
    area: str | None = None,
    preferred_area_id: str | None = None,
    preferred_floor_id: str | None = None,
    assistant: str | None = None,
) -> FurbyTarget:
    """Return the one Furby a command means, or raise ``FurbyIntentError`` saying why not."""
    candidates = _furby_devices(hass)
    if assistant is not None:
        candidates = [device for device in candidates if _exposed(hass, device, assistant)]
    if not candidates:
        raise FurbyIntentError("intent_no_furby", no_target=True)
    if name:
        wanted = _normalize(name)
        candidates = [device for device in candidates if wanted in _names(hass, device)]
        if not candidates:
            raise FurbyIntentError("intent_no_furby_named", no_target=True, name=name)
    if area:
        area_ids = {found.id for found in intent.find_areas(area, ar.async_get(hass))}
        if not area_ids:
            raise FurbyIntentError("intent_unknown_area", no_target=True, area=area)
        candidates = _in_areas(candidates, area_ids)
        if not candidates:
            raise FurbyIntentError("intent_no_furby_in_area", no_target=True, area=area)
    if (
        len(candidates) > 1
        and preferred_area_id
        and len(nearby := _in_areas(candidates, {preferred_area_id})) == 1
    ):
        candidates = nearby
    if len(candidates) > 1 and preferred_floor_id:
        floor_areas = {
            entry.id
            for entry in ar.async_get(hass).async_list_areas()
            if entry.floor_id == preferred_floor_id
        }
        if len(nearby := _in_areas(candidates, floor_areas)) == 1:
            candidates = nearby
    if len(candidates) > 1:
        names = ", ".join(sorted(_display_name(device) for device in candidates))
        raise FurbyIntentError("intent_which_furby", no_target=True, names=names)
    return FurbyTarget(candidates[0], _display_name(candidates[0]))


class _Placeholders(dict[str, Any]):
    """Placeholder values; one that is missing stays as ``{name}`` instead of failing."""

    def __missing__(self, name: str) -> str:
        return f"{{{name}}}"


async def async_translate(
    hass: HomeAssistant, language: str, domain: str, key: str, placeholders: dict[str, Any]
) -> str:
    """Return the message of ``exceptions.<key>`` in ``language`` (English when missing)."""
    messages = await translation.async_get_translations(hass, language, "exceptions", [domain])
    message = messages.get(f"component.{domain}.exceptions.{key}.message", key)
    return message.format_map(_Placeholders(placeholders))


async def async_error_text(hass: HomeAssistant, language: str, err: Exception) -> str:
    """Return what to say for ``err``: its translated message in ``language`` if it has one."""
    if isinstance(err, FurbyIntentError):
        return await async_translate(hass, language, DOMAIN, err.key, err.placeholders)
    if (
        isinstance(err, HomeAssistantError)
        and err.translation_domain is not None
        and err.translation_key is not None
    ):
        return await async_translate(
            hass,
            language,
            err.translation_domain,
            err.translation_key,
            dict(err.translation_placeholders or {}),
        )
    return str(err)
