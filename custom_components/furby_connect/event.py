"""Touches and antenna moves as an event entity (docs/protocol.md §4.5 sensor packet ``21``).

The coordinator calls back once per new press (not per packet), so one touch is one event; the
entity writes its state for a press and for a change of availability, nothing else.
"""

from __future__ import annotations

from homeassistant.components.event import EventEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import FurbyCoordinator
from .entity import FurbyEntity
from .protocol.notifications import Interaction
from .runtime import FurbyConfigEntry

PARALLEL_UPDATES = 0
"""Read-only: nothing to limit."""


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FurbyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the interaction event entity."""
    async_add_entities([FurbyInteractionEvent(entry.runtime_data.coordinator)])


class FurbyInteractionEvent(FurbyEntity, EventEntity):
    """Fires ``tongue``, ``tickle_back``, ``antenna_down`` … once per press."""

    _attr_translation_key = "interaction"

    def __init__(self, coordinator: FurbyCoordinator) -> None:
        """Attach to the Furby's device."""
        super().__init__(coordinator, "interaction")
        self._attr_event_types = [interaction.value for interaction in Interaction]

    async def async_added_to_hass(self) -> None:
        """Also follow the coordinator's presses until the entity is removed."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_interaction_listener(self._async_on_interaction)
        )

    @callback
    def _async_on_interaction(self, interaction: Interaction) -> None:
        """Record one press as an event."""
        self._trigger_event(interaction.value)
        self.async_write_ha_state()
