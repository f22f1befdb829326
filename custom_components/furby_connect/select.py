"""The Furby's name as a select of the 129 names (docs/protocol.md §7.3; set with ``21 NN``).

The toy cannot report its name, so the state is the name last sent (restored from storage by
the coordinator) and the entity has an assumed state.
"""

from __future__ import annotations

from homeassistant.components.select import SelectEntity
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
    """Add the name select."""
    async_add_entities([FurbyNameSelect(entry.runtime_data.coordinator)])


class FurbyNameSelect(FurbyEntity, SelectEntity):
    """Pick one of the 129 names; the Furby says its new name."""

    _attr_translation_key = "name"
    _attr_assumed_state = True
    _watches = FurbyChange.LINK | FurbyChange.NAME

    def __init__(self, coordinator: FurbyCoordinator) -> None:
        """Offer the catalog's names, in id order."""
        super().__init__(coordinator, "name")
        self._attr_options = list(coordinator.catalog.names)

    @property
    def current_option(self) -> str | None:
        """The name last sent (``None``: never set)."""
        name_id = self.coordinator.state.name_id
        return None if name_id is None else self.coordinator.catalog.name(name_id)

    async def async_select_option(self, option: str) -> None:
        """Rename the Furby (Home Assistant has already checked ``option`` is one of ours)."""
        await self.coordinator.async_set_name(self.options.index(option))
