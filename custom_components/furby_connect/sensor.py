"""Sensors: orientation (PROTOCOL.md §4.5), signal strength and the active DLC slot (§4.4).

The DLC upload progress sensor is defined with the upload job (``upload_sensor.py``) and added
here with the others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import SIGNAL_STRENGTH_DECIBELS_MILLIWATT, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import FurbyConfigEntry, FurbyCoordinator
from .entity import FurbyEntity
from .models import FurbyState
from .protocol.notifications import Orientation
from .upload_sensor import FurbyUploadSensor

PARALLEL_UPDATES = 0
"""Read-only: nothing to limit."""


@dataclass(frozen=True, kw_only=True)
class FurbySensorEntityDescription(SensorEntityDescription):
    """A sensor reading one value (and optionally attributes) from the Furby's state."""

    value_fn: Callable[[FurbyState], str | int | None]
    attributes_fn: Callable[[FurbyState], Mapping[str, Any] | None] = lambda _state: None


def _slot_attributes(state: FurbyState) -> Mapping[str, Any] | None:
    """Return the filled slots, once the slot table has been read."""
    if state.slots is None:
        return None
    return {"filled_slots": sorted(state.slots.filled)}


SENSORS: tuple[FurbySensorEntityDescription, ...] = (
    FurbySensorEntityDescription(
        key="orientation",
        translation_key="orientation",
        device_class=SensorDeviceClass.ENUM,
        options=[orientation.value for orientation in Orientation],
        value_fn=lambda state: state.orientation.value if state.orientation else None,
    ),
    FurbySensorEntityDescription(
        key="signal_strength",
        translation_key="signal_strength",
        device_class=SensorDeviceClass.SIGNAL_STRENGTH,
        native_unit_of_measurement=SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda state: state.rssi,
    ),
    FurbySensorEntityDescription(
        key="active_slot",
        translation_key="active_slot",
        value_fn=lambda state: state.active_slot,
        attributes_fn=_slot_attributes,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FurbyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors."""
    coordinator = entry.runtime_data
    entities: list[SensorEntity] = [
        FurbySensor(coordinator, description) for description in SENSORS
    ]
    entities.append(FurbyUploadSensor(coordinator))
    async_add_entities(entities)


class FurbySensor(FurbyEntity, SensorEntity):
    """One value of the Furby's state."""

    entity_description: FurbySensorEntityDescription

    def __init__(
        self, coordinator: FurbyCoordinator, description: FurbySensorEntityDescription
    ) -> None:
        """Attach the description's value to the Furby's device."""
        super().__init__(coordinator, description.key)
        self.entity_description = description

    @property
    def native_value(self) -> str | int | None:
        """The current value (``None``: unknown)."""
        return self.entity_description.value_fn(self.coordinator.state)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Extra detail, where the description has some."""
        return self.entity_description.attributes_fn(self.coordinator.state)
