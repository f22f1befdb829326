"""The antenna LED as an RGB light (docs/protocol.md §3.1: ``14 RR GG BB``, ``14 00 00 00`` off).

The toy cannot report its colour, so the state is what was last sent and the entity has an
assumed state. The coordinator keeps both the colour last sent and the last one that was not
black (``antenna_last_on``) in its stored state, so after a restart the light shows what was
sent and turning it on again brings that colour back.
"""

from __future__ import annotations

from typing import Any

# Defined in light/const.py from HA 2026 on and re-exported implicitly, hence the ignore.
from homeassistant.components.light import (  # type: ignore[attr-defined,unused-ignore]
    ATTR_BRIGHTNESS,
    ATTR_RGB_COLOR,
    LightEntity,
)
from homeassistant.components.light.const import ColorMode
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import FurbyCoordinator
from .entity import FurbyEntity
from .models import FurbyChange, Rgb
from .runtime import FurbyConfigEntry

PARALLEL_UPDATES = 0
"""No limit here: the coordinator already sends one command at a time per Furby."""

OFF: Rgb = (0, 0, 0)
DEFAULT_COLOR: Rgb = (255, 255, 255)
"""Colour used when the light is turned on and no colour was ever sent."""


def split_color(antenna: Rgb) -> tuple[Rgb, int] | None:
    """Split an antenna value into a full-scale colour and a brightness (its brightest channel).

    ``None`` for black, which is off.
    """
    peak = max(antenna)
    if peak == 0:
        return None
    return _scale(antenna, peak, 255), peak


def combine_color(rgb: Rgb, brightness: int) -> Rgb:
    """Scale a colour so its brightest channel equals ``brightness`` (black stays black)."""
    peak = max(rgb)
    if peak == 0:
        return OFF
    return _scale(rgb, peak, brightness)


def _scale(rgb: Rgb, peak: int, target: int) -> Rgb:
    """Multiply each channel by ``target / peak``, rounded and kept within 0-255."""
    red, green, blue = (min(255, max(0, round(channel * target / peak))) for channel in rgb)
    return red, green, blue


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FurbyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the antenna light."""
    async_add_entities([FurbyAntennaLight(entry.runtime_data.coordinator)])


class FurbyAntennaLight(FurbyEntity, LightEntity):
    """The antenna LED; its state is the colour last sent."""

    _attr_translation_key = "antenna"
    _attr_assumed_state = True
    _attr_color_mode = ColorMode.RGB
    _watches = FurbyChange.LINK | FurbyChange.ANTENNA

    def __init__(self, coordinator: FurbyCoordinator) -> None:
        """Follow the coordinator's antenna value."""
        super().__init__(coordinator, "antenna")
        self._attr_supported_color_modes = {ColorMode.RGB}
        self._refresh()

    @callback
    def _handle_coordinator_update(self, changed: FurbyChange) -> None:
        """Refresh from the coordinator, then write the state."""
        self._refresh()
        super()._handle_coordinator_update(changed)

    def _refresh(self) -> None:
        """Derive on/off, colour and brightness from the antenna value last sent."""
        antenna = self.coordinator.state.antenna
        parts = split_color(antenna) if antenna is not None else None
        self._attr_is_on = None if antenna is None else parts is not None
        self._attr_rgb_color = parts[0] if parts is not None else None
        self._attr_brightness = parts[1] if parts is not None else None

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Send the requested colour and brightness; what is not given keeps its last value."""
        last_on = self.coordinator.state.antenna_last_on
        previous = split_color(last_on) if last_on is not None else None
        requested = kwargs.get(ATTR_RGB_COLOR)
        color: Rgb
        if isinstance(requested, tuple | list) and len(requested) == 3:
            color = (int(requested[0]), int(requested[1]), int(requested[2]))
        else:
            color = previous[0] if previous is not None else DEFAULT_COLOR
        brightness = kwargs.get(ATTR_BRIGHTNESS)
        if not isinstance(brightness, int):
            brightness = previous[1] if previous is not None else 255
        red, green, blue = combine_color(color, brightness)
        await self.coordinator.async_set_antenna(red, green, blue)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch the antenna LED off (black)."""
        await self.coordinator.async_set_antenna(*OFF)
