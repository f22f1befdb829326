"""The LCD eyes' backlight as a switch.

docs/protocol.md §3.1: ``cd 01``/``cd 00``, confirmed by ``20 17``/``20 18`` (§4.2).
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import FurbyCoordinator
from .entity import FurbyEntity
from .models import FurbyChange
from .runtime import FurbyConfigEntry

PARALLEL_UPDATES = 0
"""No limit here: the coordinator already sends one command at a time per Furby."""


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FurbyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the eyes switch."""
    async_add_entities([FurbyEyesSwitch(entry.runtime_data.coordinator)])


class FurbyEyesSwitch(FurbyEntity, SwitchEntity):
    """The eyes' backlight; the toy confirms each change."""

    _attr_translation_key = "eyes"
    _watches = FurbyChange.LINK | FurbyChange.EYES

    def __init__(self, coordinator: FurbyCoordinator) -> None:
        """Follow the coordinator's eyes state."""
        super().__init__(coordinator, "eyes")

    @property
    def is_on(self) -> bool | None:
        """Whether the backlight is on, as last confirmed (``None``: unknown)."""
        return self.coordinator.state.eyes_on

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch the backlight on."""
        await self.coordinator.async_set_eyes(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch the backlight off."""
        await self.coordinator.async_set_eyes(False)
