"""The steps of a DLC upload around the stream: its outcome types and the slot checks (§4.4, §5.2).

``transfer.py`` runs an upload; this module holds what it reports (``TransferFailure``,
``TransferError``, ``TransferResult``) and the slot steps it takes before and after the stream:
find the slot holding the file and check it with ``73`` (steps 8 and the recovery after a doubtful
result), activate it (step 9), and clean up after a failure (acks off, delete a slot that does not
hold the file).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from .client import FurbyClient
from .errors import FurbyError
from .notifications import SlotsInfo

SLOT_NAME_LENGTH: Final = 8
"""A ``73`` reply keeps the first 8 characters of the announced filename (§4.4)."""


class TransferFailure(StrEnum):
    """Why an upload failed (each names one step of §5.2)."""

    ALREADY_EXISTS = "already_exists"  # 24 01 to the announce
    NOT_READY = "not_ready"  # no 24 02 (no reply, or another 24 MM)
    TOY_TIMEOUT = "toy_timeout"  # 24 03
    RECEIVED_ERROR = "received_error"  # 24 06
    ENDED_BY_TOY = "ended_by_toy"  # 24 01 (EndCurrentTransfer) during or after the stream
    APPEND_REQUESTED = "append_requested"  # 24 04 (ReadyToAppend) during or after the stream
    ERROR_AFTER_OK = "error_after_ok"  # 24 06 right after 24 05
    NO_RESULT = "no_result"  # all sent, no 24 05 in time
    STALLED = "stalled"  # the toy took no data for pause_timeout
    LINK_LOST = "link_lost"
    NO_REPLY = "no_reply"  # a slot query or command got no reply
    FILE_CHANGED = "file_changed"  # the source gave other bytes than validated
    NO_SLOT = "no_slot"  # 24 05 but no slot holds the file (bluefluff #43)
    VERIFY_MISMATCH = "verify_mismatch"  # 73 length or Adler-32 differ
    ACTIVATION_FAILED = "activation_failed"  # 72 does not show the new slot active


class TransferError(FurbyError):
    """An upload failed; ``reason`` says at which step, ``detail`` what was seen."""

    def __init__(self, reason: TransferFailure, detail: str) -> None:
        """Keep the machine-readable reason next to the human-readable detail."""
        super().__init__(f"DLC upload failed ({reason}): {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class TransferResult:
    """A verified upload: the toy's slot, what it holds and how the transfer went."""

    slot: int
    size: int
    adler32: int
    activated: bool
    seconds: float
    pauses: int
    overloads: int
    probes: int = 0
    """Packets sent while paused to draw a fresh ack."""
    acks: int = 0
    """``09 NN`` acks received."""
    paced_without_acks: bool = False
    """True when the toy sent no acks for a while and the fixed spacing alone paced the upload."""
    recovered_from: TransferFailure | None = None
    """``error_after_ok`` or ``no_result`` when ``73`` showed the file intact despite it."""


async def find_verified_slot(
    client: FurbyClient, before: SlotsInfo, *, size: int, adler32: int, slot_name: str
) -> int:
    """Find the slot holding the file and check its length and Adler-32 (§4.4, §5.2 step 8).

    ``before`` is the slot table read before the announce: a newly filled slot is the upload's;
    without one, a slot whose ``73`` name is ``slot_name`` (the toy rewrote it). Raises
    ``TransferError`` with ``verify_mismatch`` or ``no_slot``.
    """
    after = await client.get_slots()
    new = sorted(after.filled - before.filled, reverse=True)
    candidates = new or sorted(after.filled, reverse=True)
    for slot in candidates:
        info = await client.get_slot_info(slot)
        if not new and info.name != slot_name:
            continue
        if info.length != size or info.adler32 != adler32:
            raise TransferError(
                TransferFailure.VERIFY_MISMATCH,
                f"slot {slot} holds {info.length} bytes with Adler-32 {info.adler32:08x}; "
                f"the file has {size} bytes and {adler32:08x}",
            )
        return slot
    raise TransferError(
        TransferFailure.NO_SLOT,
        f"the toy confirmed the upload but no slot holds {slot_name!r} "
        f"(filled slots: {sorted(after.filled)})",
    )


async def activate_slot(client: FurbyClient, slot: int) -> None:
    """Deactivate the old active slot(s), load and activate ``slot``, confirm (§5.2 step 9)."""
    current = await client.get_slots()
    for old in sorted(current.active - {slot}):
        await client.deactivate_slot(old)
    await client.load_slot(slot)
    await client.activate_slot()
    confirmed = await client.get_slots()
    if slot not in confirmed.active:
        raise TransferError(
            TransferFailure.ACTIVATION_FAILED,
            f"slot {slot} is not active after 60/61 (active: {sorted(confirmed.active)})",
        )


CLEANUP_TIMEOUT: Final = 5.0
"""How long the best-effort steps after a failure (acks off, discarding a slot) may take."""


async def discard_new_slots(
    client: FurbyClient, before: SlotsInfo, size: int, adler32: int
) -> None:
    """Delete (``74``) the slots a failed upload left, so a retry finds a clean store.

    A slot whose ``73`` reply shows the file's length and Adler-32 is kept: it holds the file.
    Best effort: nothing happens when the link is down (the toy keeps a stuck slot, §8).
    """
    if not client.is_running:
        return
    with contextlib.suppress(FurbyError, TimeoutError):
        async with asyncio.timeout(CLEANUP_TIMEOUT):
            after = await client.get_slots()
            for slot in sorted(after.filled - before.filled):
                info = await client.get_slot_info(slot)
                if info.length != size or info.adler32 != adler32:
                    await client.delete_slot(slot)


async def acks_off(client: FurbyClient) -> None:
    """Turn the packet acks off if the link is still up (§5.2 step 7); never raises FurbyError."""
    if not client.is_running:
        return
    with contextlib.suppress(FurbyError, TimeoutError):
        async with asyncio.timeout(CLEANUP_TIMEOUT):
            await client.set_packet_acks(False)
