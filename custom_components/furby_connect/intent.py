"""Voice and AI-agent commands for Furbies: Home Assistant intent handlers.

This is the integration's intent platform: Home Assistant's ``intent`` integration finds this
module and calls ``async_setup_intents`` once, as it does for the built-in integrations. The
handlers carry descriptions and slot schemas, so conversation agents backed by a language model
see them as tools through the Assist LLM API (``llm.py`` lists them where Home Assistant asks each
integration for its tools); Home Assistant's built-in agent reaches them through the sentences in
``custom_sentences/en/furby_connect.yaml`` (README, "Voice and AI agents").

Every handler picks its Furby from the ``name`` / ``area`` slots (``intent_target.py``) and acts
through the public surface only: the integration's service actions and its entities' services,
with the caller's context. Input is checked before anything is sent: an unknown action, colour or
name, or a Furby that cannot be found, is answered with a translated spoken error and nothing is
written to the toy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar, Final

import voluptuous as vol
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID, SERVICE_TURN_OFF, SERVICE_TURN_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import intent
from homeassistant.util import color as color_util

from .const import DOMAIN
from .intent_target import (
    FurbyIntentError,
    FurbyTarget,
    async_error_text,
    async_furby_entity_id,
    async_pick_furby,
)

INTENT_TRIGGER_ACTION: Final = "FurbyTriggerAction"
INTENT_SET_ANTENNA: Final = "FurbySetAntenna"
INTENT_SET_EYES: Final = "FurbySetEyes"
INTENT_SAY_NAME: Final = "FurbySayName"
INTENT_SET_NAME: Final = "FurbySetName"

SLOT_NAME: Final = "name"
SLOT_AREA: Final = "area"
SLOT_PREFERRED_AREA: Final = "preferred_area_id"
SLOT_PREFERRED_FLOOR: Final = "preferred_floor_id"
SLOT_ACTION: Final = "action"
SLOT_COLOR: Final = "color"
SLOT_STATE: Final = "state"
SLOT_NEW_NAME: Final = "new_name"

EYES_ON: Final = "on"
EYES_OFF: Final = "off"

_HEX_COLOR: Final = re.compile(r"#?([0-9a-f]{6})")
_ANTENNA_OFF_WORDS: Final = frozenset({"off", "none", "nothing"})

type Rgb = tuple[int, int, int]


def parse_color(text: str) -> Rgb:
    """Return the RGB value of a colour name (CSS names, as Home Assistant knows them) or hex.

    ``off`` is black, which switches the antenna LED off. ``ValueError`` for anything else.
    """
    cleaned = text.strip().casefold()
    if cleaned in _ANTENNA_OFF_WORDS:
        return (0, 0, 0)
    if match := _HEX_COLOR.fullmatch(cleaned):
        value = int(match.group(1), 16)
        return (value >> 16, (value >> 8) & 0xFF, value & 0xFF)
    red, green, blue = color_util.color_name_to_rgb(cleaned)
    return (red, green, blue)


def _slot_value(slots: Mapping[str, Any], key: str) -> str | None:
    """Return the value of a validated slot as text, or ``None`` when it was not given."""
    slot = slots.get(key)
    value = slot.get("value") if isinstance(slot, Mapping) else None
    return None if value is None else str(value)


class FurbyIntentHandler(intent.IntentHandler):
    """Finds the Furby a command means, runs the command, and answers for both outcomes.

    Subclasses set ``intent_type``, ``description`` and ``command_slots`` and implement
    ``async_run``, which returns the speech slots for the success response.
    """

    command_slots: ClassVar[Mapping[Any, Any]] = {}

    @property
    def slot_schema(self) -> dict[Any, Any]:
        """The target slots every Furby command takes, then the command's own."""
        return {
            vol.Optional(
                SLOT_NAME,
                description="The Furby's name; only needed when several Furbies are set up.",
            ): intent.non_empty_string,
            vol.Optional(
                SLOT_AREA,
                description="The area the Furby is in; only needed when several are set up.",
            ): intent.non_empty_string,
            vol.Optional(SLOT_PREFERRED_AREA): cv.string,
            vol.Optional(SLOT_PREFERRED_FLOOR): cv.string,
            **self.command_slots,
        }

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Pick the Furby and run the command; errors become a spoken, translated answer."""
        hass = intent_obj.hass
        slots = self.async_validate_slots(intent_obj.slots)
        response = intent_obj.create_response()
        try:
            target = async_pick_furby(
                hass,
                name=_slot_value(slots, SLOT_NAME),
                area=_slot_value(slots, SLOT_AREA),
                preferred_area_id=_slot_value(slots, SLOT_PREFERRED_AREA),
                preferred_floor_id=_slot_value(slots, SLOT_PREFERRED_FLOOR),
                assistant=intent_obj.assistant,
            )
            speech_slots = await self.async_run(intent_obj, target, slots)
        except FurbyIntentError as err:
            code = (
                intent.IntentResponseErrorCode.NO_VALID_TARGETS
                if err.no_target
                else intent.IntentResponseErrorCode.FAILED_TO_HANDLE
            )
            response.async_set_error(code, await async_error_text(hass, intent_obj.language, err))
            return response
        except vol.Invalid as err:  # a service schema refused a value
            invalid = FurbyIntentError("invalid_value", error=str(err))
            response.async_set_error(
                intent.IntentResponseErrorCode.FAILED_TO_HANDLE,
                await async_error_text(hass, intent_obj.language, invalid),
            )
            return response
        except HomeAssistantError as err:  # the service or entity refused or failed
            response.async_set_error(
                intent.IntentResponseErrorCode.FAILED_TO_HANDLE,
                await async_error_text(hass, intent_obj.language, err),
            )
            return response
        response.async_set_results(
            success_results=[
                intent.IntentResponseTarget(
                    name=target.name,
                    type=intent.IntentResponseTargetType.DEVICE,
                    id=target.device_id,
                )
            ]
        )
        response.async_set_speech_slots({"furby": target.name, **speech_slots})
        return response

    async def async_run(
        self, intent_obj: intent.Intent, target: FurbyTarget, slots: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Carry the command out on ``target``; return extra speech slots."""
        raise NotImplementedError


async def _async_call(
    intent_obj: intent.Intent, domain: str, service: str, data: dict[str, Any]
) -> None:
    """Call a service action and wait for it, in the caller's context."""
    await intent_obj.hass.services.async_call(
        domain, service, data, blocking=True, context=intent_obj.context
    )


def _entity_of(
    hass: HomeAssistant, target: FurbyTarget, domain: str, key: str, missing: str
) -> str:
    """Return the Furby's entity ``key`` on ``domain``; the error ``missing`` when it has none."""
    entity_id = async_furby_entity_id(hass, target.device_id, domain, key)
    if entity_id is None:
        raise FurbyIntentError(missing, name=target.name)
    return entity_id


class TriggerActionIntentHandler(FurbyIntentHandler):
    """Play one catalog action ("make the Furby giggle"), by description, category or code."""

    intent_type = INTENT_TRIGGER_ACTION
    description = (
        "Makes a Furby Connect toy play one of its actions (a sound with movement), named by a "
        "word from its catalog such as giggle, laugh, sneeze, burp, yawn, hiccup, puke, "
        "beatboxing, or by a category such as singing."
    )
    command_slots: ClassVar[Mapping[Any, Any]] = {
        vol.Required(
            SLOT_ACTION,
            description="What the Furby should do, e.g. giggle, sneeze, burp or sing.",
        ): intent.non_empty_string
    }

    async def async_run(
        self, intent_obj: intent.Intent, target: FurbyTarget, slots: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Play the action through ``furby_connect.trigger_action`` (it checks the name)."""
        action = str(_slot_value(slots, SLOT_ACTION)).strip()
        await _async_call(
            intent_obj,
            DOMAIN,
            "trigger_action",
            {ATTR_DEVICE_ID: target.device_id, SLOT_ACTION: action},
        )
        return {SLOT_ACTION: action}


class SetAntennaIntentHandler(FurbyIntentHandler):
    """Set the antenna LED by colour name ("set the Furby's antenna to blue")."""

    intent_type = INTENT_SET_ANTENNA
    description = (
        "Sets the colour of a Furby Connect toy's antenna light, by colour name (e.g. blue, "
        "red, orange, purple) or hex code; off switches it off."
    )
    command_slots: ClassVar[Mapping[Any, Any]] = {
        vol.Required(
            SLOT_COLOR, description="The colour, e.g. blue, or a hex code such as #ff8800."
        ): intent.non_empty_string
    }

    async def async_run(
        self, intent_obj: intent.Intent, target: FurbyTarget, slots: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Check the colour, then send it through ``furby_connect.set_antenna``."""
        color = str(_slot_value(slots, SLOT_COLOR)).strip()
        try:
            red, green, blue = parse_color(color)
        except ValueError as err:
            raise FurbyIntentError("intent_unknown_color", color=color) from err
        await _async_call(
            intent_obj,
            DOMAIN,
            "set_antenna",
            {ATTR_DEVICE_ID: target.device_id, "red": red, "green": green, "blue": blue},
        )
        return {SLOT_COLOR: color}


class SetEyesIntentHandler(FurbyIntentHandler):
    """Switch the eyes' backlight through the Eyes switch ("turn the Furby's eyes off")."""

    intent_type = INTENT_SET_EYES
    description = "Switches a Furby Connect toy's eyes (their LCD backlight) on or off."
    command_slots: ClassVar[Mapping[Any, Any]] = {
        vol.Required(SLOT_STATE, description="on or off."): vol.In([EYES_ON, EYES_OFF])
    }

    async def async_run(
        self, intent_obj: intent.Intent, target: FurbyTarget, slots: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Turn the Furby's Eyes switch on or off."""
        state = _slot_value(slots, SLOT_STATE)
        entity_id = _entity_of(intent_obj.hass, target, "switch", "eyes", "intent_eyes_missing")
        service = SERVICE_TURN_ON if state == EYES_ON else SERVICE_TURN_OFF
        await _async_call(intent_obj, "switch", service, {ATTR_ENTITY_ID: entity_id})
        return {SLOT_STATE: state}


class SayNameIntentHandler(FurbyIntentHandler):
    """Make the toy say the name it was last given ("Furby, say your name")."""

    intent_type = INTENT_SAY_NAME
    description = "Makes a Furby Connect toy say its own name."

    async def async_run(
        self, intent_obj: intent.Intent, target: FurbyTarget, slots: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Press the Furby's Say name button (it refuses while the name is unknown)."""
        entity_id = _entity_of(
            intent_obj.hass, target, "button", "say_name", "intent_say_name_missing"
        )
        await _async_call(intent_obj, "button", "press", {ATTR_ENTITY_ID: entity_id})
        return {}


class SetNameIntentHandler(FurbyIntentHandler):
    """Give the toy one of the 129 names it knows ("call the Furby Dah-Boh")."""

    intent_type = INTENT_SET_NAME
    description = (
        "Gives a Furby Connect toy a new name, one of the 129 names it knows such as Dah-Boh "
        "or Ah-Bay; it says the new name."
    )
    command_slots: ClassVar[Mapping[Any, Any]] = {
        vol.Required(
            SLOT_NEW_NAME, description="The new name, e.g. Dah-Boh."
        ): intent.non_empty_string
    }

    async def async_run(
        self, intent_obj: intent.Intent, target: FurbyTarget, slots: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Rename through ``furby_connect.set_name`` (it checks the name)."""
        new_name = str(_slot_value(slots, SLOT_NEW_NAME)).strip()
        await _async_call(
            intent_obj, DOMAIN, "set_name", {ATTR_DEVICE_ID: target.device_id, "name": new_name}
        )
        return {SLOT_NEW_NAME: new_name}


HANDLERS: Final[tuple[type[FurbyIntentHandler], ...]] = (
    TriggerActionIntentHandler,
    SetAntennaIntentHandler,
    SetEyesIntentHandler,
    SayNameIntentHandler,
    SetNameIntentHandler,
)
FURBY_INTENTS: Final = frozenset(handler.intent_type for handler in HANDLERS)


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the Furby intents (called once by Home Assistant's intent integration)."""
    for handler in HANDLERS:
        intent.async_register(hass, handler())
