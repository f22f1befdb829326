"""``FurbyEntity``: the base of every Furby entity (device, unique id, availability)."""

from __future__ import annotations

from homeassistant.core import callback
from homeassistant.helpers.entity import Entity

from .coordinator import FurbyCoordinator


class FurbyEntity(Entity):
    """An entity of one Furby, updated by its coordinator's listeners (no polling).

    ``key`` makes the unique id ``f"{address}_{key}"``; subclasses set ``translation_key`` (or
    an entity description) for the name. Available while the coordinator is: connected, or,
    when connecting on demand, advertising so a command can connect.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, coordinator: FurbyCoordinator, key: str) -> None:
        """Attach the entity to its Furby's device."""
        self.coordinator = coordinator
        self._attr_unique_id = f"{coordinator.address}_{key}"
        self._attr_device_info = coordinator.device_info

    @property
    def available(self) -> bool:
        """Whether the Furby can be reached."""
        return self.coordinator.available

    async def async_added_to_hass(self) -> None:
        """Follow the coordinator's state changes until the entity is removed."""
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.async_add_listener(self._handle_coordinator_update))

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the new state; subclasses may refresh their attributes first."""
        self.async_write_ha_state()
