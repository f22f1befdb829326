"""Device triggers: "Furby: tongue pushed", "Furby: turned upside down", ... in the editor.

Trigger types:

- one per interaction (``tongue``, ``tail_pull``, ``antenna_down``, ...): fires once per event
  of the Interaction event entity with that event type. An event entity's state is the time of
  its last event (to the millisecond), so each new event is a new state, also when the same
  interaction repeats (a state trigger on the ``event_type`` attribute would miss the repeat);
  where Home Assistant does not make event times strictly increasing (2025.4 does not, 2026.10
  does), two interactions in the same millisecond (one sensor packet with two new presses) share
  the time and differ only in ``event_type``: both fire. A state restored when the entity comes
  back from unavailable is not an event and does not fire; nor does a rename.
- one per orientation (``orientation_upside_down``, ...) and ``orientation_changed``: Home
  Assistant's state trigger on the Orientation sensor, from one known orientation to another
  (the first reading after a start or a reconnect is not a change), with an optional ``for``.

The config names the device only; the entity is found through the entity registry (platform,
domain and translation key) when the trigger is attached, so a renamed entity keeps working.
"""

from __future__ import annotations

from typing import Any, Final

import voluptuous as vol
from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.device_automation.exceptions import InvalidDeviceAutomationConfig
from homeassistant.components.event import ATTR_EVENT_TYPE
from homeassistant.components.homeassistant.triggers import state as state_trigger
from homeassistant.const import (
    CONF_DEVICE_ID,
    CONF_DOMAIN,
    CONF_ENTITY_ID,
    CONF_FOR,
    CONF_PLATFORM,
    CONF_TYPE,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HassJob,
    HomeAssistant,
    callback,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN
from .protocol.notifications import Interaction, Orientation

INTERACTION_TYPES: Final = tuple(interaction.value for interaction in Interaction)
ORIENTATION_PREFIX: Final = "orientation_"
ORIENTATION_TYPES: Final = tuple(
    f"{ORIENTATION_PREFIX}{orientation.value}" for orientation in Orientation
)
ORIENTATION_CHANGED: Final = "orientation_changed"
TRIGGER_TYPES: Final = (*INTERACTION_TYPES, *ORIENTATION_TYPES, ORIENTATION_CHANGED)

INTERACTION_ENTITY: Final = ("event", "interaction")
"""Domain and translation key of the entity the interaction triggers follow."""
ORIENTATION_ENTITY: Final = ("sensor", "orientation")
"""Domain and translation key of the entity the orientation triggers follow."""

NOT_A_READING: Final = [STATE_UNAVAILABLE, STATE_UNKNOWN]

TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {
        vol.Required(CONF_TYPE): vol.In(TRIGGER_TYPES),
        vol.Optional(CONF_FOR): cv.positive_time_period_dict,
    }
)

_FOR_SCHEMA = vol.Schema({vol.Optional(CONF_FOR): cv.positive_time_period_dict})


def _entity_kind(trigger_type: str) -> tuple[str, str]:
    """Return the (domain, translation key) of the entity a trigger type follows."""
    return INTERACTION_ENTITY if trigger_type in INTERACTION_TYPES else ORIENTATION_ENTITY


def _find_entity(hass: HomeAssistant, device_id: str, kind: tuple[str, str]) -> str | None:
    """Return the entity id of the Furby device's entity of this kind, if it has one."""
    domain, translation_key = kind
    for entry in er.async_entries_for_device(er.async_get(hass), device_id):
        if (
            entry.platform == DOMAIN
            and entry.domain == domain
            and entry.translation_key == translation_key
        ):
            return entry.entity_id
    return None


async def async_validate_trigger_config(hass: HomeAssistant, config: ConfigType) -> ConfigType:
    """Check the schema; ``for`` only applies to orientations (an event has no duration)."""
    validated: ConfigType = TRIGGER_SCHEMA(config)
    if CONF_FOR in validated and validated[CONF_TYPE] in INTERACTION_TYPES:
        raise vol.Invalid(f"'{CONF_FOR}' is not allowed for the {validated[CONF_TYPE]} trigger")
    return validated


async def async_get_triggers(hass: HomeAssistant, device_id: str) -> list[dict[str, Any]]:
    """List the triggers of a Furby device (those whose entity it has)."""
    base = {CONF_PLATFORM: "device", CONF_DOMAIN: DOMAIN, CONF_DEVICE_ID: device_id}
    triggers: list[dict[str, Any]] = []
    if _find_entity(hass, device_id, INTERACTION_ENTITY) is not None:
        triggers.extend({**base, CONF_TYPE: kind} for kind in INTERACTION_TYPES)
    if _find_entity(hass, device_id, ORIENTATION_ENTITY) is not None:
        triggers.extend({**base, CONF_TYPE: kind} for kind in ORIENTATION_TYPES)
        triggers.append({**base, CONF_TYPE: ORIENTATION_CHANGED})
    return triggers


async def async_get_trigger_capabilities(
    hass: HomeAssistant, config: ConfigType
) -> dict[str, vol.Schema]:
    """Orientation triggers take an optional duration; interactions take nothing."""
    if config[CONF_TYPE] in INTERACTION_TYPES:
        return {}
    return {"extra_fields": _FOR_SCHEMA}


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Follow the device's event entity or orientation sensor."""
    trigger_type: str = config[CONF_TYPE]
    device_id: str = config[CONF_DEVICE_ID]
    entity_id = _find_entity(hass, device_id, _entity_kind(trigger_type))
    if entity_id is None:
        raise InvalidDeviceAutomationConfig(
            f"Furby device {device_id} has no entity for the {trigger_type} trigger"
        )
    if trigger_type in INTERACTION_TYPES:
        return _async_attach_interaction(hass, config, entity_id, action, trigger_info)
    state_config: dict[str, Any] = {
        CONF_PLATFORM: "state",
        CONF_ENTITY_ID: [entity_id],
        state_trigger.CONF_NOT_FROM: NOT_A_READING,
    }
    if trigger_type == ORIENTATION_CHANGED:
        state_config[state_trigger.CONF_NOT_TO] = NOT_A_READING
    else:
        state_config[state_trigger.CONF_TO] = trigger_type.removeprefix(ORIENTATION_PREFIX)
    if CONF_FOR in config:
        state_config[CONF_FOR] = config[CONF_FOR]
    state_config = await state_trigger.async_validate_trigger_config(hass, state_config)
    return await state_trigger.async_attach_trigger(
        hass, state_config, action, trigger_info, platform_type="device"
    )


@callback
def _async_attach_interaction(
    hass: HomeAssistant,
    config: ConfigType,
    entity_id: str,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Call ``action`` for each new event of ``entity_id`` with the trigger's event type."""
    trigger_type: str = config[CONF_TYPE]
    trigger_data = trigger_info["trigger_data"]
    job = HassJob(action, f"furby_connect device trigger {trigger_info}")

    @callback
    def _async_on_change(event: Event[EventStateChangedData]) -> None:
        old, new = event.data["old_state"], event.data["new_state"]
        if (
            old is None
            or new is None
            or old.state == STATE_UNAVAILABLE  # back from unavailable: the last event restored
            or new.state in NOT_A_READING
            or new.attributes.get(ATTR_EVENT_TYPE) != trigger_type
        ):
            return
        if new.state == old.state and old.attributes.get(ATTR_EVENT_TYPE) == trigger_type:
            return  # the same event, another attribute changed (the entity was renamed)
        hass.async_run_hass_job(
            job,
            {
                "trigger": {
                    **trigger_data,
                    CONF_PLATFORM: "device",
                    CONF_DOMAIN: DOMAIN,
                    CONF_DEVICE_ID: config[CONF_DEVICE_ID],
                    CONF_TYPE: trigger_type,
                    CONF_ENTITY_ID: entity_id,
                    "from_state": old,
                    "to_state": new,
                    "description": f"Furby {trigger_type} on {entity_id}",
                }
            },
            event.context,
        )

    return async_track_state_change_event(hass, [entity_id], _async_on_change)
