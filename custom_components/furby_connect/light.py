"""The antenna LED as an RGB light (PROTOCOL.md §3.1: ``14 RR GG BB``, ``14 00 00 00`` = off).

The toy cannot report its colour, so the state is what was last sent (restored from storage by
the coordinator) and the entity has an assumed state. The colour last shown while on is kept
across restarts, so turning the light on again brings that colour back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

# Defined in light/const.py from HA 2026 on and re-exported implicitly, hence the ignore.
from homeassistant.components.light import (  # type: ignore[attr-defined,unused-ignore]
    ATTR_BRIGHTNESS,
    ATTR_RGB_COLOR,
    LightEntity,
)
from homeassistant.components.light.const import ColorMode
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import ExtraStoredData, RestoreEntity

from .coordinator import FurbyConfigEntry, FurbyCoordinator
from .entity import FurbyEntity

PARALLEL_UPDATES = 0
"""No limit here: the coordinator already sends one command at a time per Furby."""

type Rgb = tuple[int, int, int]

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


@dataclass(frozen=True, slots=True)
class AntennaExtraData(ExtraStoredData):
    """What the light keeps across restarts besides its state: the last colour while on."""

    last_on: Rgb | None

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the restore-state cache."""
        return {"last_on": list(self.last_on) if self.last_on is not None else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Read what ``as_dict`` wrote; anything malformed restores nothing."""
        value = data.get("last_on")
        if (
            isinstance(value, list)
            and len(value) == 3
            and all(type(channel) is int and 0 <= channel <= 255 for channel in value)
            and any(value)
        ):
            return cls((value[0], value[1], value[2]))
        return cls(None)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FurbyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the antenna light."""
    async_add_entities([FurbyAntennaLight(entry.runtime_data)])


class FurbyAntennaLight(FurbyEntity, LightEntity, RestoreEntity):
    """The antenna LED; its state is the colour last sent."""

    _attr_translation_key = "antenna"
    _attr_assumed_state = True
    _attr_color_mode = ColorMode.RGB

    def __init__(self, coordinator: FurbyCoordinator) -> None:
        """Follow the coordinator's antenna value."""
        super().__init__(coordinator, "antenna")
        self._attr_supported_color_modes = {ColorMode.RGB}
        self._last_on: Rgb | None = None
        self._refresh()

    async def async_added_to_hass(self) -> None:
        """Restore the last colour shown while on, unless the stored state has a newer one."""
        await super().async_added_to_hass()
        if self._last_on is None and (extra := await self.async_get_last_extra_data()):
            self._last_on = AntennaExtraData.from_dict(extra.as_dict()).last_on

    @property
    def extra_restore_state_data(self) -> AntennaExtraData:
        """Keep the last colour while on for the next start."""
        return AntennaExtraData(self._last_on)

    @callback
    def _handle_coordinator_update(self) -> None:
        """Refresh from the coordinator, then write the state."""
        self._refresh()
        super()._handle_coordinator_update()

    def _refresh(self) -> None:
        """Derive on/off, colour and brightness from the antenna value last sent."""
        antenna = self.coordinator.state.antenna
        parts = split_color(antenna) if antenna is not None else None
        if antenna is not None and parts is not None:
            self._last_on = antenna
        self._attr_is_on = None if antenna is None else parts is not None
        self._attr_rgb_color = parts[0] if parts is not None else None
        self._attr_brightness = parts[1] if parts is not None else None

    async def async_turn_on(self, **kwargs: object) -> None:
        """Send the requested colour and brightness; what is not given keeps its last value."""
        previous = split_color(self._last_on) if self._last_on is not None else None
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

    async def async_turn_off(self, **kwargs: object) -> None:
        """Switch the antenna LED off (black)."""
        await self.coordinator.async_set_antenna(*OFF)
