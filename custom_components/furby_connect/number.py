"""The five mood meters as numbers, 0-100 (docs/protocol.md §3.1 ``23 01 TT VV``, §7.4).

The toy cannot report its moods, so each value is the level last sent (restored from storage by
the coordinator) and the entities have an assumed state.
"""

from __future__ import annotations

from homeassistant.components.number import NumberEntity, NumberMode
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import FurbyCoordinator
from .entity import FurbyEntity
from .models import FurbyChange
from .protocol.commands import MOOD_MAX, MoodMeter
from .runtime import FurbyConfigEntry

PARALLEL_UPDATES = 0
"""No limit here: the coordinator already sends one command at a time per Furby."""


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FurbyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add one number per mood meter."""
    async_add_entities(
        FurbyMoodNumber(entry.runtime_data.coordinator, meter) for meter in MoodMeter
    )


class FurbyMoodNumber(FurbyEntity, NumberEntity):
    """One mood meter, as last set."""

    _attr_assumed_state = True
    _attr_native_min_value = 0
    _attr_native_max_value = MOOD_MAX
    _attr_native_step = 1
    _attr_mode = NumberMode.SLIDER
    _watches = FurbyChange.LINK | FurbyChange.MOODS

    def __init__(self, coordinator: FurbyCoordinator, meter: MoodMeter) -> None:
        """Follow ``meter`` (its key and translation key are its lower-case name)."""
        key = meter.name.lower()
        super().__init__(coordinator, key)
        self._attr_translation_key = key
        self.meter = meter
        self._shown = self.native_value

    @callback
    def _handle_coordinator_update(self, changed: FurbyChange) -> None:
        """Write the state when the link or this meter changed (not for another meter)."""
        value = self.native_value
        if FurbyChange.LINK in changed or value != self._shown:
            self._shown = value
            super()._handle_coordinator_update(changed)

    @property
    def native_value(self) -> int | None:
        """The level last sent (``None``: never set)."""
        return self.coordinator.state.moods.get(self.meter)

    async def async_set_native_value(self, value: float) -> None:
        """Set the meter (the slider's step is 1, so ``value`` is whole)."""
        await self.coordinator.async_set_mood(self.meter, round(value))
