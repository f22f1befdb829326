"""Service actions, registered once from ``async_setup`` (HA_NOTES.md §3.6).

Every action names its Furby with a ``device_id`` field. Input is checked by the schema
(``service_schemas.py``) before anything is sent; a device that is not a loaded Furby
(``service_target.py``), an unknown catalog action or an unknown name is a translated
``ServiceValidationError``. Commands go through the coordinator, which serialises them per Furby,
waits for a connection and maps protocol failures to translated errors. The DLC upload actions
live in ``upload_services.py`` and are registered from here too.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any, Final

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN
from .coordinator import FurbyCoordinator
from .errors import translated_error
from .models import SlotTable
from .protocol.commands import SLOT_COUNT, MoodMeter
from .sequence import ActionStep, SequenceRunner
from .service_schemas import (
    ATTR_ACTION,
    ATTR_BLUE,
    ATTR_DELAY,
    ATTR_GREEN,
    ATTR_INDEX,
    ATTR_INPUT,
    ATTR_METER,
    ATTR_MODE,
    ATTR_NAME,
    ATTR_NAME_ID,
    ATTR_RED,
    ATTR_SLOT,
    ATTR_SPECIFIC,
    ATTR_STEPS,
    ATTR_SUBINDEX,
    ATTR_VALUE,
    DEVICE_ONLY_SCHEMA,
    MODE_ADD,
    PLAY_SEQUENCE_SCHEMA,
    SET_ANTENNA_SCHEMA,
    SET_MOOD_SCHEMA,
    SET_NAME_SCHEMA,
    SLOT_SCHEMA,
    TRIGGER_ACTION_SCHEMA,
    ha_schema,
)
from .service_target import async_get_entry
from .upload_services import async_setup_upload_services

SERVICE_TRIGGER_ACTION: Final = "trigger_action"
SERVICE_PLAY_SEQUENCE: Final = "play_sequence"
SERVICE_STOP_SEQUENCE: Final = "stop_sequence"
SERVICE_SET_NAME: Final = "set_name"
SERVICE_SET_MOOD: Final = "set_mood"
SERVICE_SET_ANTENNA: Final = "set_antenna"
SERVICE_GET_DLC_SLOTS: Final = "get_dlc_slots"
SERVICE_LOAD_DLC: Final = "load_dlc"
SERVICE_ACTIVATE_DLC: Final = "activate_dlc"
SERVICE_DEACTIVATE_DLC: Final = "deactivate_dlc"
SERVICE_DELETE_DLC: Final = "delete_dlc"

SEQUENCE_RUNNER: HassKey[SequenceRunner] = HassKey(f"{DOMAIN}_sequence_runner")


def slot_table_response(table: SlotTable) -> dict[str, Any]:
    """Describe a slot table as a JSON-friendly service response (PROTOCOL.md §4.4)."""
    slots: list[dict[str, Any]] = []
    for slot in range(SLOT_COUNT):
        info = table.info.get(slot)
        slots.append(
            {
                "slot": slot,
                "filled": slot in table.filled,
                "active": slot in table.active,
                "name": info.name if info is not None else None,
                "length": info.length if info is not None else None,
                "adler32": f"{info.adler32:08x}" if info is not None else None,
            }
        )
    return {"active_slot": table.active_slot, "slots": slots}


def resolve_step(coordinator: FurbyCoordinator, data: Mapping[str, Any]) -> ActionStep:
    """Turn validated action fields into a step, looking a catalog ``action`` up by text."""
    delay = float(data.get(ATTR_DELAY, 0.0))
    if ATTR_ACTION not in data:
        return ActionStep(
            data[ATTR_INPUT],
            data.get(ATTR_INDEX),
            data.get(ATTR_SUBINDEX),
            data.get(ATTR_SPECIFIC),
            delay,
        )
    text: str = data[ATTR_ACTION]
    action = coordinator.catalog.find(text)
    if action is None:
        raise translated_error(ServiceValidationError, "unknown_action", action=text)
    return ActionStep(*action.code, delay=delay)


def resolve_name_id(coordinator: FurbyCoordinator, data: Mapping[str, Any]) -> int:
    """Return the name id given directly or by name (case- and hyphen-insensitive)."""
    if ATTR_NAME_ID in data:
        name_id: int = data[ATTR_NAME_ID]
        return name_id
    text: str = data[ATTR_NAME]
    found = coordinator.catalog.name_id(text)
    if found is None:
        raise translated_error(ServiceValidationError, "unknown_name", name=text)
    return found


async def _async_trigger_action(call: ServiceCall) -> None:
    """Play one action."""
    coordinator = async_get_entry(call.hass, call.data[ATTR_DEVICE_ID]).runtime_data
    step = resolve_step(coordinator, call.data)
    await coordinator.async_trigger_action(step.input, step.index, step.subindex, step.specific)


async def _async_play_sequence(call: ServiceCall) -> None:
    """Start a sequence (every step is resolved before anything is sent)."""
    entry = async_get_entry(call.hass, call.data[ATTR_DEVICE_ID])
    steps = [resolve_step(entry.runtime_data, step) for step in call.data[ATTR_STEPS]]
    await call.hass.data[SEQUENCE_RUNNER].async_play(entry, steps)


async def _async_stop_sequence(call: ServiceCall) -> None:
    """Stop the sequence playing on a Furby."""
    entry = async_get_entry(call.hass, call.data[ATTR_DEVICE_ID])
    await call.hass.data[SEQUENCE_RUNNER].async_stop(entry.entry_id)


async def _async_set_name(call: ServiceCall) -> None:
    """Rename the Furby (it says the new name)."""
    coordinator = async_get_entry(call.hass, call.data[ATTR_DEVICE_ID]).runtime_data
    await coordinator.async_set_name(resolve_name_id(coordinator, call.data))


async def _async_set_mood(call: ServiceCall) -> None:
    """Set or raise a mood meter."""
    coordinator = async_get_entry(call.hass, call.data[ATTR_DEVICE_ID]).runtime_data
    await coordinator.async_set_mood(
        MoodMeter[call.data[ATTR_METER].upper()],
        call.data[ATTR_VALUE],
        add=call.data[ATTR_MODE] == MODE_ADD,
    )


async def _async_set_antenna(call: ServiceCall) -> None:
    """Set the antenna colour."""
    coordinator = async_get_entry(call.hass, call.data[ATTR_DEVICE_ID]).runtime_data
    await coordinator.async_set_antenna(
        call.data[ATTR_RED], call.data[ATTR_GREEN], call.data[ATTR_BLUE]
    )


async def _async_get_dlc_slots(call: ServiceCall) -> ServiceResponse:
    """Read the slot table and return it."""
    coordinator = async_get_entry(call.hass, call.data[ATTR_DEVICE_ID]).runtime_data
    return slot_table_response(await coordinator.async_refresh_slots())


async def _async_load_dlc(call: ServiceCall) -> None:
    """Load the DLC in a slot."""
    coordinator = async_get_entry(call.hass, call.data[ATTR_DEVICE_ID]).runtime_data
    await coordinator.async_load_dlc(call.data[ATTR_SLOT])


async def _async_activate_dlc(call: ServiceCall) -> None:
    """Activate the loaded DLC."""
    coordinator = async_get_entry(call.hass, call.data[ATTR_DEVICE_ID]).runtime_data
    await coordinator.async_activate_dlc()


async def _async_deactivate_dlc(call: ServiceCall) -> None:
    """Deactivate the DLC in a slot."""
    coordinator = async_get_entry(call.hass, call.data[ATTR_DEVICE_ID]).runtime_data
    await coordinator.async_deactivate_dlc(call.data[ATTR_SLOT])


async def _async_delete_dlc(call: ServiceCall) -> None:
    """Delete the DLC in a slot."""
    coordinator = async_get_entry(call.hass, call.data[ATTR_DEVICE_ID]).runtime_data
    await coordinator.async_delete_dlc(call.data[ATTR_SLOT])


_SERVICES: Final[dict[str, tuple[Callable[[ServiceCall], Coroutine[Any, Any, None]], object]]] = {
    SERVICE_TRIGGER_ACTION: (_async_trigger_action, TRIGGER_ACTION_SCHEMA),
    SERVICE_PLAY_SEQUENCE: (_async_play_sequence, PLAY_SEQUENCE_SCHEMA),
    SERVICE_STOP_SEQUENCE: (_async_stop_sequence, DEVICE_ONLY_SCHEMA),
    SERVICE_SET_NAME: (_async_set_name, SET_NAME_SCHEMA),
    SERVICE_SET_MOOD: (_async_set_mood, SET_MOOD_SCHEMA),
    SERVICE_SET_ANTENNA: (_async_set_antenna, SET_ANTENNA_SCHEMA),
    SERVICE_LOAD_DLC: (_async_load_dlc, SLOT_SCHEMA),
    SERVICE_ACTIVATE_DLC: (_async_activate_dlc, DEVICE_ONLY_SCHEMA),
    SERVICE_DEACTIVATE_DLC: (_async_deactivate_dlc, SLOT_SCHEMA),
    SERVICE_DELETE_DLC: (_async_delete_dlc, SLOT_SCHEMA),
}


def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's service actions (once, from ``async_setup``)."""
    hass.data[SEQUENCE_RUNNER] = SequenceRunner(hass)
    for name, (handler, schema) in _SERVICES.items():
        hass.services.async_register(DOMAIN, name, handler, schema=ha_schema(schema))
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_DLC_SLOTS,
        _async_get_dlc_slots,
        schema=ha_schema(DEVICE_ONLY_SCHEMA),
        supports_response=SupportsResponse.ONLY,
    )
    async_setup_upload_services(hass)
