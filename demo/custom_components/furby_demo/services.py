"""Development services to play with and look into the virtual Furbies (the e2e test uses them).

* ``furby_demo.interact``: touch a toy (``tongue``, ``tickle_back``, ``tail_pull``, ...) for a
  while, as a child would; the toy reports it over the link when connected.
* ``furby_demo.tilt``: turn a toy (``upside_down``, ...) and back upright after ``seconds``.
* ``furby_demo.inspect``: the toy's own state and the last bytes it received (response only).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, cast

import voluptuous as vol
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import VolSchemaType

from custom_components.furby_connect.protocol import gatt
from custom_components.furby_connect.wire_trace import CHARACTERISTIC_NAMES
from virtual_furby import VirtualFurby
from virtual_furby.sensors import INTERACTION_BITS

from .const import DOMAIN
from .life import TILTS, ToyLife

ATTR_ADDRESS: Final = "address"
ATTR_INTERACTION: Final = "interaction"
ATTR_ORIENTATION: Final = "orientation"
ATTR_SECONDS: Final = "seconds"
ATTR_WRITES: Final = "writes"


INTERACT_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_ADDRESS): cv.string,
        vol.Required(ATTR_INTERACTION): vol.In(sorted(INTERACTION_BITS)),
        vol.Optional(ATTR_SECONDS, default=0.5): vol.All(
            vol.Coerce(float), vol.Range(min=0.05, max=30)
        ),
    }
)
TILT_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_ADDRESS): cv.string,
        vol.Required(ATTR_ORIENTATION): vol.In(TILTS),
        vol.Optional(ATTR_SECONDS, default=3.0): vol.All(
            vol.Coerce(float), vol.Range(min=0.05, max=300)
        ),
    }
)
INSPECT_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_ADDRESS): cv.string,
        vol.Optional(ATTR_WRITES, default=20): vol.All(vol.Coerce(int), vol.Range(min=0, max=1000)),
    }
)


def toy_state(toy: VirtualFurby, writes: int) -> dict[str, Any]:
    """Describe ``toy`` for ``furby_demo.inspect``: its state and its last ``writes`` commands.

    FileWrite packets (DLC data) are counted, not listed.
    """
    commands = [write for write in toy.writes if write.uuid != gatt.FILE_WRITE]
    listed = commands[-writes:] if writes else []
    return {
        "address": toy.address,
        "connected": toy.is_connected,
        "advertising": toy.advertising,
        "antenna": list(toy.antenna) if toy.antenna is not None else None,
        "eyes_on": toy.eyes_on,
        "name_id": toy.name_id,
        "moods": {str(meter): value for meter, value in sorted(toy.moods.items())},
        "orientation": toy.orientation,
        "active_slots": sorted(toy.slots.active),
        "filled_slots": sorted(toy.slots.filled),
        "file_packets": sum(1 for write in toy.writes if write.uuid == gatt.FILE_WRITE),
        "writes": [
            {
                "characteristic": CHARACTERISTIC_NAMES.get(write.uuid, write.uuid),
                "hex": write.data.hex(" "),
                "time": write.time,
            }
            for write in listed
        ],
    }


def async_setup_services(hass: HomeAssistant, toys: dict[str, VirtualFurby], life: ToyLife) -> None:
    """Register the demo services for ``toys`` (by upper-case address)."""

    def find(call: ServiceCall) -> VirtualFurby:
        address = str(call.data[ATTR_ADDRESS]).upper()
        if (toy := toys.get(address)) is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_toy",
                translation_placeholders={"address": address, "known": ", ".join(sorted(toys))},
            )
        return toy

    async def interact(call: ServiceCall) -> None:
        find(call).interact(call.data[ATTR_INTERACTION], call.data[ATTR_SECONDS])

    async def tilt(call: ServiceCall) -> None:
        life.tilt(find(call), call.data[ATTR_ORIENTATION], call.data[ATTR_SECONDS])

    async def inspect(call: ServiceCall) -> ServiceResponse:
        return toy_state(find(call), call.data[ATTR_WRITES])

    handlers: list[tuple[str, Callable[..., Any], object, SupportsResponse]] = [
        ("interact", interact, INTERACT_SCHEMA, SupportsResponse.NONE),
        ("tilt", tilt, TILT_SCHEMA, SupportsResponse.NONE),
        ("inspect", inspect, INSPECT_SCHEMA, SupportsResponse.ONLY),
    ]
    for name, handler, schema, response in handlers:
        hass.services.async_register(
            # HA 2026 types schemas as probatio's classes; mypy sees voluptuous's.
            DOMAIN,
            name,
            handler,
            cast(VolSchemaType, schema),
            supports_response=response,
        )
