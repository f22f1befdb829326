"""Whether the Bluetooth link to the Furby is up (diagnostic; always available)."""

from __future__ import annotations

# Defined in binary_sensor/const.py from HA 2026 on and re-exported implicitly, hence the ignore.
from homeassistant.components.binary_sensor import (  # type: ignore[attr-defined,unused-ignore]
    BinarySensorDeviceClass,
    BinarySensorEntity,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import FurbyCoordinator
from .entity import FurbyEntity
from .runtime import FurbyConfigEntry

PARALLEL_UPDATES = 0
"""Read-only: nothing to limit."""


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FurbyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the connectivity sensor."""
    async_add_entities([FurbyConnectedSensor(entry.runtime_data.coordinator)])


class FurbyConnectedSensor(FurbyEntity, BinarySensorEntity):
    """On while connected. It reports the link itself, so it never becomes unavailable."""

    _attr_translation_key = "connected"
    _attr_device_class = BinarySensorDeviceClass.CONNECTIVITY
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, coordinator: FurbyCoordinator) -> None:
        """Attach to the Furby's device."""
        super().__init__(coordinator, "connected")

    @property
    def available(self) -> bool:
        """Always available: a missing link is this sensor's "off"."""
        return True

    @property
    def is_on(self) -> bool:
        """Whether the link is up."""
        return self.coordinator.connected
