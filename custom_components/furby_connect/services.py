"""Service actions, registered once from ``async_setup`` (not per entry).

Every action names its Furby with a ``device_id`` field. Input is checked by the schema
(``service_schemas.py``) before anything is sent; a device that is not a loaded Furby
(``service_target.py``), an unknown catalog action or an unknown name is a translated
``ServiceValidationError``. Commands go through the Furby's coordinator, which runs them one at
a time, waits for a connection and maps protocol failures to translated errors; sequences go
to its sequence runner. The DLC upload actions live in ``upload_services.py`` and are
registered from here too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any, Final

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .coordinator import FurbyCoordinator
from .errors import translated_error
from .models import SlotTable
from .protocol.commands import SLOT_COUNT, MoodMeter
from .runtime import FurbyRuntimeData
from .sequence import ActionStep
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


def slot_table_response(table: SlotTable) -> dict[str, Any]:
    """Describe a slot table as a JSON-friendly service response (docs/protocol.md §4.4)."""
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
    try:
        action = coordinator.catalog.find(text)
    except ValueError:  # no letter or digit to search for ("!!!", "-", an emoji)
        action = None
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


async def _trigger_action(furby: FurbyRuntimeData, data: Mapping[str, Any]) -> None:
    """Play one action."""
    step = resolve_step(furby.coordinator, data)
    await furby.coordinator.async_trigger_action(
        step.input, step.index, step.subindex, step.specific
    )


async def _play_sequence(furby: FurbyRuntimeData, data: Mapping[str, Any]) -> None:
    """Start a sequence (every step is resolved before anything is sent)."""
    steps = [resolve_step(furby.coordinator, step) for step in data[ATTR_STEPS]]
    await furby.sequences.async_play(steps)


async def _stop_sequence(furby: FurbyRuntimeData, _data: Mapping[str, Any]) -> None:
    """Stop the sequence playing on a Furby."""
    await furby.sequences.async_stop()


async def _set_name(furby: FurbyRuntimeData, data: Mapping[str, Any]) -> None:
    """Rename the Furby (it says the new name)."""
    await furby.coordinator.async_set_name(resolve_name_id(furby.coordinator, data))


async def _set_mood(furby: FurbyRuntimeData, data: Mapping[str, Any]) -> None:
    """Set or raise a mood meter."""
    meter = MoodMeter[data[ATTR_METER].upper()]
    await furby.coordinator.async_set_mood(meter, data[ATTR_VALUE], add=data[ATTR_MODE] == MODE_ADD)


async def _set_antenna(furby: FurbyRuntimeData, data: Mapping[str, Any]) -> None:
    """Set the antenna colour."""
    await furby.coordinator.async_set_antenna(data[ATTR_RED], data[ATTR_GREEN], data[ATTR_BLUE])


async def _get_dlc_slots(furby: FurbyRuntimeData, _data: Mapping[str, Any]) -> ServiceResponse:
    """Read the slot table and return it."""
    return slot_table_response(await furby.coordinator.async_refresh_slots())


async def _load_dlc(furby: FurbyRuntimeData, data: Mapping[str, Any]) -> None:
    """Load the DLC in a slot."""
    await furby.coordinator.async_load_dlc(data[ATTR_SLOT])


async def _activate_dlc(furby: FurbyRuntimeData, _data: Mapping[str, Any]) -> None:
    """Activate the loaded DLC."""
    await furby.coordinator.async_activate_dlc()


async def _deactivate_dlc(furby: FurbyRuntimeData, data: Mapping[str, Any]) -> None:
    """Deactivate the DLC in a slot."""
    await furby.coordinator.async_deactivate_dlc(data[ATTR_SLOT])


async def _delete_dlc(furby: FurbyRuntimeData, data: Mapping[str, Any]) -> None:
    """Delete the DLC in a slot."""
    await furby.coordinator.async_delete_dlc(data[ATTR_SLOT])


type Handler = Callable[[FurbyRuntimeData, Mapping[str, Any]], Awaitable[ServiceResponse]]

_SERVICES: Final[dict[str, tuple[Handler, object, SupportsResponse]]] = {
    SERVICE_TRIGGER_ACTION: (_trigger_action, TRIGGER_ACTION_SCHEMA, SupportsResponse.NONE),
    SERVICE_PLAY_SEQUENCE: (_play_sequence, PLAY_SEQUENCE_SCHEMA, SupportsResponse.NONE),
    SERVICE_STOP_SEQUENCE: (_stop_sequence, DEVICE_ONLY_SCHEMA, SupportsResponse.NONE),
    SERVICE_SET_NAME: (_set_name, SET_NAME_SCHEMA, SupportsResponse.NONE),
    SERVICE_SET_MOOD: (_set_mood, SET_MOOD_SCHEMA, SupportsResponse.NONE),
    SERVICE_SET_ANTENNA: (_set_antenna, SET_ANTENNA_SCHEMA, SupportsResponse.NONE),
    SERVICE_GET_DLC_SLOTS: (_get_dlc_slots, DEVICE_ONLY_SCHEMA, SupportsResponse.ONLY),
    SERVICE_LOAD_DLC: (_load_dlc, SLOT_SCHEMA, SupportsResponse.NONE),
    SERVICE_ACTIVATE_DLC: (_activate_dlc, DEVICE_ONLY_SCHEMA, SupportsResponse.NONE),
    SERVICE_DEACTIVATE_DLC: (_deactivate_dlc, SLOT_SCHEMA, SupportsResponse.NONE),
    SERVICE_DELETE_DLC: (_delete_dlc, SLOT_SCHEMA, SupportsResponse.NONE),
}
"""Each action's handler, schema and whether it returns a response."""


def _for_the_furby(
    handler: Handler,
) -> Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]:
    """Wrap ``handler`` to run on the loaded Furby the call's ``device_id`` names."""

    async def handle(call: ServiceCall) -> ServiceResponse:
        entry = async_get_entry(call.hass, call.data[ATTR_DEVICE_ID])
        return await handler(entry.runtime_data, call.data)

    return handle


def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's service actions (once, from ``async_setup``)."""
    for name, (handler, schema, response) in _SERVICES.items():
        hass.services.async_register(
            DOMAIN,
            name,
            _for_the_furby(handler),
            schema=ha_schema(schema),
            supports_response=response,
        )
    async_setup_upload_services(hass)
