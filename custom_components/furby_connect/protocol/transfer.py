"""DLC upload over a connected ``FurbyClient``: PROTOCOL.md §5.2 steps 3-9, flow-controlled.

``upload_dlc`` streams a file the caller has already validated (``dlc.py``) as an async iterable
of chunks of any size (e.g. aiofiles reads), so the file is never held whole:

1. read the slot table (``72``) so the slot the toy fills can be told apart afterwards (§4.4);
2. packet acks on (``09 01 00``, §3.3), keep-alive paused (FurBLE, §5.2 step 5);
3. announce (``50 …``, §5.1) and wait for ``24 02`` ReadyToReceive (``24 01``: already exists);
4. stream 20-byte FileWrite packets (§5.2 step 5) under flow control (``transfer_flow``); a
   ``24 03``/``24 06`` meanwhile ends the upload at once;
5. wait for ``24 05`` and then briefly for a ``24 06`` that may follow it (FurBLE's TODO, §4.3);
6. packet acks off (``09 00 00``, §5.2 step 7), also after a failure while the link is up;
7. verify: ``72`` names the new slot, ``73 SL`` must give the file's length and Adler-32 (§4.4);
8. optionally deactivate the old active slot (``62``), load (``60``) and activate (``61``) the new
   one and confirm with ``72`` (§5.2 step 9).

Every failure is a ``TransferError`` whose ``reason`` (a ``TransferFailure``) says which step
failed. A slot the failed upload filled (a partial or unverified file) is deleted (``74``) while
the link is up, so a retry is not refused as "already exists"; a verified slot whose activation
failed is kept. Cancellation propagates as ``asyncio.CancelledError`` and leaves the slot.
Time is the event loop's, so the whole procedure runs unchanged on a virtual-time loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import zlib
from collections.abc import AsyncIterable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from . import commands
from .client import FurbyClient
from .errors import FurbyConnectionError, FurbyError, FurbyTimeoutError
from .gatt import FILE_WRITE, GENERALPLUS_WRITE, MAX_WRITE_SIZE
from .notifications import (
    FileTransferCode,
    FileTransferStatus,
    Notification,
    PacketAck,
    PacketOverload,
    SlotsInfo,
)
from .transfer_flow import (
    FlowControl,
    ProgressCallback,
    ProgressMeter,
    TransferProgress,
    TransferSettings,
    UploadPhase,
)

__all__ = [
    "ProgressCallback",
    "TransferError",
    "TransferFailure",
    "TransferProgress",
    "TransferResult",
    "TransferSettings",
    "UploadPhase",
    "upload_dlc",
]

SLOT_NAME_LENGTH: Final = 8
"""A ``73`` reply keeps the first 8 characters of the announced filename (§4.4)."""


class TransferFailure(StrEnum):
    """Why an upload failed (each names one step of §5.2)."""

    ALREADY_EXISTS = "already_exists"  # 24 01 to the announce
    NOT_READY = "not_ready"  # no 24 02 (no reply, or another 24 MM)
    TOY_TIMEOUT = "toy_timeout"  # 24 03
    RECEIVED_ERROR = "received_error"  # 24 06
    ERROR_AFTER_OK = "error_after_ok"  # 24 06 right after 24 05
    NO_RESULT = "no_result"  # all sent, no 24 05 in time
    STALLED = "stalled"  # paused on the acks for too long
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


async def upload_dlc(
    client: FurbyClient,
    chunks: AsyncIterable[bytes],
    *,
    size: int,
    adler32: int,
    filename: str,
    activate: bool = True,
    on_progress: ProgressCallback | None = None,
    settings: TransferSettings | None = None,
) -> TransferResult:
    """Upload a validated DLC of ``size`` bytes and Adler-32 ``adler32`` (see module docstring).

    ``filename`` is the 12-character announce name (``commands.dlc_filename``). Raises
    ``ValueError`` for bad arguments before anything is sent, ``TransferError`` on failure.
    """
    announce = commands.announce_dlc(size, filename)
    return await _Upload(client, settings or TransferSettings(), size, adler32, filename).run(
        chunks, announce, activate=activate, on_progress=on_progress
    )


class _Upload:
    """One run of ``upload_dlc``."""

    def __init__(
        self,
        client: FurbyClient,
        settings: TransferSettings,
        size: int,
        adler32: int,
        filename: str,
    ) -> None:
        """Hold the parameters; nothing is sent yet."""
        self._client = client
        self._settings = settings
        self._size = size
        self._adler32 = adler32
        self._slot_name = filename[:SLOT_NAME_LENGTH]
        self._wake = asyncio.Event()
        self._flow = FlowControl(settings, self._wake)
        self._statuses: list[int] = []
        self._link_lost: asyncio.Future[Notification] | None = None

    def _on_notification(self, notification: Notification) -> None:
        """Feed acks to the flow control and collect ``24 MM`` statuses."""
        if isinstance(notification, PacketAck):
            self._flow.on_ack(notification.buffered)
        elif isinstance(notification, PacketOverload):
            self._flow.on_overload()
        elif isinstance(notification, FileTransferStatus):
            self._statuses.append(notification.code)
            self._wake.set()

    async def run(
        self,
        chunks: AsyncIterable[bytes],
        announce: bytes,
        *,
        activate: bool,
        on_progress: ProgressCallback | None,
    ) -> TransferResult:
        """Run steps 1-8 of the module docstring; discard a failed upload's slot."""
        client = self._client
        progress = ProgressMeter(self._size, self._settings, on_progress)
        progress.report(0, UploadPhase.ANNOUNCING)
        before: SlotsInfo | None = None
        slot: int | None = None
        try:
            try:
                before = await client.get_slots()
                await self._send(chunks, announce, progress)
                progress.report(self._size, UploadPhase.VERIFYING)
                progress.slot = slot = await self._verify(before)
                if activate:
                    progress.report(self._size, UploadPhase.ACTIVATING)
                    await _activate(client, slot)
            except FurbyTimeoutError as err:
                raise TransferError(TransferFailure.NO_REPLY, str(err)) from err
            except FurbyConnectionError as err:
                raise TransferError(TransferFailure.LINK_LOST, str(err)) from err
        except TransferError:
            if before is not None and slot is None:
                await _discard_new_slots(client, before)
            raise
        progress.report(self._size, UploadPhase.DONE)
        return TransferResult(
            slot=slot,
            size=self._size,
            adler32=self._adler32,
            activated=activate,
            seconds=progress.elapsed,
            pauses=self._flow.pauses,
            overloads=self._flow.overloads,
        )

    async def _send(
        self, chunks: AsyncIterable[bytes], announce: bytes, progress: ProgressMeter
    ) -> None:
        """Acks on, keep-alive paused: announce, stream, await the result; acks off (steps 2-6)."""
        client = self._client
        remove = client.add_listener(self._on_notification)
        try:
            with client.expect(lambda _notification: False) as link_lost:
                link_lost.add_done_callback(lambda _future: self._wake.set())
                self._link_lost = link_lost
                await client.set_packet_acks(True)
                try:
                    async with client.keepalive_paused():
                        await self._announce(announce)
                        progress.report(0, UploadPhase.TRANSFERRING)
                        await self._stream(chunks, progress)
                        await self._await_result()
                finally:
                    self._flow.cancel()
                    await _acks_off(client)
        finally:
            remove()

    async def _announce(self, announce: bytes) -> None:
        """Send ``50 …`` and require ``24 02`` (§5.1, §5.2 step 4)."""
        try:
            reply = await self._client.request(
                GENERALPLUS_WRITE,
                announce,
                lambda n: isinstance(n, FileTransferStatus),
                timeout=self._settings.announce_timeout,
            )
        except FurbyTimeoutError as err:
            raise TransferError(TransferFailure.NOT_READY, str(err)) from err
        self._statuses.clear()
        assert isinstance(reply, FileTransferStatus)  # guaranteed by the match
        if reply.code == FileTransferCode.ALREADY_EXISTS:
            raise TransferError(
                TransferFailure.ALREADY_EXISTS,
                f"the toy already holds a file named {self._slot_name!r} (24 01)",
            )
        if reply.code != FileTransferCode.READY_TO_RECEIVE:
            raise TransferError(
                TransferFailure.NOT_READY, f"the toy answered the announce with 24 {reply.code:02x}"
            )

    def _check(self) -> None:
        """Raise if the link is gone or the toy ended the transfer (``24 03``/``24 06``)."""
        if self._link_lost is not None and self._link_lost.done():
            self._link_lost.result()  # raises FurbyConnectionError
        for code in self._statuses:
            if code == FileTransferCode.TIMEOUT:
                raise TransferError(TransferFailure.TOY_TIMEOUT, "the toy gave up waiting (24 03)")
            if code == FileTransferCode.RECEIVED_ERROR:
                raise TransferError(
                    TransferFailure.RECEIVED_ERROR, "the toy reported a receive error (24 06)"
                )

    async def _stream(self, chunks: AsyncIterable[bytes], progress: ProgressMeter) -> None:
        """Write the file in 20-byte packets under flow control (§5.2 step 5)."""
        size = self._size
        read = sent = 0
        adler = zlib.adler32(b"")
        pending = b""
        async for chunk in chunks:
            read += len(chunk)
            if read > size:
                raise TransferError(
                    TransferFailure.FILE_CHANGED, f"the file is now longer than {size} bytes"
                )
            adler = zlib.adler32(chunk, adler)
            data = memoryview(pending + chunk if pending else chunk)
            whole = len(data) - len(data) % MAX_WRITE_SIZE
            for offset in range(0, whole, MAX_WRITE_SIZE):
                await self._write(data[offset : offset + MAX_WRITE_SIZE])
                sent += MAX_WRITE_SIZE
                progress.maybe_report(sent)
            pending = bytes(data[whole:])
        if read != size or adler != self._adler32:
            raise TransferError(
                TransferFailure.FILE_CHANGED,
                f"the file changed since it was validated ({read} bytes, Adler-32 {adler:08x}; "
                f"expected {size}, {self._adler32:08x})",
            )
        if pending:
            await self._write(memoryview(pending))
        progress.report(size)

    async def _write(self, packet: memoryview) -> None:
        """Write one FileWrite packet once the flow control allows it."""
        flow = self._flow
        if not flow.may_send and not await flow.wait_for_room(self._check):
            raise TransferError(
                TransferFailure.STALLED,
                f"the toy did not drain its buffer within {self._settings.pause_timeout:g} s "
                f"({flow.describe()})",
            )
        if self._statuses:
            self._check()
        await self._client.write(FILE_WRITE, bytes(packet))
        flow.on_sent()

    async def _await_result(self) -> None:
        """Wait for ``24 05``, then briefly for a ``24 06`` after it (§5.2 step 6, §4.3)."""
        settings = self._settings
        if not await self._wait(lambda: bool(self._statuses), settings.result_timeout):
            raise TransferError(
                TransferFailure.NO_RESULT,
                f"no result from the toy within {settings.result_timeout:g} s of the last packet",
            )
        if self._statuses[0] != FileTransferCode.RECEIVED_OK:
            self._check()  # 24 03 or 24 06
            raise TransferError(
                TransferFailure.NOT_READY,
                f"unexpected status 24 {self._statuses[0]:02x} at the end of the transfer",
            )
        if await self._wait(
            lambda: FileTransferCode.RECEIVED_ERROR in self._statuses, settings.error_grace
        ):
            raise TransferError(
                TransferFailure.ERROR_AFTER_OK, "the toy reported an error (24 06) after 24 05"
            )

    async def _wait(self, done: Callable[[], bool], seconds: float) -> bool:
        """Wait until ``done()`` (re-checked on each notification) or ``seconds`` pass."""
        try:
            async with asyncio.timeout(seconds):
                while not done():
                    if self._link_lost is not None and self._link_lost.done():
                        self._link_lost.result()  # raises FurbyConnectionError
                    self._wake.clear()
                    await self._wake.wait()
        except TimeoutError:
            return False
        return True

    async def _verify(self, before: SlotsInfo) -> int:
        """Find the slot holding the file and check its length and Adler-32 (§4.4, §5.2 step 8)."""
        client = self._client
        after = await client.get_slots()
        new = sorted(after.filled - before.filled, reverse=True)
        candidates = new or sorted(after.filled, reverse=True)
        for slot in candidates:
            info = await client.get_slot_info(slot)
            if not new and info.name != self._slot_name:
                continue
            if info.length != self._size or info.adler32 != self._adler32:
                raise TransferError(
                    TransferFailure.VERIFY_MISMATCH,
                    f"slot {slot} holds {info.length} bytes with Adler-32 {info.adler32:08x}; "
                    f"the file has {self._size} bytes and {self._adler32:08x}",
                )
            return slot
        raise TransferError(
            TransferFailure.NO_SLOT,
            f"the toy confirmed the upload but no slot holds {self._slot_name!r} "
            f"(filled slots: {sorted(after.filled)})",
        )


async def _activate(client: FurbyClient, slot: int) -> None:
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


async def _discard_new_slots(client: FurbyClient, before: SlotsInfo) -> None:
    """Delete (``74``) the slots a failed upload left filled, so a retry finds a clean store.

    Best effort: nothing happens when the link is down (the toy keeps a stuck slot, §8).
    """
    if not client.is_running:
        return
    with contextlib.suppress(FurbyError, TimeoutError):
        async with asyncio.timeout(CLEANUP_TIMEOUT):
            after = await client.get_slots()
            for slot in sorted(after.filled - before.filled):
                await client.delete_slot(slot)


async def _acks_off(client: FurbyClient) -> None:
    """Turn the packet acks off if the link is still up (§5.2 step 7); never raises FurbyError."""
    if not client.is_running:
        return
    with contextlib.suppress(FurbyError, TimeoutError):
        async with asyncio.timeout(CLEANUP_TIMEOUT):
            await client.set_packet_acks(False)
