"""``protocol/transfer.py`` against the virtual Furby over the real bleak API, on virtual time.

Every scenario runs on ``virtual_furby.virtual_time``: the toy uses a ``LoopClock`` and the
default radio and intake (docs/simulator.md), so minutes of link time take milliseconds and the
host's timeouts and the toy's timers share one clock.
"""

from __future__ import annotations

import asyncio
import itertools
import zlib
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from custom_components.furby_connect.protocol import gatt
from custom_components.furby_connect.protocol.client import FurbyClient
from custom_components.furby_connect.protocol.commands import dlc_announce_name, dlc_filename
from custom_components.furby_connect.protocol.notifications import (
    DlcReport,
    FileTransferStatus,
    Notification,
    PacketAck,
)
from custom_components.furby_connect.protocol.transfer import (
    CLEANUP_TIMEOUT,
    TransferError,
    TransferFailure,
    TransferProgress,
    TransferResult,
    TransferSettings,
    UploadPhase,
    upload_dlc,
)
from tests.protocol.dlc_factory import build_dlc
from virtual_furby import AckModel, IntakeModel, LoopClock, SlotState, ToyTiming, VirtualFurby
from virtual_furby.bleak_backend import virtual_bleak_client
from virtual_furby.profiles import INTAKES
from virtual_furby.virtual_time import run_in_virtual_time

DLC_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "furby" / "dlc"
NAME = dlc_filename("test.dlc")
PHASE_ORDER = [
    UploadPhase.ANNOUNCING,
    UploadPhase.TRANSFERRING,
    UploadPhase.VERIFYING,
    UploadPhase.ACTIVATING,
    UploadPhase.DONE,
]


def run[T](scenario: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run an async scenario on a fresh virtual-time loop."""
    return run_in_virtual_time(scenario())


def make_furby(**options: Any) -> VirtualFurby:
    """A toy on the loop's (virtual) clock with the default radio and intake."""
    return VirtualFurby(clock=LoopClock(), **options)


@asynccontextmanager
async def connected(furby: VirtualFurby) -> AsyncIterator[FurbyClient]:
    """Yield a started ``FurbyClient`` over a real ``BleakClient`` with the virtual backend."""
    clients: list[FurbyClient] = []
    bleak_client = virtual_bleak_client(
        furby, disconnected_callback=lambda _client: clients[0].handle_disconnect()
    )
    await bleak_client.connect()
    client = FurbyClient(bleak_client)
    clients.append(client)
    await client.start()
    try:
        yield client
    finally:
        await client.stop()
        if bleak_client.is_connected:
            await bleak_client.disconnect()


async def chunks_of(data: bytes, size: int = 4096) -> AsyncIterator[bytes]:
    """Hand ``data`` over in pieces, as aiofiles would."""
    for start in range(0, len(data), size):
        await asyncio.sleep(0)
        yield data[start : start + size]


async def upload(
    client: FurbyClient,
    data: bytes,
    reports: list[TransferProgress] | None = None,
    **options: Any,
) -> TransferResult:
    """``upload_dlc`` with the file's own size and checksum."""
    return await upload_dlc(
        client,
        chunks_of(data),
        size=len(data),
        adler32=zlib.adler32(data),
        filename=options.pop("filename", NAME),
        on_progress=options.pop("on_progress", reports.append if reports is not None else None),
        **options,
    )


def failure_of(furby: VirtualFurby, data: bytes, **options: Any) -> TransferError:
    """Run an upload that must fail and return its error."""

    async def scenario() -> TransferError:
        async with connected(furby) as client:
            with pytest.raises(TransferError) as caught:
                await upload(client, data, **options)
            await asyncio.sleep(0.1)  # virtual time: the last write reaches the toy
            assert not furby.packet_acks  # turned off again (or reset by a dropped link)
            return caught.value

    return run(scenario)


def file_writes(furby: VirtualFurby) -> bytes:
    """Every FileWrite byte the toy received, in order."""
    return b"".join(write.data for write in furby.writes if write.uuid == gatt.FILE_WRITE)


def keepalives(furby: VirtualFurby) -> list[float]:
    """When the toy received keep-alives (``20 06``)."""
    return [
        write.time
        for write in furby.writes
        if write.uuid == gatt.GENERALPLUS_WRITE and write.data == b"\x20\x06"
    ]


def test_happy_path_stores_activates_and_reports_progress() -> None:
    """A file streams in order, lands in slot 13, is verified, activated and reported."""
    furby = make_furby()
    data = build_dlc(60_007, seed=1)  # not a multiple of 20: the last write is shorter
    reports: list[TransferProgress] = []
    sent_at: list[float] = []

    async def scenario() -> TransferResult:
        async with connected(furby) as client:
            loop = asyncio.get_running_loop()

            def trace(direction: str, uuid: str, _data: bytes) -> None:
                if direction == "tx" and uuid == gatt.FILE_WRITE:
                    sent_at.append(loop.time())

            client.add_trace_listener(trace)
            return await upload(client, data, reports)

    result = run(scenario)

    assert result.slot == 13  # the toy picks the highest empty slot (FurBLE's example)
    assert (result.size, result.adler32, result.activated) == (len(data), zlib.adler32(data), True)
    slot = furby.slots[13]
    assert (slot.state, slot.length, slot.adler32) == (SlotState.ACTIVE, len(data), result.adler32)
    assert slot.name == NAME[:8].encode()
    assert file_writes(furby) == data
    assert all(len(w.data) <= 20 for w in furby.writes if w.uuid == gatt.FILE_WRITE)
    assert furby.transfer.overloads == 0
    # 5 ms between packets is the toy's own pace: its acks never ask for a pause.
    assert min(b - a for a, b in itertools.pairwise(sent_at)) >= 0.005 - 1e-9
    assert (result.pauses, result.probes, result.paced_without_acks) == (0, 0, False)
    assert result.acks > 0
    assert result.recovered_from is None
    assert not furby.packet_acks
    # the keep-alive stayed paused although the transfer took several keep-alive intervals
    file_times = [write.time for write in furby.writes if write.uuid == gatt.FILE_WRITE]
    assert file_times[-1] - file_times[0] > 3 * 3.0
    assert not [t for t in keepalives(furby) if file_times[0] <= t <= file_times[-1]]

    phases = [report.phase for report in reports]
    assert [PHASE_ORDER.index(p) for p in phases] == sorted(PHASE_ORDER.index(p) for p in phases)
    assert set(phases) == set(PHASE_ORDER)
    sent = [report.bytes_sent for report in reports]
    assert sent == sorted(sent)
    assert reports[-1].phase is UploadPhase.DONE
    assert (reports[-1].bytes_sent, reports[-1].percent, reports[-1].slot) == (len(data), 100, 13)
    assert len(reports) < len(data) // 20 // 50  # throttled, not one report per packet
    moving = [r for r in reports if r.phase is UploadPhase.TRANSFERRING and r.rate]
    assert moving
    assert all(r.rate is not None and 0 < r.rate <= 20 * 267 for r in moving)
    assert all(r.eta is not None and r.eta >= 0 for r in moving)


def test_activation_replaces_the_active_slot() -> None:
    """Activating the new slot deactivates the slot that was active."""
    furby = make_furby()
    furby.slots.install(4, "OLDDLC.DLC", b"old", active=True)
    data = build_dlc(5_000)

    async def scenario() -> TransferResult:
        async with connected(furby) as client:
            return await upload(client, data)

    result = run(scenario)
    assert result.slot == 13
    assert furby.slots.active == {13}
    assert furby.slots[4].state is SlotState.DOWNLOADED


def test_without_activation_the_old_dlc_stays_active() -> None:
    """activate=False stores and verifies the file but keeps the old DLC active."""
    furby = make_furby()
    furby.slots.install(4, "OLDDLC.DLC", b"old", active=True)
    data = build_dlc(5_000)

    async def scenario() -> TransferResult:
        async with connected(furby) as client:
            return await upload(client, data, activate=False)

    result = run(scenario)
    assert (result.slot, result.activated) == (13, False)
    assert furby.slots.active == {4}
    assert furby.slots[13].state is SlotState.DOWNLOADED


def test_already_existing_name_is_refused() -> None:
    """24 01 to the announce fails the upload as already_exists before any file byte."""
    furby = make_furby()
    furby.slots.install(2, NAME, b"same name")
    error = failure_of(furby, build_dlc(2_000))
    assert error.reason is TransferFailure.ALREADY_EXISTS
    assert not file_writes(furby)  # nothing streamed after 24 01


def test_link_drop_mid_transfer() -> None:
    """A drop mid-stream fails as link_lost; the toy keeps a stuck slot."""
    furby = make_furby()
    furby.faults.drop_link_after_bytes(3_000)
    error = failure_of(furby, build_dlc(20_000))
    assert error.reason is TransferFailure.LINK_LOST
    assert furby.slots[13].state is SlotState.INCOMPLETE  # the toy keeps a stuck slot


def test_a_stack_failure_propagates_unchanged_and_the_partial_slot_is_deleted() -> None:
    """The Bluetooth stack raises an error of its own on a FileWrite packet mid-stream: it is
    not a ``TransferError`` and leaves ``upload_dlc`` as it is, once the slot the upload filled
    has been deleted (the GeneralPlus link still works) and the acks turned off.
    """
    furby = make_furby()
    data = build_dlc(10_000)

    def fail_midway(progress: TransferProgress) -> None:
        if progress.bytes_sent >= 2_000:
            furby.faults.stack_failure(gatt.FILE_WRITE, RuntimeError, ops=["write"])

    async def scenario() -> None:
        async with connected(furby) as client:
            with pytest.raises(RuntimeError, match="injected failure of the Bluetooth stack"):
                await upload(client, data, on_progress=fail_midway)
            await asyncio.sleep(0.1)  # virtual time: the last write reaches the toy

    run(scenario)
    assert 2_000 <= furby.transfer.received < len(data)
    assert furby.slots.filled == frozenset()  # the partial slot was deleted (74)
    assert not furby.packet_acks


def test_receive_error_after_lost_packets() -> None:
    """A toy with room for 2 packets loses some of a 15 ms event's 3 (0a) and says 24 06."""
    furby = make_furby(intake=IntakeModel(buffer_packets=2))
    data = build_dlc(10_000)
    error = failure_of(furby, data)
    assert error.reason is TransferFailure.RECEIVED_ERROR
    assert furby.transfer.overloads > 0
    assert furby.slots.filled == frozenset()  # the partial slot was deleted (74)


def test_error_after_ok_with_an_intact_slot_is_a_success() -> None:
    """24 06 after 24 05 is checked with 73: a slot holding the file is kept and activated."""
    furby = make_furby()
    furby.faults.send_error_after_ok()
    data = build_dlc(3_000)

    async def scenario() -> TransferResult:
        async with connected(furby) as client:
            return await upload(client, data)

    result = run(scenario)
    assert (result.slot, result.recovered_from) == (13, TransferFailure.ERROR_AFTER_OK)
    assert furby.slots.active == {13}
    assert (furby.slots[13].length, furby.slots[13].adler32) == (len(data), zlib.adler32(data))


def test_error_after_ok_with_a_bad_slot_discards_it_and_a_retry_works() -> None:
    """24 06 after 24 05 and a 73 that does not match: the slot is deleted, the retry works."""
    furby = make_furby()
    furby.faults.send_error_after_ok()

    def corrupt(notification: Notification) -> None:
        if isinstance(notification, FileTransferStatus) and notification.code == 5:
            furby.slots[13].adler32 ^= 1  # what the toy stored is not the file

    error = _failure_with_tamper(furby, _tamper_on(FileTransferStatus, corrupt))
    assert error.reason is TransferFailure.ERROR_AFTER_OK
    assert furby.slots.filled == frozenset()  # deleted, so the name is free again
    furby.faults.clear()

    async def retry() -> TransferResult:
        async with connected(furby) as client:
            return await upload(client, build_dlc(3_000))

    assert run(retry).slot == 13
    assert furby.slots.active == {13}


def test_toy_timeout_while_paused() -> None:
    """The toy's 24 03 (it waited too long for a packet) ends a paused upload at once."""
    furby = make_furby(timing=ToyTiming(file_timeout=0.05))
    furby.faults.stop_acks()
    settings = TransferSettings(probe_interval=0.1, max_probe_interval=0.1, no_ack_timeout=5.0)
    error = failure_of(furby, build_dlc(5_000), settings=settings)
    assert error.reason is TransferFailure.TOY_TIMEOUT
    assert furby.slots.filled == frozenset()


def test_acks_that_stop_midway_leave_the_fixed_pace() -> None:
    """Acks that stop after 20 do not stall the upload: the 5 ms spacing alone paces the rest."""
    furby = make_furby()
    data = build_dlc(20_000)

    async def scenario() -> TransferResult:
        async with connected(furby) as client:
            furby.faults.stop_acks(after=20)
            return await upload(client, data)

    result = run(scenario)
    assert result.paced_without_acks
    assert result.acks == 20
    assert furby.transfer.lost_packets == 0
    assert file_writes(furby) == data


@pytest.mark.parametrize(
    ("acks", "intake", "cleaned_up"),
    [
        # The acks report a growing backlog: paused, probing ever less, then stalled.
        (AckModel.BACKLOG_AND_DRAIN, IntakeModel(), True),
        (AckModel.BACKLOG, IntakeModel(buffer_packets=12), True),
        # No backlog in the acks (c) or none at all (d): a write the radio holds back. The held
        # packets block the radio, so the clean-up cannot reach the toy either (and gives up).
        (AckModel.SINCE_LAST_REPORT, INTAKES["flash_12"], False),
        (AckModel.NONE, INTAKES["flash_32"], False),
    ],
    ids=["a-drop", "b-drop", "c-hold", "d-hold"],
)
def test_a_toy_that_takes_no_more_data_fails_as_stalled(
    acks: AckModel, intake: IntakeModel, cleaned_up: bool
) -> None:
    """A toy that stops processing for longer than the pause timeout ends the upload: stalled."""
    furby = make_furby(acks=acks, intake=intake)
    data = build_dlc(20_000)

    async def scenario() -> tuple[TransferError, float, float]:
        async with connected(furby) as client:
            loop = asyncio.get_running_loop()
            stalled_at: list[float] = []
            last_packet = [0.0]

            def stall(progress: TransferProgress) -> None:
                if progress.bytes_sent >= 2_000 and not stalled_at:
                    furby.faults.stall_intake()
                    stalled_at.append(loop.time())

            def trace(direction: str, uuid: str, _data: bytes) -> None:
                if direction == "tx" and uuid == gatt.FILE_WRITE:
                    last_packet[0] = loop.time()

            client.add_trace_listener(trace)
            with pytest.raises(TransferError) as caught:
                await upload_dlc(
                    client,
                    chunks_of(data),
                    size=len(data),
                    adler32=zlib.adler32(data),
                    filename=NAME,
                    on_progress=stall,
                    settings=TransferSettings(progress_interval=0),
                )
            return caught.value, last_packet[0] - stalled_at[0], loop.time() - stalled_at[0]

    error, last_packet, seconds = run(scenario)
    assert error.reason is TransferFailure.STALLED
    assert "took no data for 10 s" in error.detail
    pause = TransferSettings().pause_timeout
    assert last_packet < pause  # nothing more was sent once the stall was declared
    assert pause <= seconds < pause + 2 * CLEANUP_TIMEOUT + 0.5
    assert len(file_writes(furby)) < len(data)
    assert (furby.slots.filled == frozenset()) is cleaned_up  # the partial slot was deleted


def test_toy_too_slow_for_the_announce_timeout() -> None:
    """The toy answers after a connection interval at the earliest (§5.3): 1 ms is too short."""
    settings = TransferSettings(announce_timeout=0.001)
    error = failure_of(make_furby(), build_dlc(3_000), settings=settings)
    assert error.reason is TransferFailure.NOT_READY


def test_late_result_is_checked_with_the_slot_query() -> None:
    """No 24 05 within the result timeout, but 73 shows the file intact: a success."""
    furby = make_furby()
    data = build_dlc(3_000)

    async def scenario() -> TransferResult:
        async with connected(furby) as client:
            return await upload(client, data, settings=TransferSettings(result_timeout=0.001))

    result = run(scenario)
    assert (result.slot, result.recovered_from) == (13, TransferFailure.NO_RESULT)
    assert furby.slots.active == {13}


def test_no_result_and_no_file_in_the_slot_fails_and_discards_it() -> None:
    """No 24 05 ever (the toy hangs after the last packet) and 73 shows no file: no_result."""
    furby = make_furby()
    data = build_dlc(3_000)

    def hang(progress: TransferProgress) -> None:
        if progress.bytes_sent == len(data) and progress.phase is UploadPhase.TRANSFERRING:
            furby.faults.stall_intake()

    async def scenario() -> TransferError:
        async with connected(furby) as client:
            with pytest.raises(TransferError) as caught:
                await upload_dlc(
                    client,
                    chunks_of(data),
                    size=len(data),
                    adler32=zlib.adler32(data),
                    filename=NAME,
                    on_progress=hang,
                    settings=TransferSettings(result_timeout=2.0),
                )
            return caught.value

    error = run(scenario)
    assert error.reason is TransferFailure.NO_RESULT
    assert furby.slots.filled == frozenset()  # the incomplete slot was deleted


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (0x01, TransferFailure.ENDED_BY_TOY),
        (0x04, TransferFailure.APPEND_REQUESTED),
        (0x03, TransferFailure.TOY_TIMEOUT),
        (0x06, TransferFailure.RECEIVED_ERROR),
    ],
)
def test_a_status_in_the_middle_of_the_stream_ends_it_at_once(
    status: int, reason: TransferFailure
) -> None:
    """24 01/03/04/06 while streaming stop the upload there, with its own reason."""
    furby = make_furby()
    data = build_dlc(20_000)

    async def scenario() -> TransferError:
        async with connected(furby) as client:

            def interrupt(notification: Notification) -> None:
                if isinstance(notification, PacketAck) and furby.transfer.received >= 2_000:
                    furby.notify_gp(bytes([0x24, status]))
                    remove()

            remove = client.add_listener(interrupt)
            with pytest.raises(TransferError) as caught:
                await upload(client, data)
            return caught.value

    error = run(scenario)
    assert error.reason is reason
    assert f"24 {status:02x}" in error.detail
    assert 2_000 <= len(file_writes(furby)) < 2_400  # no more than an event or two after it


def test_no_reply_to_a_slot_query() -> None:
    """A slot query that gets no reply fails the upload as no_reply."""
    furby = make_furby()

    async def scenario() -> TransferError:
        bleak_client = virtual_bleak_client(furby)
        await bleak_client.connect()
        client = FurbyClient(bleak_client, request_timeout=0.001)
        await client.start()
        try:
            with pytest.raises(TransferError) as caught:
                await upload(client, build_dlc(1_100))
            return caught.value
        finally:
            await client.stop()
            await bleak_client.disconnect()

    assert run(scenario).reason is TransferFailure.NO_REPLY


def _tamper_on(
    kind: type[Notification], tamper: Callable[[Notification], None]
) -> Callable[[FurbyClient], None]:
    """Install a listener that changes the toy when the host sees a ``kind`` notification."""

    def install(client: FurbyClient) -> None:
        def listener(notification: Notification) -> None:
            if isinstance(notification, kind):
                tamper(notification)

        client.add_listener(listener)

    return install


def _failure_with_tamper(
    furby: VirtualFurby, install: Callable[[FurbyClient], None]
) -> TransferError:
    data = build_dlc(3_000)

    async def scenario() -> TransferError:
        async with connected(furby) as client:
            install(client)
            with pytest.raises(TransferError) as caught:
                await upload(client, data)
            return caught.value

    return run(scenario)


def test_verification_mismatch() -> None:
    """A 73 reply whose Adler-32 differs fails as verify_mismatch and the slot is deleted."""
    furby = make_furby()

    def corrupt(notification: Notification) -> None:
        if isinstance(notification, FileTransferStatus) and notification.code == 5:
            furby.slots[13].adler32 ^= 1  # the toy's flash holds something else

    error = _failure_with_tamper(furby, _tamper_on(FileTransferStatus, corrupt))
    assert error.reason is TransferFailure.VERIFY_MISMATCH
    assert "slot 13" in error.detail
    assert furby.slots.filled == frozenset()  # the unverified slot was deleted


def test_no_slot_after_ok() -> None:
    """24 05 but no slot holds the file (bluefluff #43) fails as no_slot."""
    furby = make_furby()

    def lose(notification: Notification) -> None:
        if isinstance(notification, FileTransferStatus) and notification.code == 5:
            furby.slots[13].clear()  # bluefluff #43: 24 05 but the slot table is empty

    error = _failure_with_tamper(furby, _tamper_on(FileTransferStatus, lose))
    assert error.reason is TransferFailure.NO_SLOT


def test_activation_failure() -> None:
    """A slot that does not turn active fails as activation_failed; the verified slot is kept."""
    furby = make_furby()

    def forget(_notification: Notification) -> None:
        furby.slots.loaded = None  # the toy does not keep the loaded slot: 61 does nothing

    error = _failure_with_tamper(furby, _tamper_on(DlcReport, forget))
    assert error.reason is TransferFailure.ACTIVATION_FAILED
    assert furby.slots[13].state is SlotState.DOWNLOADED  # verified: kept for a later 60/61


def test_reused_slot_found_by_name() -> None:
    """A toy that rewrites a slot already holding the name is found through 73."""
    # The toy rewrites a slot that already held the name (no new bit in 72): found via 73.
    furby = make_furby(refuse_duplicate_names=False)
    furby.slots.install(13, NAME, b"previous version")
    data = build_dlc(3_000)

    async def scenario() -> TransferResult:
        async with connected(furby) as client:
            return await upload(client, data, activate=False)

    result = run(scenario)
    assert result.slot == 13
    assert furby.slots[13].length == len(data)


def test_file_that_changed_since_validation() -> None:
    """Other bytes or more bytes than validated fail as file_changed."""
    furby = make_furby()
    data = build_dlc(4_000)

    async def scenario(chunks: bytes, size: int) -> TransferError:
        async with connected(furby) as client:
            with pytest.raises(TransferError) as caught:
                await upload_dlc(
                    client,
                    chunks_of(chunks),
                    size=size,
                    adler32=zlib.adler32(data),
                    filename=NAME,
                )
            return caught.value

    other = bytearray(data)
    other[-1] ^= 0xFF
    changed = run_in_virtual_time(scenario(bytes(other), len(data)))
    assert changed.reason is TransferFailure.FILE_CHANGED
    furby.slots[13].clear()
    longer = run_in_virtual_time(scenario(data + b"extra", len(data)))
    assert longer.reason is TransferFailure.FILE_CHANGED
    assert "longer" in longer.detail


def test_cancel_turns_acks_off_and_resumes_keepalive() -> None:
    """Cancelling turns the acks off, deletes the partial slot and lets the keep-alive resume."""
    furby = make_furby()
    data = build_dlc(40_000)

    async def scenario() -> None:
        async with connected(furby) as client:
            halfway = asyncio.Event()

            def on_progress(progress: TransferProgress) -> None:
                if progress.bytes_sent >= 4_000:
                    halfway.set()

            task = asyncio.create_task(
                upload_dlc(
                    client,
                    chunks_of(data),
                    size=len(data),
                    adler32=zlib.adler32(data),
                    filename=NAME,
                    on_progress=on_progress,
                )
            )
            await halfway.wait()
            acks_while_sending = furby.packet_acks
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            cancelled_at = asyncio.get_running_loop().time()
            await asyncio.sleep(4.0)  # virtual time: the idle keep-alive is due again
            assert (acks_while_sending, furby.packet_acks) == (True, False)
            assert [t for t in keepalives(furby) if t > cancelled_at]

    run(scenario)
    assert furby.slots[13].state is SlotState.EMPTY


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"size": 0}, "size"),
        ({"size": 2**24}, "size"),
        ({"filename": "SHORT.DLC"}, "12 characters"),
        ({"filename": "BAD NAME.DLC"}, "printable"),
    ],
)
def test_bad_arguments_send_nothing(options: dict[str, Any], match: str) -> None:
    """Bad sizes or announce names raise ValueError before anything is written."""
    furby = make_furby()

    async def scenario() -> None:
        async with connected(furby) as client:
            before = len(furby.writes)
            arguments: dict[str, Any] = {"size": 100, "adler32": 1, "filename": NAME, **options}
            with pytest.raises(ValueError, match=match):
                await upload_dlc(client, chunks_of(b""), **arguments)
            assert len(furby.writes) == before

    run(scenario)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_buffered", 0),
        ("announce_timeout", 0),
        ("pause_timeout", -1),
        ("rate_window", 0),
        ("error_grace", -0.1),
        ("max_probe_interval", 0.001),
        ("min_packet_interval", -0.005),
        ("no_ack_timeout", 0),
    ],
)
def test_bad_settings_are_refused(field: str, value: float) -> None:
    """Settings that could never work raise a ValueError naming the field."""
    arguments: dict[str, Any] = {field: value}
    with pytest.raises(ValueError, match=field):
        TransferSettings(**arguments)


def test_not_started_client_is_link_lost() -> None:
    """An upload on a client that was never started fails as link_lost."""
    furby = make_furby()

    async def scenario() -> TransferError:
        bleak_client = virtual_bleak_client(furby)
        await bleak_client.connect()
        try:
            with pytest.raises(TransferError) as caught:
                await upload(FurbyClient(bleak_client), build_dlc(1_100))
            return caught.value
        finally:
            await bleak_client.disconnect()

    assert run(scenario).reason is TransferFailure.LINK_LOST


@pytest.mark.parametrize(
    ("file", "adler32"),
    [("chilli.dlc", 0x2754EA15), ("hacked.dlc", 0xF47A3F06)],
)
def test_real_dlc_files(file: str, adler32: int) -> None:
    """Real DLC files upload byte-exact, under the name ``dlc_announce_name`` gives them."""
    path = DLC_DIR / file
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    data = path.read_bytes()
    furby = make_furby()

    async def scenario() -> TransferResult:
        async with connected(furby) as client:
            return await upload(client, data, filename=dlc_announce_name(file, adler32))

    result = run(scenario)
    assert (result.adler32, furby.slots[result.slot].adler32) == (adler32, adler32)
    assert furby.slots[result.slot].name == dlc_announce_name(file, adler32)[:8].encode()


def test_shortened_name_does_not_collide_with_hasbros_original() -> None:
    """A toy holding Hasbro's TU003410 accepts ``tu003410_ctxlogo.dlc`` under its Adler-32 name.

    The 8-letter cut would have announced ``TU003410.DLC``, which this toy refuses with 24 01.
    """
    furby = make_furby()
    furby.slots.install(0, "TU003410.DLC", b"Hasbro's original", active=True)
    data = build_dlc(3_000, seed=7)
    name = dlc_announce_name("tu003410_ctxlogo.dlc", zlib.adler32(data))
    assert name == f"{zlib.adler32(data):08X}.DLC"

    async def scenario() -> TransferResult:
        async with connected(furby) as client:
            return await upload(client, data, filename=name)

    result = run(scenario)
    assert result.slot == 13
    assert furby.slots[13].name == name[:8].encode()
    assert furby.slots[0].state is SlotState.DOWNLOADED  # kept, deactivated for the new one

    async def cut_name() -> TransferError:
        async with connected(furby) as client:
            with pytest.raises(TransferError) as caught:
                await upload(client, data, filename="TU003410.DLC")
            return caught.value

    assert run(cut_name).reason is TransferFailure.ALREADY_EXISTS
