"""What a loaded Furby entry holds: ``entry.runtime_data`` is a ``FurbyRuntimeData``.

Everything per Furby lives here and goes away with the entry when it unloads; nothing per entry
is kept in ``hass.data``.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry

from .coordinator import FurbyCoordinator
from .sequence import FurbySequenceRunner
from .upload import FurbyUploadManager


@dataclass(frozen=True, slots=True)
class FurbyRuntimeData:
    """The objects of one loaded Furby entry."""

    coordinator: FurbyCoordinator
    """The toy's state, listeners, commands and link."""
    uploads: FurbyUploadManager
    """Its DLC uploads (at most one at a time) and the last one's status."""
    sequences: FurbySequenceRunner
    """Its host-side action sequence (at most one at a time)."""


type FurbyConfigEntry = ConfigEntry[FurbyRuntimeData]
