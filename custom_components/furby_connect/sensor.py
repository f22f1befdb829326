"""Sensors: orientation (docs/protocol.md §4.5), signal strength, active DLC slot (§4.4), upload.

Each sensor follows only the part of the Furby's state it shows (and the link, for its
availability): the orientation the sensor packets, the signal strength the advertisements, the
active slot the slot table. The DLC upload sensor shows ``state.upload`` (an ``UploadStatus``),
which the upload job publishes at most once a second plus at every phase change
(``upload.py``); it is unknown until the first upload of this run of Home Assistant and stays
available while the Furby is away (the progress is known locally, and a failed upload is most
useful to see exactly then).
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
from homeassistant.const import PERCENTAGE, SIGNAL_STRENGTH_DECIBELS_MILLIWATT, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import FurbyCoordinator
from .entity import FurbyEntity
from .models import FurbyChange, FurbyState
from .protocol.notifications import Orientation
from .runtime import FurbyConfigEntry

PARALLEL_UPDATES = 0
"""Read-only: nothing to limit."""

UPLOAD_PROGRESS_KEY = "upload_progress"
"""Unique-id suffix and translation key of the upload sensor."""


@dataclass(frozen=True, kw_only=True)
class FurbySensorEntityDescription(SensorEntityDescription):
    """A sensor reading one value (and optionally attributes) from the Furby's state."""

    watches: FurbyChange
    """The part of the state the value comes from."""
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
        watches=FurbyChange.ORIENTATION,
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
        watches=FurbyChange.SIGNAL,
        value_fn=lambda state: state.rssi,
    ),
    FurbySensorEntityDescription(
        key="active_slot",
        translation_key="active_slot",
        watches=FurbyChange.SLOTS,
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
    coordinator = entry.runtime_data.coordinator
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
        self._watches = FurbyChange.LINK | description.watches

    @property
    def native_value(self) -> str | int | None:
        """The current value (``None``: unknown)."""
        return self.entity_description.value_fn(self.coordinator.state)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Extra detail, where the description has some."""
        return self.entity_description.attributes_fn(self.coordinator.state)


class FurbyUploadSensor(FurbyEntity, SensorEntity):
    """Progress of the last DLC upload to one Furby, in percent."""

    _attr_translation_key = UPLOAD_PROGRESS_KEY
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_native_unit_of_measurement = PERCENTAGE
    _attr_suggested_display_precision = 0
    # Changing every second during an upload: not worth a row in the recorder each time.
    _unrecorded_attributes = frozenset({"bytes_sent", "rate", "eta"})
    _watches = FurbyChange.UPLOAD

    def __init__(self, coordinator: FurbyCoordinator) -> None:
        """Attach the sensor to its Furby."""
        super().__init__(coordinator, UPLOAD_PROGRESS_KEY)

    @property
    def available(self) -> bool:
        """Always available: the progress is known without the toy."""
        return True

    @property
    def native_value(self) -> float | None:
        """Percent of the file sent, or unknown before the first upload."""
        status = self.coordinator.state.upload
        return round(status.percent, 1) if status is not None else None

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Phase, bytes, rate (B/s), ETA (s), slot and outcome of the upload."""
        status = self.coordinator.state.upload
        if status is None:
            return None
        return {key: value for key, value in status.as_dict().items() if key != "percent"}
