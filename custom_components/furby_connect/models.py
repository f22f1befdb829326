"""What the integration knows about one Furby (the coordinator's state)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .const import COUNTERS
from .protocol.commands import MoodMeter
from .protocol.device_info import DeviceInformation
from .protocol.notifications import Interaction, Orientation, SlotInfo


@dataclass(frozen=True, slots=True)
class SlotTable:
    """The toy's 14 DLC slots as last read (PROTOCOL.md §4.4).

    ``filled`` and ``active`` come from the ``72`` reply; ``info`` holds the ``73`` reply of
    each filled slot that was queried (name, length, Adler-32).
    """

    filled: frozenset[int] = frozenset()
    active: frozenset[int] = frozenset()
    info: Mapping[int, SlotInfo] = field(default_factory=dict)

    @property
    def active_slot(self) -> int | None:
        """The lowest active slot, or ``None`` when no DLC is active."""
        return min(self.active) if self.active else None


def _zero_counters() -> dict[str, int]:
    """Start every counter at zero."""
    return dict.fromkeys(COUNTERS, 0)


@dataclass(slots=True)
class FurbyState:
    """Everything shown about one Furby; owned and mutated only by its coordinator.

    Values the toy cannot report back (antenna colour, eyes, name, moods) are what this
    integration last sent, restored from storage after a restart. ``None`` means unknown.
    """

    antenna: tuple[int, int, int] | None = None
    eyes_on: bool | None = None
    name_id: int | None = None
    moods: dict[MoodMeter, int] = field(default_factory=dict)
    orientation: Orientation | None = None
    active_interactions: frozenset[Interaction] = frozenset()
    """What is being touched right now (the last sensor packet's ``active`` set)."""
    slots: SlotTable | None = None
    rssi: int | None = None
    device_info: DeviceInformation | None = None
    counters: dict[str, int] = field(default_factory=_zero_counters)
    upload: object | None = None
    """Progress of a DLC upload; its type belongs to the upload job (``upload.py``)."""

    @property
    def active_slot(self) -> int | None:
        """The active DLC slot, if the slot table is known and one is active."""
        return self.slots.active_slot if self.slots is not None else None
