"""DLC upload on the toy's side: announce, FileWrite accumulation, every ``24 xx`` outcome, acks."""

from __future__ import annotations

import zlib

import pytest

from custom_components.furby_connect.protocol import gatt
from virtual_furby.clock import ManualClock, settle
from virtual_furby.file_transfer import parse_announce
from virtual_furby.intake import IntakeModel
from virtual_furby.profiles import min_upload_seconds
from virtual_furby.radio import RadioModel
from virtual_furby.slots import SlotState
from virtual_furby.toy import VirtualFurby
from virtual_furby.virtual_time import run_in_virtual_time

from .host import Host, UploadResult, announce, upload

DATA = bytes(range(256)) * 20 + b"tail"  # 5 124 bytes: 257 writes, the last one short


async def _send_file(host: Host, data: bytes) -> None:
    for offset in range(0, len(data), 20):
        await host.send(gatt.FILE_WRITE, data[offset : offset + 20])
    await settle()


def _statuses(host: Host) -> list[str]:
    return [p.hex() for p in host.gp if p[0] == 0x24]


async def test_upload_lands_in_the_highest_free_slot(host: Host, toy: VirtualFurby) -> None:
    """An upload lands in slot 13 with its name, length and Adler-32 (72 and 73 show it)."""
    result = await upload(host, DATA, "TU003410.DLC")
    assert result.status == 0x05
    slot = toy.slots[13]
    assert slot.state is SlotState.DOWNLOADED
    assert (slot.name, slot.length, slot.adler32) == (b"TU003410", len(DATA), zlib.adler32(DATA))
    assert [r.hex() for r in await host.gp_exchange("72")] == ["720000200000000000"]
    assert (await host.gp_exchange("730d"))[0][10:] == len(DATA).to_bytes(3, "big") + zlib.adler32(
        DATA
    ).to_bytes(4, "big")


async def test_acks_on_an_instant_link_report_nothing_buffered(host: Host) -> None:
    """On an instant radio and intake every ack reports 0 buffered."""
    result = await upload(host, DATA)
    assert result.acks
    assert set(result.acks) == {0}


async def test_no_acks_unless_enabled(host: Host, toy: VirtualFurby) -> None:
    """Without 09 01 00 the toy sends no acks."""
    await host.gp_exchange(announce(len(DATA)))
    await _send_file(host, DATA)
    assert [p for p in host.nordic if p[0] == 0x09] == []
    assert _statuses(host) == ["2402", "2405"]


def test_parse_announce_tolerates_malformed_input() -> None:
    """The announce parser reads the working layout and tolerates short ones."""
    assert parse_announce(announce(1_129_942)) == (1_129_942, b"TU003410.DLC")
    assert parse_announce(b"\x50\x00") == (0, b"")
    assert parse_announce(b"\x50\x00\x00\x00\x00\x02TU0012.DLC") == (0, b"TU0012.DLC")


async def test_malformed_announce_is_still_answered_ready(host: Host, toy: VirtualFurby) -> None:
    """A malformed announce still gets 24 02 (bluefluff #7); the upload then fails."""
    # bluefluff issue #7: size 0 and a 10-character name got 24 02.
    assert [r.hex() for r in await host.gp_exchange(b"\x50\x00\x00\x00\x00\x02TU0012.DLC")] == [
        "2402"
    ]
    await host.send(gatt.FILE_WRITE, b"x" * 20)
    await settle()
    assert _statuses(host) == ["2402", "2406"]
    assert toy.slots[13].state is SlotState.INCOMPLETE
    assert toy.slots[13].name == b"TU0012.D"


async def test_documented_byte_order_makes_the_upload_time_out(
    host: Host, toy: VirtualFurby, clock: ManualClock
) -> None:
    """The byte order of bluefluff's doc leaves the toy waiting until 24 03."""
    size = len(DATA).to_bytes(3, "big")
    doc_layout = b"\x50" + size + b"\x00\x02" + b"TU003410.DLC" + b"\x00\x00"
    await host.gp_exchange(doc_layout)
    await _send_file(host, DATA)
    await clock.advance(10)
    assert _statuses(host) == ["2402", "2403"]
    assert toy.slots[13].state is SlotState.INCOMPLETE


async def test_too_many_bytes_is_an_error(host: Host, toy: VirtualFurby) -> None:
    """More bytes than announced end in 24 06."""
    await host.gp_exchange(announce(30))
    await _send_file(host, bytes(40))
    assert _statuses(host) == ["2402", "2406"]
    assert toy.slots[13].state is SlotState.INCOMPLETE


async def test_duplicate_name_is_refused(host: Host, toy: VirtualFurby) -> None:
    """A name a finished slot holds is refused with 24 01."""
    toy.slots.install(0, "TU003410.DLC", b"old")
    assert [r.hex() for r in await host.gp_exchange(announce(10, "TU003410.DLC"))] == ["2401"]
    assert toy.slots.filled == {0}


async def test_duplicate_names_can_be_allowed(clock: ManualClock) -> None:
    """refuse_duplicate_names=False accepts a name a slot holds."""
    toy = VirtualFurby(
        clock=clock,
        radio=RadioModel.instant(),
        intake=IntakeModel.instant(),
        refuse_duplicate_names=False,
    )
    toy.slots.install(0, "TU003410.DLC", b"old")
    host = Host(toy)
    await host.connect()
    assert [r.hex() for r in await host.gp_exchange(announce(10, "TU003410.DLC"))] == ["2402"]
    toy.close()


async def test_full_store_is_refused(host: Host, toy: VirtualFurby) -> None:
    """With all 14 slots taken the announce gets 24 01."""
    for index in range(14):
        toy.slots.install(index, f"F{index:07d}.DLC", b"x")
    assert [r.hex() for r in await host.gp_exchange(announce(10, "NEW00001.DLC"))] == ["2401"]


async def test_timeout_after_ten_quiet_seconds(
    host: Host, toy: VirtualFurby, clock: ManualClock
) -> None:
    """Ten seconds without a packet end the upload in 24 03; each packet restarts the wait."""
    await host.gp_exchange(announce(len(DATA)))
    await _send_file(host, DATA[:100])
    await clock.advance(6)
    await _send_file(host, DATA[100:200])  # each packet restarts the timer
    await clock.advance(9.9)
    assert _statuses(host) == ["2402"]
    await clock.advance(0.1)
    assert _statuses(host) == ["2402", "2403"]
    assert toy.slots[13].state is SlotState.INCOMPLETE
    assert not toy.transfer.active
    assert clock.pending_timers == 0


async def test_stray_file_packets_are_ignored(host: Host, toy: VirtualFurby) -> None:
    """FileWrite packets without an announce are ignored."""
    await _send_file(host, DATA[:40])
    assert _statuses(host) == []
    assert toy.slots.filled == frozenset()


async def test_disconnect_leaves_the_slot_stuck_at_one(toy: VirtualFurby, host: Host) -> None:
    """A drop leaves the slot at state 1; the next upload takes another slot."""
    await host.gp_exchange(announce(len(DATA)))
    await _send_file(host, DATA[:100])
    await host.client.disconnect()
    assert toy.slots[13].state is SlotState.INCOMPLETE
    assert not toy.transfer.active
    again = Host(toy)
    await again.connect()
    assert (await upload(again, DATA)).status == 0x05
    assert toy.slots[12].state is SlotState.DOWNLOADED


async def test_new_announce_abandons_the_running_upload(host: Host, toy: VirtualFurby) -> None:
    """A new announce abandons the running upload (its slot stays at 1)."""
    await host.gp_exchange(announce(len(DATA), "FIRST001.DLC"))
    await _send_file(host, DATA[:100])
    result = await upload(host, DATA, "SECOND01.DLC")
    assert result.status == 0x05
    assert toy.slots[13].state is SlotState.INCOMPLETE
    assert toy.slots[12].name == b"SECOND01"


async def test_error_after_ok_fault(host: Host, toy: VirtualFurby) -> None:
    """send_error_after_ok makes 24 06 follow 24 05."""
    toy.faults.send_error_after_ok()
    await host.gp_exchange(announce(len(DATA)))
    await _send_file(host, DATA)
    assert _statuses(host) == ["2402", "2405", "2406"]


async def test_stop_acks_fault(host: Host, toy: VirtualFurby) -> None:
    """stop_acks(after=3) lets three acks out; resume_acks brings them back."""
    toy.faults.stop_acks(after=3)
    await host.nordic_exchange("090100")
    await host.gp_exchange(announce(len(DATA)))
    await _send_file(host, DATA)
    assert len([p for p in host.nordic if p[0] == 0x09]) == 3
    toy.faults.resume_acks()
    await host.gp_exchange(announce(len(DATA), "OTHER001.DLC"))
    await _send_file(host, DATA[:20])
    assert len([p for p in host.nordic if p[0] == 0x09]) == 4


def _timed_upload(
    intake: IntakeModel, data: bytes, *, flow_control: bool = True, chunk_delay: float = 0.0
) -> tuple[VirtualFurby, UploadResult]:
    async def main() -> tuple[VirtualFurby, UploadResult]:
        toy = VirtualFurby(intake=intake)
        host = Host(toy)
        await host.connect()
        result = await upload(host, data, flow_control=flow_control, chunk_delay=chunk_delay)
        await host.client.disconnect()
        return toy, result

    return run_in_virtual_time(main())


def test_flow_controlled_upload_keeps_up() -> None:
    """A FurBLE-style host (pause while NN > 10) keeps the default toy's buffer from overflowing."""
    intake = IntakeModel()
    data = bytes(40_000)
    toy, result = _timed_upload(intake, data)
    assert result.status == 0x05
    assert result.overloads == 0
    acks = result.acks
    assert max(acks) > 10  # the toy fell behind, so the host had to pause
    assert max(acks) < intake.buffer_packets
    assert toy.slots[13].adler32 == zlib.adler32(data)
    best = min_upload_seconds(RadioModel(), intake, len(data))
    assert best <= result.seconds < 1.5 * best


def test_blasting_without_flow_control_overloads_the_toy() -> None:
    """Writing as fast as the radio allows overruns the 32-packet buffer: 0a, then 24 06."""
    toy, result = _timed_upload(IntakeModel(), bytes(40_000), flow_control=False)
    assert result.status == 0x06
    assert result.overloads >= 1
    assert max(result.acks) == 32
    assert toy.transfer.lost_packets > 0
    assert toy.slots[13].state is SlotState.INCOMPLETE


def test_bluefluff_pacing_keeps_up_without_flow_control() -> None:
    """bluefluff's 5 ms writes match the toy's 200 packets/s: at most 3 packets ever wait."""
    _, result = _timed_upload(IntakeModel(), bytes(10_000), flow_control=False, chunk_delay=0.005)
    assert result.status == 0x05
    assert max(result.acks) == 3
    assert result.overloads == 0


@pytest.mark.parametrize("rate", [100.0, 400.0])
def test_consumption_rate_sets_the_pace(rate: float) -> None:
    """The toy's processing rate bounds the upload time from below."""
    intake = IntakeModel(packets_per_second=rate)
    data = bytes(20_000)
    _, result = _timed_upload(intake, data)
    assert result.status == 0x05
    assert result.seconds >= min_upload_seconds(RadioModel(), intake, len(data))
