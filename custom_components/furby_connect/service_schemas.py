"""Schemas of the service actions: field names, value checks and ``vol`` schemas.

They refuse bad input before anything is sent to the toy (see ``services.py`` and
``upload_services.py``). Value ranges come from docs/protocol.md: action fields are single bytes
(§3.1), name ids 0-128 (§7.3), moods 0-100 (§7.4), slots 0-13 (§4.4). ``ha_schema`` types a
schema for ``hass.services.async_register``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, cast

import voluptuous as vol
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import VolSchemaType

from .protocol import commands
from .protocol.commands import MOOD_MAX, NAME_ID_MAX, SLOT_COUNT, MoodMeter

ATTR_ACTION: Final = "action"
ATTR_INPUT: Final = "input"
ATTR_INDEX: Final = "index"
ATTR_SUBINDEX: Final = "subindex"
ATTR_SPECIFIC: Final = "specific"
ATTR_DELAY: Final = "delay"
ATTR_STEPS: Final = "steps"
ATTR_NAME: Final = "name"
ATTR_NAME_ID: Final = "name_id"
ATTR_METER: Final = "meter"
ATTR_VALUE: Final = "value"
ATTR_MODE: Final = "mode"
ATTR_RED: Final = "red"
ATTR_GREEN: Final = "green"
ATTR_BLUE: Final = "blue"
ATTR_COLOR_RGB: Final = "color_rgb"
ATTR_SLOT: Final = "slot"
ATTR_PATH: Final = "path"
ATTR_FILE_ID: Final = "file_id"
ATTR_FILE: Final = "file"
ATTR_ACTIVATE: Final = "activate"

MODE_SET: Final = "set"
MODE_ADD: Final = "add"

DEFAULT_STEP_DELAY: Final = 2.0
"""Seconds between sequence steps when a step gives none (PyFluff's ``ActionList`` default)."""
MAX_STEP_DELAY: Final = 300.0
MAX_STEPS: Final = 100

_LATER_FIELDS: Final = (ATTR_INDEX, ATTR_SUBINDEX, ATTR_SPECIFIC)


def _whole_number(low: int, high: int) -> Callable[[Any], int]:
    """Build a validator of an integer in ``[low, high]``; ``3.0`` passes, ``2.5`` or bools fail."""

    def validate(value: object) -> int:
        if isinstance(value, bool):
            raise vol.Invalid(f"expected a whole number, got {value!r}")
        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError as err:
                raise vol.Invalid(f"expected a whole number, got {value!r}") from err
        if isinstance(value, float):
            if not value.is_integer():
                raise vol.Invalid(f"expected a whole number, got {value!r}")
            value = int(value)
        if not isinstance(value, int):
            raise vol.Invalid(f"expected a whole number, got {value!r}")
        if not low <= value <= high:
            raise vol.Invalid(f"must be between {low} and {high}, got {value}")
        return value

    return validate


_BYTE = _whole_number(0, 255)
_SLOT = _whole_number(0, SLOT_COUNT - 1)
_NON_EMPTY_TEXT = vol.All(cv.string, vol.Strip, vol.Length(min=1, max=100))

_ACTION_FIELDS: Final[dict[vol.Marker, Any]] = {
    vol.Optional(ATTR_ACTION): _NON_EMPTY_TEXT,
    vol.Optional(ATTR_INPUT): _BYTE,
    vol.Optional(ATTR_INDEX): _BYTE,
    vol.Optional(ATTR_SUBINDEX): _BYTE,
    vol.Optional(ATTR_SPECIFIC): _BYTE,
}


def _check_action_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Require ``action`` or ``input`` (not both) and refuse what the encoder would refuse.

    The encoder rejects a later field without the earlier ones and name ids above 128 under
    input 33, which crash the toy (docs/protocol.md §7.2).
    """
    if (ATTR_ACTION in data) == (ATTR_INPUT in data):
        raise vol.Invalid("give either action or input")
    if ATTR_ACTION in data:
        extra = [key for key in _LATER_FIELDS if key in data]
        if extra:
            raise vol.Invalid(f"{', '.join(extra)} can only be given with input, not with action")
        return data
    try:
        commands.trigger_action(
            data[ATTR_INPUT], data.get(ATTR_INDEX), data.get(ATTR_SUBINDEX), data.get(ATTR_SPECIFIC)
        )
    except ValueError as err:
        raise vol.Invalid(str(err)) from err
    return data


_DEVICE: Final[dict[vol.Marker, Any]] = {
    vol.Required(ATTR_DEVICE_ID): vol.All(cv.string, vol.Length(min=1))
}

TRIGGER_ACTION_SCHEMA: Final = vol.All(
    vol.Schema({**_DEVICE, **_ACTION_FIELDS}), _check_action_fields
)
STEP_SCHEMA: Final = vol.All(
    vol.Schema(
        {
            **_ACTION_FIELDS,
            vol.Optional(ATTR_DELAY, default=DEFAULT_STEP_DELAY): vol.All(
                vol.Coerce(float), vol.Range(min=0, max=MAX_STEP_DELAY)
            ),
        }
    ),
    _check_action_fields,
)
PLAY_SEQUENCE_SCHEMA: Final = vol.Schema(
    {
        **_DEVICE,
        vol.Required(ATTR_STEPS): vol.All(
            cv.ensure_list, vol.Length(min=1, max=MAX_STEPS), [STEP_SCHEMA]
        ),
    }
)
DEVICE_ONLY_SCHEMA: Final = vol.Schema(_DEVICE)
SET_NAME_SCHEMA: Final = vol.All(
    vol.Schema(
        {
            **_DEVICE,
            vol.Exclusive(ATTR_NAME, "name"): _NON_EMPTY_TEXT,
            vol.Exclusive(ATTR_NAME_ID, "name"): _whole_number(0, NAME_ID_MAX),
        }
    ),
    cv.has_at_least_one_key(ATTR_NAME, ATTR_NAME_ID),
)
SET_MOOD_SCHEMA: Final = vol.Schema(
    {
        **_DEVICE,
        vol.Required(ATTR_METER): vol.All(
            cv.string, vol.Lower, vol.In([meter.name.lower() for meter in MoodMeter])
        ),
        vol.Required(ATTR_VALUE): _whole_number(0, MOOD_MAX),
        vol.Optional(ATTR_MODE, default=MODE_SET): vol.In([MODE_SET, MODE_ADD]),
    }
)
_RGB_FIELDS: Final = (ATTR_RED, ATTR_GREEN, ATTR_BLUE)


def _rgb_triple(value: object) -> list[int]:
    """Validate ``color_rgb``: a list of three whole numbers 0-255 (the color picker's value)."""
    if not isinstance(value, list | tuple) or len(value) != len(_RGB_FIELDS):
        raise vol.Invalid(f"expected three numbers [red, green, blue], got {value!r}")
    return [_BYTE(part) for part in value]


def _split_color_rgb(data: dict[str, Any]) -> dict[str, Any]:
    """Require ``color_rgb`` or all of ``red``, ``green``, ``blue``; give the three numbers."""
    given = [key for key in _RGB_FIELDS if key in data]
    if ATTR_COLOR_RGB in data:
        if given:
            raise vol.Invalid(f"give either color_rgb or {', '.join(given)}, not both")
        rgb = data.pop(ATTR_COLOR_RGB)
        return {**data, **dict(zip(_RGB_FIELDS, rgb, strict=True))}
    missing = [key for key in _RGB_FIELDS if key not in data]
    if missing:
        raise vol.Invalid(f"give color_rgb, or red, green and blue (missing {', '.join(missing)})")
    return data


SET_ANTENNA_SCHEMA: Final = vol.All(
    vol.Schema(
        {
            **_DEVICE,
            vol.Optional(ATTR_COLOR_RGB): _rgb_triple,
            vol.Optional(ATTR_RED): _BYTE,
            vol.Optional(ATTR_GREEN): _BYTE,
            vol.Optional(ATTR_BLUE): _BYTE,
        }
    ),
    _split_color_rgb,
)
SLOT_SCHEMA: Final = vol.Schema({**_DEVICE, vol.Required(ATTR_SLOT): _SLOT})


def _file_is_a_file_id(data: dict[str, Any]) -> dict[str, Any]:
    """Pass the form's ``file`` (a file selector's upload, i.e. a ``file_id``) as ``file_id``."""
    if ATTR_FILE in data:
        data = {**data, ATTR_FILE_ID: data[ATTR_FILE]}
        del data[ATTR_FILE]
    return data


UPLOAD_DLC_SCHEMA: Final = vol.All(
    vol.Schema(
        {
            **_DEVICE,
            vol.Exclusive(ATTR_PATH, "source"): vol.All(cv.string, vol.Length(min=1)),
            vol.Exclusive(ATTR_FILE_ID, "source"): vol.All(cv.string, vol.Length(min=1)),
            vol.Exclusive(ATTR_FILE, "source"): vol.All(cv.string, vol.Length(min=1)),
            vol.Optional(ATTR_ACTIVATE, default=True): cv.boolean,
        }
    ),
    cv.has_at_least_one_key(ATTR_PATH, ATTR_FILE_ID, ATTR_FILE),
    _file_is_a_file_id,
)


def ha_schema(schema: object) -> VolSchemaType:
    """Type a schema for ``async_register`` on both HA versions.

    From HA 2026.10 ``voluptuous`` is probatio at runtime, but mypy still sees the voluptuous
    package while Home Assistant's signatures name probatio's classes.
    """
    return cast(VolSchemaType, schema)
