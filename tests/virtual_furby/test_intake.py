"""The toy's file intake: pace, buffer, flash pauses, held packets, a stalled intake.

docs/simulator.md "File intake". Uploads run on virtual time with a FurBLE-style or a
bluefluff-style host (``host.upload``).
"""

from __future__ import annotations

import math
import zlib

import pytest

from custom_components.furby_connect.protocol import gatt
from virtual_furby import AckModel, FullBuffer, IntakeModel, VirtualFurby
from virtual_furby.intake import FlashPauses, Intake
from virtual_furby.profiles import INTAKES, RADIOS, min_upload_seconds, upload_matrix
from virtual_furby.radio import RadioModel
from virtual_furby.virtual_time import run_in_virtual_time

from .host import Host, UploadResult, announce, upload

BLOCK = 4_096
"""A small flash block, so a few kilobytes cross several block boundaries."""
FLASH = IntakeModel(flash_block_bytes=BLOCK, flash_pause=(0.5, 2.0), when_full=FullBuffer.HOLD)
DATA = bytes(range(256)) * 40  # 10 240 bytes: two full 4 KiB blocks and a partial one


def _upload(
    intake: IntakeModel, data: bytes = DATA, **options: float | bool
) -> tuple[VirtualFurby, UploadResult]:
    async def main() -> tuple[VirtualFurby, UploadResult]:
        toy = VirtualFurby(intake=intake, acks=AckModel.NONE)
        host = Host(toy)
        await host.connect()
        result = await upload(host, data, **options)  # type: ignore[arg-type]
        await host.client.disconnect()
        return toy, result

    return run_in_virtual_time(main())


def test_flash_writes_pause_the_intake() -> None:
    """Each 4 KiB block and the last partial one cost a flash write of 0.5-2 s."""
    toy, result = _upload(FLASH, flow_control=False, chunk_delay=0.005)
    assert result.status == 0x05
    assert toy.transfer.intake.flash_writes == 3
    pauses = toy.transfer.intake.pause_total
    assert 1.5 <= pauses <= 6.0
    assert pauses == pytest.approx(FLASH.pause_seconds(len(DATA), seed=0))
    assert result.seconds >= min_upload_seconds(RadioModel(), FLASH, len(DATA))
    assert toy.slots[13].adler32 == zlib.adler32(DATA)


def test_a_full_buffer_holds_packets_back_instead_of_losing_them() -> None:
    """With HOLD, a bluefluff-style host's blind 5 ms writes wait out every flash pause."""
    toy, result = _upload(FLASH, flow_control=False, chunk_delay=0.005)
    assert (result.status, result.overloads, toy.transfer.lost_packets) == (0x05, 0, 0)
    session_radio = toy.session.radio if toy.session is not None else None
    assert session_radio is None  # disconnected after the upload


def test_a_dropping_flash_toy_loses_what_blind_pacing_sends() -> None:
    """The evidence argument: with DROP, bluefluff's 5 ms writes would overflow at each pause.

    bluefluff uploads whole DLCs this way on real toys, so a real toy cannot both pause for
    seconds and drop what does not fit (docs/simulator.md "File intake").
    """
    dropping = IntakeModel(flash_block_bytes=BLOCK, flash_pause=(0.5, 2.0))
    toy, result = _upload(dropping, flow_control=False, chunk_delay=0.005)
    assert result.status == 0x06
    assert toy.transfer.lost_packets > 0
    assert result.overloads >= 1


def test_held_packets_keep_the_radio_waiting() -> None:
    """A held packet is resent each connection event; the host's writes wait behind it."""

    async def main() -> tuple[int, int, float]:
        toy = VirtualFurby(intake=IntakeModel(buffer_packets=2, when_full=FullBuffer.HOLD))
        host = Host(toy)
        await host.connect()
        await host.send(gatt.GENERALPLUS_WRITE, announce(200))
        await host.wait_gp(b"\x24\x02")
        loop_time = toy.clock.now
        start = loop_time()
        for _offset in range(0, 200, 20):
            await host.send(gatt.FILE_WRITE, bytes(20))
        await host.wait_gp(b"\x24\x05")
        radio = toy.session.radio if toy.session is not None else None
        assert radio is not None
        declined = radio.declined_packets
        await host.client.disconnect()
        return declined, toy.transfer.lost_packets, loop_time() - start

    declined, lost, seconds = run_in_virtual_time(main())
    assert declined > 0
    assert lost == 0
    assert seconds >= 10 / 200  # ten packets at the toy's pace


def test_stalled_intake_holds_everything_until_resumed() -> None:
    """``Faults.stall_intake`` stops processing; after ``resume_intake`` the upload finishes."""

    async def main() -> tuple[int, int, bytes]:
        toy = VirtualFurby()
        host = Host(toy)
        await host.connect()
        await host.send(gatt.GENERALPLUS_WRITE, announce(100))
        await host.wait_gp(b"\x24\x02")
        toy.faults.stall_intake()
        for _offset in range(0, 100, 20):
            await host.send(gatt.FILE_WRITE, bytes(20))
        await toy.clock.sleep(5.0)
        stuck = toy.transfer.buffered()
        status_before = [p for p in host.gp if p[0] == 0x24]
        toy.faults.resume_intake()
        done = await host.wait_gp(b"\x24\x05")
        await host.client.disconnect()
        return stuck, len(status_before), done

    stuck, statuses, done = run_in_virtual_time(main())
    assert stuck == 5  # nothing was processed while stalled, and no 24 03 either
    assert statuses == 1  # only the 24 02
    assert done == b"\x24\x05"


def test_pause_draws_are_reproducible() -> None:
    """The same model and seed give the same flash pauses; another seed gives others."""
    first = [FlashPauses(FLASH, 1).next() for _ in range(5)]
    assert first == [FlashPauses(FLASH, 1).next() for _ in range(1)] + first[1:]
    assert all(0.5 <= pause <= 2.0 for pause in first)
    assert FLASH.pause_seconds(len(DATA), 1) != FLASH.pause_seconds(len(DATA), 2)
    assert IntakeModel().pause_seconds(10**6, 1) == 0.0
    assert IntakeModel().blocks(10**6) == 0
    assert FLASH.blocks(BLOCK) == 1
    assert FLASH.blocks(BLOCK + 1) == 2


def test_instant_intake() -> None:
    """An instant intake processes at once and holds nothing."""
    intake = Intake(IntakeModel.instant(), seed=0)
    intake.start(0.0)
    intake.accept(20, 0.0)
    assert intake.buffered(0.0) == 0
    assert IntakeModel.instant().min_process_seconds(1_000, 0) == 0.0
    assert math.isinf(IntakeModel.instant().packets_per_second)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"packets_per_second": 0}, "packets_per_second"),
        ({"buffer_packets": 0}, "buffer_packets"),
        ({"flash_block_bytes": 10}, "flash_block_bytes"),
        ({"flash_pause": (2.0, 1.0)}, "flash_pause"),
        ({"flash_pause": (-1.0, 1.0)}, "flash_pause"),
        ({"flash_pause": (0.0, math.inf)}, "flash_pause"),
        ({"when_full": "drop"}, "when_full"),
    ],
)
def test_bad_intake_parameters_are_refused(kwargs: dict[str, object], message: str) -> None:
    """Nonsense intake parameters raise a ValueError naming the field."""
    with pytest.raises(ValueError, match=message):
        IntakeModel(**kwargs)  # type: ignore[arg-type]


def test_the_matrix_covers_every_combination() -> None:
    """4 ack models x 4 intakes x 3 radios, each once; flash toys hold, steady ones drop."""
    cells = list(upload_matrix())
    assert len(cells) == len({cell.id for cell in cells}) == 4 * len(INTAKES) * len(RADIOS) == 48
    for cell in cells:
        assert cell.intake.when_full is (FullBuffer.HOLD if cell.intake.pauses else FullBuffer.DROP)
    rates = sorted(radio.packets_per_second for radio in RADIOS.values())
    assert rates == pytest.approx([2 / 0.045, 4 / 0.015, 6 / 0.0075])
    assert {intake.buffer_packets for intake in INTAKES.values()} == {12, 32}
