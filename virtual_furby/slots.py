"""The toy's DLC store: 14 slots with state codes 0-3 (docs/protocol.md §4.4, §5.2 step 9).

State codes as on debug screen 6: 0 empty, 1 being written / incomplete, 2 downloaded, 3 active.
Replies: ``72`` is 9 bytes with the filled mask in bytes 3-4 and the active mask in bytes 7-8
(big-endian, bit i = slot i); ``73 SL`` is 17 bytes: slot, 8 name bytes, u24 length and u32
Adler-32, both big-endian.

Inferred (no source states it): "filled" means any slot that is not empty, so a slot stuck at 1
after a failed upload shows up and can be deleted; the toy fills the highest-numbered empty slot
(FurBLE's example upload landed in slot 13); several slots may be active at once (the ``72`` reply
has an active *mask*); the ``dc`` and ``74`` payloads are unknown, so they carry the slot.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

SLOT_COUNT: Final = 14
NAME_LENGTH: Final = 8
MAX_LENGTH: Final = 2**24 - 1
"""The announce carries the size in 24 bits (§5.1)."""


class SlotState(IntEnum):
    """A slot's state code (debug screen 6)."""

    EMPTY = 0
    INCOMPLETE = 1
    DOWNLOADED = 2
    ACTIVE = 3


@dataclass(slots=True)
class Slot:
    """One DLC slot as the toy reports it."""

    index: int
    state: SlotState = SlotState.EMPTY
    name: bytes = b""
    length: int = 0
    adler32: int = 0

    def clear(self) -> None:
        """Empty the slot."""
        self.state = SlotState.EMPTY
        self.name = b""
        self.length = 0
        self.adler32 = 0


def stored_name(filename: bytes) -> bytes:
    """Return the 8 name bytes a slot keeps from an announced filename (§4.4)."""
    return filename[:NAME_LENGTH]


class SlotStore:
    """The 14 slots and the slot last loaded with ``60``."""

    def __init__(self) -> None:
        """Start with every slot empty."""
        self._slots = [Slot(index) for index in range(SLOT_COUNT)]
        self.loaded: int | None = None

    def __getitem__(self, index: int) -> Slot:
        """Return slot ``index`` (0-13)."""
        return self._slots[index]

    def __iter__(self) -> Iterator[Slot]:
        """Iterate over the slots in order."""
        return iter(self._slots)

    def __len__(self) -> int:
        """Return the number of slots (14)."""
        return SLOT_COUNT

    @property
    def filled(self) -> frozenset[int]:
        """Slots that are not empty."""
        return frozenset(s.index for s in self._slots if s.state is not SlotState.EMPTY)

    @property
    def active(self) -> frozenset[int]:
        """Slots in state 3."""
        return frozenset(s.index for s in self._slots if s.state is SlotState.ACTIVE)

    def free_slot(self) -> int | None:
        """Return the slot the toy would fill next, or None when all are taken."""
        for slot in reversed(self._slots):
            if slot.state is SlotState.EMPTY:
                return slot.index
        return None

    def find_complete(self, name: bytes) -> int | None:
        """Return a downloaded or active slot holding ``name`` (8 bytes), or None."""
        for slot in self._slots:
            if slot.state >= SlotState.DOWNLOADED and slot.name == name:
                return slot.index
        return None

    def install(self, index: int, name: str, data: bytes, *, active: bool = False) -> Slot:
        """Put a finished DLC into a slot directly (test set-up), as if uploaded earlier."""
        if not 0 <= index < SLOT_COUNT:
            raise ValueError(f"slot must be 0-{SLOT_COUNT - 1}, got {index}")
        if len(data) > MAX_LENGTH:
            raise ValueError(f"data must be at most {MAX_LENGTH} bytes")
        slot = self._slots[index]
        slot.state = SlotState.ACTIVE if active else SlotState.DOWNLOADED
        slot.name = stored_name(name.encode("ascii"))
        slot.length = len(data)
        slot.adler32 = zlib.adler32(data)
        return slot

    def slots_reply(self) -> bytes:
        """Return the 9-byte ``72`` reply."""
        filled = sum(1 << i for i in self.filled)
        active = sum(1 << i for i in self.active)
        return (
            bytes([0x72, 0, 0]) + filled.to_bytes(2, "big") + bytes(2) + active.to_bytes(2, "big")
        )

    def slot_info_reply(self, index: int) -> bytes:
        """Return the 17-byte ``73`` reply (all zeros after the slot byte for a bad slot)."""
        if not 0 <= index < SLOT_COUNT:
            return bytes([0x73, index]) + bytes(15)
        slot = self._slots[index]
        return (
            bytes([0x73, index])
            + slot.name.ljust(NAME_LENGTH, b"\x00")
            + slot.length.to_bytes(3, "big")
            + slot.adler32.to_bytes(4, "big")
        )

    def _valid(self, index: int) -> bool:
        return 0 <= index < SLOT_COUNT

    def load(self, index: int) -> None:
        """``60 SL``: remember a downloaded slot for activation."""
        if self._valid(index) and self._slots[index].state >= SlotState.DOWNLOADED:
            self.loaded = index

    def activate(self) -> None:
        """``61``: activate the loaded slot (state 3)."""
        if self.loaded is not None and self._slots[self.loaded].state >= SlotState.DOWNLOADED:
            self._slots[self.loaded].state = SlotState.ACTIVE

    def deactivate(self, index: int) -> None:
        """``62 SL``: an active slot goes back to downloaded (state 2)."""
        if self._valid(index) and self._slots[index].state is SlotState.ACTIVE:
            self._slots[index].state = SlotState.DOWNLOADED

    def delete(self, index: int) -> None:
        """``74 SL``: empty the slot (state 0)."""
        if not self._valid(index):
            return
        self._slots[index].clear()
        if self.loaded == index:
            self.loaded = None
