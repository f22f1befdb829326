"""What the virtual Furby remembers between commands, in one small object.

The command handlers (``generalplus.py``, ``nordic.py``) change the toy through a
:class:`CommandContext`: this state, the DLC store and upload, the notifier for replies and the few
toy-level actions of :class:`ToyControl`. They never hold the toy itself.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Protocol

from .radio import NotifyPayload

if TYPE_CHECKING:
    from .file_transfer import FileTransfer
    from .slots import SlotStore

MOOD_METERS: Final = (0, 1, 2, 3, 4)
"""Mood meter ids: excitedness, displeasedness, tiredness, fullness, wellness (§3.1)."""


@dataclass(slots=True)
class ToyState:
    """The toy's settings and what it did, as the commands of docs/protocol.md §3 change them."""

    antenna: tuple[int, int, int] | None = None
    eyes_on: bool = True
    name_id: int | None = None
    moods: dict[int, int] = field(default_factory=lambda: dict.fromkeys(MOOD_METERS, 50))
    played_actions: list[tuple[int, int, int, int]] = field(default_factory=list)
    group_active: bool = True
    debug_screen: int = 0
    bodycam_on: bool = False
    glitched: bool = False
    language: int = 0
    pressed: set[str] = field(default_factory=set)
    orientation: str | None = "upright"


class Notifier(Protocol):
    """Sends notifications to the connected host."""

    def notify_gp(self, payload: NotifyPayload) -> bool:
        """Notify on GeneralPlusListen; return whether the host will get it."""

    def notify_nordic(self, payload: NotifyPayload) -> bool:
        """Notify on NordicListen; return whether the host will get it."""


class ToyControl(Protocol):
    """The toy-level actions a command can trigger."""

    def drop_connection(self) -> None:
        """End the connection from the toy's side."""

    def start_stream(self) -> None:
        """Start the ``21`` sensor stream (``20 0d``)."""

    def stop_stream(self) -> None:
        """Stop the sensor stream (``20 0e``)."""


@dataclass(frozen=True, slots=True)
class CommandContext:
    """Everything a command handler may read or change."""

    state: ToyState
    slots: SlotStore
    transfer: FileTransfer
    notifier: Notifier
    control: ToyControl
    rng: random.Random
