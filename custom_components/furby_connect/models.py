"""What the integration knows about one Furby, and the values its parts hand each other.

- ``FurbyState``: the coordinator's state of one toy (the toy's own and what was last sent);
- ``FurbyChange``: which parts of it changed, so each listener follows only what it shows;
- ``UploadStatus``: one DLC upload as last reported;
- ``FurbyLogEntry``: one log-worthy event (connection, command, event, upload, error).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Flag, StrEnum, auto
from typing import Any

from .const import COUNTERS
from .protocol.commands import MoodMeter
from .protocol.device_info import DeviceInformation
from .protocol.notifications import Interaction, Orientation, SlotInfo
from .protocol.transfer import UploadPhase

type Rgb = tuple[int, int, int]


class FurbyChange(Flag):
    """Parts of a Furby's state; a listener names those it shows and is told which changed."""

    LINK = auto()
    """Connected or reachable (entity availability)."""
    ORIENTATION = auto()
    INTERACTIONS = auto()
    """The set of sensors held right now (and with a new press, the last interaction)."""
    SLOTS = auto()
    EYES = auto()
    ANTENNA = auto()
    NAME = auto()
    MOODS = auto()
    DEVICE_INFO = auto()
    COUNTERS = auto()
    SIGNAL = auto()
    """The signal strength of the latest advertisement."""
    UPLOAD = auto()
    """The status of the running or last DLC upload."""


@dataclass(frozen=True, slots=True)
class SlotTable:
    """The toy's 14 DLC slots as last read (docs/protocol.md §4.4).

    ``filled`` and ``active`` come from the ``72`` reply; ``info`` holds the ``73`` reply of
    each slot that is filled or active (name, length, Adler-32).
    """

    filled: frozenset[int] = frozenset()
    active: frozenset[int] = frozenset()
    info: Mapping[int, SlotInfo] = field(default_factory=dict)

    @property
    def active_slot(self) -> int | None:
        """The lowest active slot, or ``None`` when no DLC is active."""
        return min(self.active) if self.active else None


@dataclass(frozen=True, slots=True)
class UploadStatus:
    """One DLC upload as last reported; ``error`` is a reason key, ``message`` its translation."""

    upload_id: str
    filename: str
    phase: UploadPhase
    total_bytes: int
    bytes_sent: int = 0
    rate: float | None = None
    eta: float | None = None
    slot: int | None = None
    activate: bool = True
    error: str | None = None
    message: str | None = None

    @property
    def percent(self) -> float:
        """Share of the file sent, 0-100."""
        return 100.0 * self.bytes_sent / self.total_bytes if self.total_bytes else 0.0

    @property
    def running(self) -> bool:
        """Whether the upload has not ended yet."""
        return not self.phase.is_final

    def as_dict(self) -> dict[str, Any]:
        """Describe the upload as JSON-friendly data (event data, card, attributes)."""
        data = dataclasses.asdict(self)
        data["phase"] = str(self.phase)
        data["percent"] = round(self.percent, 1)
        return data


@dataclass(frozen=True, slots=True)
class LastInteraction:
    """The newest press of a sensor and when it arrived."""

    interaction: Interaction
    time: float
    """UNIX epoch seconds."""


def _zero_counters() -> dict[str, int]:
    """Start every counter at zero."""
    return dict.fromkeys(COUNTERS, 0)


@dataclass(slots=True)
class FurbyState:
    """Everything shown about one Furby; owned and mutated only by its coordinator.

    Values the toy cannot report back (antenna colour, eyes, name, moods) are what this
    integration last sent, restored from storage after a restart. ``None`` means unknown.
    """

    antenna: Rgb | None = None
    antenna_last_on: Rgb | None = None
    """The last colour sent that was not black: what turning the light on brings back."""
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
    upload: UploadStatus | None = None
    """The running or last DLC upload of this run of Home Assistant (not stored)."""
    last_interaction: LastInteraction | None = None
    """The newest press of this run of Home Assistant (not stored)."""

    @property
    def active_slot(self) -> int | None:
        """The active DLC slot, if the slot table is known and one is active."""
        return self.slots.active_slot if self.slots is not None else None


class LogLevel(StrEnum):
    """How much a log entry matters."""

    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class LogKind(StrEnum):
    """What a log entry is about."""

    CONNECTION = "connection"
    COMMAND = "command"
    REPLY = "reply"
    EVENT = "event"
    UPLOAD = "upload"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class FurbyLogEntry:
    """One log-worthy event of a Furby: one line of text and JSON-friendly ``data``."""

    level: LogLevel
    kind: LogKind
    text: str
    data: Mapping[str, Any] | None = None
    time: float = field(default_factory=time.time)
    """UNIX epoch seconds."""
