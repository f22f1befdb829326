"""The DLC upload progress sensor: percent sent, with phase, rate, ETA and outcome as attributes.

It shows ``coordinator.state.upload`` (an ``upload.UploadStatus``), which the upload job
publishes at most once a second plus at every phase change (``upload.py``). Unknown until the
first upload of this run of Home Assistant. It stays available while the Furby is away: the
progress is known locally, and a failed upload is most useful to see exactly then.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components.sensor import SensorEntity
from homeassistant.const import PERCENTAGE, EntityCategory

from .coordinator import FurbyCoordinator
from .entity import FurbyEntity
from .upload import UploadStatus

UPLOAD_PROGRESS_KEY = "upload_progress"
"""Unique-id suffix and translation key of the sensor."""


class FurbyUploadSensor(FurbyEntity, SensorEntity):
    """Progress of the last DLC upload to one Furby, in percent."""

    _attr_translation_key = UPLOAD_PROGRESS_KEY
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_native_unit_of_measurement = PERCENTAGE
    _attr_suggested_display_precision = 0
    # Changing every second during an upload: not worth a row in the recorder each time.
    _unrecorded_attributes = frozenset({"bytes_sent", "rate", "eta"})

    def __init__(self, coordinator: FurbyCoordinator) -> None:
        """Attach the sensor to its Furby."""
        super().__init__(coordinator, UPLOAD_PROGRESS_KEY)

    @property
    def _status(self) -> UploadStatus | None:
        """The upload status on the coordinator, if any."""
        status = self.coordinator.state.upload
        return status if isinstance(status, UploadStatus) else None

    @property
    def available(self) -> bool:
        """Always available: the progress is known without the toy."""
        return True

    @property
    def native_value(self) -> float | None:
        """Percent of the file sent, or unknown before the first upload."""
        status = self._status
        return round(status.percent, 1) if status is not None else None

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Phase, bytes, rate (B/s), ETA (s), slot and outcome of the upload."""
        status = self._status
        if status is None:
            return None
        return {key: value for key, value in status.as_dict().items() if key != "percent"}
