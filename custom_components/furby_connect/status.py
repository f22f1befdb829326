"""A Furby's status as the websocket API sends it (docs/websocket.md, "Status").

``STATUS_CHANGES`` are the parts of the state the status shows: a status subscriber follows
those and nothing else (not the signal strength, the counters or the Device Information).
"""

from __future__ import annotations

from typing import Any, Final

from .coordinator import FurbyCoordinator
from .models import FurbyChange, UploadStatus
from .protocol.commands import MoodMeter

STATUS_CHANGES: Final = (
    FurbyChange.LINK
    | FurbyChange.ORIENTATION
    | FurbyChange.INTERACTIONS
    | FurbyChange.SLOTS
    | FurbyChange.EYES
    | FurbyChange.ANTENNA
    | FurbyChange.NAME
    | FurbyChange.MOODS
    | FurbyChange.UPLOAD
)
"""The state parts a status shows."""

UPLOAD_KEYS: Final = (
    "upload_id",
    "filename",
    "phase",
    "percent",
    "bytes_sent",
    "total_bytes",
    "rate",
    "eta",
    "slot",
    "error",
    "message",
)
"""The fields of an upload in a status."""


def upload_status(status: UploadStatus | None) -> dict[str, Any] | None:
    """Return the upload part of a status."""
    if status is None:
        return None
    data = status.as_dict()
    return {key: data[key] for key in UPLOAD_KEYS}


def furby_status(coordinator: FurbyCoordinator, device_id: str, name: str) -> dict[str, Any]:
    """Return the whole status of one Furby (``name`` is its device name)."""
    state = coordinator.state
    names = coordinator.catalog.names
    last = state.last_interaction
    return {
        "device_id": device_id,
        "name": name,
        "connected": coordinator.connected,
        "available": coordinator.available,
        "orientation": None if state.orientation is None else str(state.orientation),
        "last_interaction": None
        if last is None
        else {"type": str(last.interaction), "time": last.time},
        "active_slot": state.active_slot,
        "filled_slots": [] if state.slots is None else sorted(state.slots.filled),
        "eyes_on": state.eyes_on,
        "antenna": None if state.antenna is None else list(state.antenna),
        "name_id": state.name_id,
        "furby_name": names[state.name_id]
        if state.name_id is not None and 0 <= state.name_id < len(names)
        else None,
        "moods": {meter.name.lower(): state.moods.get(meter) for meter in MoodMeter},
        "upload": upload_status(state.upload),
    }
