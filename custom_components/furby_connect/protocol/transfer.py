"""DLC upload over a connected ``FurbyClient``: docs/protocol.md §5.2 steps 3-9, flow-controlled.

``upload_dlc`` streams a file the caller has already validated (``dlc.py``) as an async iterable
of chunks of any size (e.g. aiofiles reads), so the file is never held whole:

1. read the slot table (``72``) so the slot the toy fills can be told apart afterwards (§4.4);
2. packet acks on (``09 01 00``, §3.3), keep-alive paused (FurBLE, §5.2 step 5);
3. announce (``50 …``, §5.1) and wait for ``24 02`` ReadyToReceive (``24 01``: already exists);
4. stream 20-byte FileWrite packets (§5.2 step 5), at least 5 ms apart and under flow control
   from the acks (``transfer_flow``); any ``24 01``/``24 03``/``24 04``/``24 06`` meanwhile ends
   the upload at once, and so does a toy that takes no data for ``pause_timeout``; the last
   packet is held until the bytes read match the validated size and Adler-32 (else
   ``file_changed``, and the toy never sees the transfer complete);
5. wait for ``24 05`` and then briefly for a ``24 06`` that may follow it (FurBLE's TODO, §4.3);
6. packet acks off (``09 00 00``, §5.2 step 7), also after a failure while the link is up;
7. verify: ``72`` names the new slot, ``73 SL`` must give the file's length and Adler-32 (§4.4);
8. optionally deactivate the old active slot (``62``), load (``60``) and activate (``61``) the new
   one and confirm with ``72`` (§5.2 step 9).

A ``24 06`` after ``24 05``, or no result in time, is not taken at its word: the slot is checked
with ``72``/``73`` first, and a slot whose length and Adler-32 match the file makes the upload a
success (``TransferResult.recovered_from`` names what was overcome).

Every failure is a ``TransferError`` whose ``reason`` (a ``TransferFailure``) says which step
failed; any other exception (a bug, or a Bluetooth stack failing in a way of its own) propagates
unchanged. A slot the failed or cancelled upload filled is deleted (``74``) while the link is up,
so a retry is not refused as "already exists", unless ``73`` shows it holds exactly the file; a
verified slot whose activation failed is kept. Cancellation propagates as
``asyncio.CancelledError`` once that cleanup (bounded by ``CLEANUP_TIMEOUT``) is done; after a
lost link nothing can be deleted and the toy keeps the partial slot. Time is the event loop's, so
the whole procedure runs unchanged on a virtual-time loop.

The per-packet path allocates as little as it can (no closure, future or timer of its own per
packet): the stall watchdog is one timer re-armed lazily, not one per write.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import AsyncIterable, Callable
from typing import Final

from . import commands
from .client import FurbyClient
from .errors import FurbyConnectionError, FurbyTimeoutError
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
from .transfer_slots import (
    CLEANUP_TIMEOUT,
    SLOT_NAME_LENGTH,
    TransferError,
    TransferFailure,
    TransferResult,
    acks_off,
    activate_slot,
    discard_new_slots,
    find_verified_slot,
)

__all__ = [
    "CLEANUP_TIMEOUT",
    "ProgressCallback",
    "TransferError",
    "TransferFailure",
    "TransferProgress",
    "TransferResult",
    "TransferSettings",
    "UploadPhase",
    "upload_dlc",
]


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

    ``filename`` is the 12-character announce name (``commands.dlc_announce_name``). Raises
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
        self._flow = FlowControl(settings, self._wake, self._stall)
        self._statuses: list[int] = []
        self._link_lost: asyncio.Future[Notification] | None = None
        self._loop = asyncio.get_running_loop()
        self._deadline: asyncio.Timeout | None = None
        self._watchdog: asyncio.TimerHandle | None = None
        self._stalled = False

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
        recovered: TransferFailure | None = None
        try:
            try:
                before = await client.get_slots()
                try:
                    await self._send(chunks, announce, progress)
                except TransferError as err:
                    if err.reason not in _CHECK_THE_SLOT or not client.is_running:
                        raise
                    slot = await self._recover(before, err)
                    recovered = err.reason
                progress.report(self._size, UploadPhase.VERIFYING)
                if slot is None:
                    slot = await self._verify(before)
                progress.slot = slot
                if activate:
                    progress.report(self._size, UploadPhase.ACTIVATING)
                    await activate_slot(client, slot)
            except FurbyTimeoutError as err:
                raise TransferError(TransferFailure.NO_REPLY, str(err)) from err
            except FurbyConnectionError as err:
                raise TransferError(TransferFailure.LINK_LOST, str(err)) from err
        except (Exception, asyncio.CancelledError):
            # A cancelled upload is cleaned up too (the link is still up when a user cancels
            # or the entry unloads), and so is one ended by an error nobody planned for (a
            # bug, or a Bluetooth stack raising its own exception), which then propagates as
            # it is; the cleanup is bounded by CLEANUP_TIMEOUT.
            if before is not None and slot is None:
                await discard_new_slots(client, before, self._size, self._adler32)
            raise
        progress.report(self._size, UploadPhase.DONE)
        flow = self._flow
        return TransferResult(
            slot=slot,
            size=self._size,
            adler32=self._adler32,
            activated=activate,
            seconds=progress.elapsed,
            pauses=flow.pauses,
            overloads=flow.overloads,
            probes=flow.probes,
            acks=flow.acks,
            paced_without_acks=flow.went_blind > 0,
            recovered_from=recovered,
        )

    async def _verify(self, before: SlotsInfo) -> int:
        """Find and check the slot holding the file (``transfer_slots.find_verified_slot``)."""
        return await find_verified_slot(
            self._client, before, size=self._size, adler32=self._adler32, slot_name=self._slot_name
        )

    async def _recover(self, before: SlotsInfo, error: TransferError) -> int:
        """After ``24 06`` following ``24 05``, or no result: keep a slot that holds the file.

        Checks the slot with ``72``/``73`` (§4.4); raises ``error`` again when no slot holds the
        file's length and Adler-32 (the caller then deletes what does not match).
        """
        try:
            return await self._verify(before)
        except TransferError as mismatch:
            if mismatch.reason in (TransferFailure.VERIFY_MISMATCH, TransferFailure.NO_SLOT):
                raise error from None
            raise

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
                    await acks_off(client)
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
        """Raise if the link is gone or the toy ended the transfer (any ``24 MM`` but ``05``)."""
        if self._link_lost is not None and self._link_lost.done():
            self._link_lost.result()  # raises FurbyConnectionError
        for code in self._statuses:
            failure = _ENDING_STATUSES.get(code)
            if failure is not None:
                raise TransferError(failure[0], failure[1])

    async def _stream(self, chunks: AsyncIterable[bytes], progress: ProgressMeter) -> None:
        """Write the file in 20-byte packets, paced and flow-controlled (§5.2 step 5).

        The whole stream runs under one deadline that only a stall moves: when the toy has taken
        no data for ``pause_timeout`` (a pause on its acks that lasts that long, or a write the
        radio holds back), the deadline is pulled to now and the upload ends as stalled.
        """
        self._flow.progress_at = self._loop.time()
        try:
            async with asyncio.timeout(None) as deadline:
                self._deadline = deadline
                self._arm_watchdog(self._settings.pause_timeout)
                await self._stream_packets(chunks, progress)
        except TimeoutError:
            if not self._stalled:
                raise
            raise TransferError(
                TransferFailure.STALLED,
                f"the toy took no data for {self._settings.pause_timeout:g} s "
                f"({self._flow.describe()})",
            ) from None
        finally:
            self._deadline = None
            self._flow.cancel()
            if self._watchdog is not None:
                self._watchdog.cancel()
                self._watchdog = None

    def _arm_watchdog(self, delay: float) -> None:
        self._watchdog = self._loop.call_later(delay, self._on_watchdog)

    def _on_watchdog(self) -> None:
        """Re-arm for the rest of the window, or end the stream if the toy took nothing in it.

        This catches a write the radio holds back for good; a pause on the acks has its own timer
        in the flow control, which calls ``_stall`` directly.
        """
        self._watchdog = None
        idle = self._loop.time() - self._flow.progress_at
        limit = self._settings.pause_timeout
        if idle < limit:
            self._arm_watchdog(limit - idle)
        else:
            self._stall()

    def _stall(self) -> None:
        """End the stream now as stalled (the toy took no data for ``pause_timeout``)."""
        if self._deadline is not None and not self._stalled:
            self._stalled = True
            self._deadline.reschedule(self._loop.time())

    async def _stream_packets(self, chunks: AsyncIterable[bytes], progress: ProgressMeter) -> None:
        """Run the packet loop (kept lean: it runs once per 20 bytes)."""
        size = self._size
        read = sent = 0
        adler = zlib.adler32(b"")
        pending = b""
        write = self._client.write
        flow = self._flow
        statuses = self._statuses
        check = self._check
        time = self._loop.time
        spacing = self._settings.min_packet_interval
        async for chunk in chunks:
            read += len(chunk)
            if read > size:
                raise TransferError(
                    TransferFailure.FILE_CHANGED, f"the file is now longer than {size} bytes"
                )
            adler = zlib.adler32(chunk, adler)
            data = pending + chunk if pending else chunk
            # Always hold the last packet back (a full one too): it goes out only once every byte
            # read matches the validated size and Adler-32, so the toy never completes a
            # transfer of other bytes than those validated.
            whole = len(data) - (len(data) % MAX_WRITE_SIZE or MAX_WRITE_SIZE)
            for offset in range(0, whole, MAX_WRITE_SIZE):
                wait = flow.next_send_at - time()
                if wait > 0:
                    await asyncio.sleep(wait)
                probe = False
                if not flow.may_send:
                    probe = await flow.wait_for_room(check)
                elif statuses:
                    check()
                flow.next_send_at = time() + spacing
                await write(FILE_WRITE, data[offset : offset + MAX_WRITE_SIZE])
                flow.on_sent(probe=probe)
                sent += MAX_WRITE_SIZE
                progress.maybe_report(sent)
            pending = data[whole:]
        if read != size or adler != self._adler32:
            raise TransferError(
                TransferFailure.FILE_CHANGED,
                f"the file changed since it was validated ({read} bytes, Adler-32 {adler:08x}; "
                f"expected {size}, {self._adler32:08x})",
            )
        if pending:
            await self._write_last(bytes(pending))
        progress.report(size)

    async def _write_last(self, packet: bytes) -> None:
        """Write the last, shorter packet under the same rules as the others."""
        flow = self._flow
        wait = flow.next_send_at - self._loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        probe = False
        if not flow.may_send:
            probe = await flow.wait_for_room(self._check)
        elif self._statuses:
            self._check()
        await self._client.write(FILE_WRITE, packet)
        flow.on_sent(probe=probe)

    async def _await_result(self) -> None:
        """Wait for ``24 05``, then briefly for a ``24 06`` after it (§5.2 step 6, §4.3)."""
        settings = self._settings
        if not await self._wait(lambda: bool(self._statuses), settings.result_timeout):
            raise TransferError(
                TransferFailure.NO_RESULT,
                f"no result from the toy within {settings.result_timeout:g} s of the last packet",
            )
        if self._statuses[0] != FileTransferCode.RECEIVED_OK:
            self._check()  # 24 01, 03, 04 or 06
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


_CHECK_THE_SLOT: Final = frozenset({TransferFailure.ERROR_AFTER_OK, TransferFailure.NO_RESULT})
"""Failures after which ``73`` decides: a slot holding the file makes the upload a success."""

_ENDING_STATUSES: Final[dict[int, tuple[TransferFailure, str]]] = {
    FileTransferCode.ALREADY_EXISTS: (
        TransferFailure.ENDED_BY_TOY,
        "the toy ended the transfer (24 01, EndCurrentTransfer)",
    ),
    FileTransferCode.TIMEOUT: (TransferFailure.TOY_TIMEOUT, "the toy gave up waiting (24 03)"),
    FileTransferCode.READY_TO_APPEND: (
        TransferFailure.APPEND_REQUESTED,
        "the toy asked to append to a file (24 04), which no known client does",
    ),
    FileTransferCode.RECEIVED_ERROR: (
        TransferFailure.RECEIVED_ERROR,
        "the toy reported a receive error (24 06)",
    ),
}
"""``24 MM`` statuses that end an upload during or after the stream (§4.3)."""
