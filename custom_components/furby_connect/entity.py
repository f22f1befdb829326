"""``FurbyEntity``: the base of every Furby entity (device, unique id, availability, updates)."""

from __future__ import annotations

from homeassistant.core import callback
from homeassistant.helpers.entity import Entity

from .coordinator import FurbyCoordinator
from .models import FurbyChange


class FurbyEntity(Entity):
    """An entity of one Furby that writes its state only when what it shows changed.

    ``key`` makes the unique id ``f"{address}_{key}"``; subclasses set ``translation_key`` (or
    an entity description) for the name, and ``_watches`` to the parts of the coordinator's
    state they show (``FurbyChange``; the link, for availability, by default). Available while
    the coordinator is: connected, or, when connecting on demand, advertising so a command can
    connect.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False
    _watches: FurbyChange = FurbyChange.LINK
    """The parts of the Furby's state this entity shows; a change of any of them writes it."""

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
        """Follow the parts of the coordinator's state it shows until the entity is removed."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_listener(self._handle_coordinator_update, self._watches)
        )

    @callback
    def _handle_coordinator_update(self, changed: FurbyChange) -> None:
        """Write the new state; subclasses may refresh their attributes first."""
        self.async_write_ha_state()
