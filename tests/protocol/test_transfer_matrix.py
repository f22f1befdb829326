"""The upload under every reading of the acks, every intake and every radio (issue: ack models).

Each cell of ``virtual_furby.profiles.upload_matrix()`` (ack models a-d x four intakes x three
radios, docs/simulator.md "The upload matrix") uploads the same synthetic DLC with
``protocol.transfer.upload_dlc`` over the real bleak API, on virtual time. A file of a little more
than one 64 KiB block makes the flash-writing toys pause twice (after the full block and after
the last, partial one). The time each cell takes against its least possible time is the
benchmark's business (``scripts/benchmark_upload.py``); here the bound only has to hold.
"""

from __future__ import annotations

import zlib

import pytest

from custom_components.furby_connect.protocol.commands import dlc_announce_name
from custom_components.furby_connect.protocol.transfer import TransferResult, upload_dlc
from tests.protocol.dlc_factory import build_dlc
from virtual_furby import AckModel, LoopClock, SlotState, VirtualFurby
from virtual_furby.profiles import UploadCell, min_upload_seconds, upload_matrix

from .test_transfer import chunks_of, connected, run

DATA = build_dlc(70_007, seed=8)
"""One full flash block and a partial one; not a multiple of 20 (the last packet is short)."""

CELLS = list(upload_matrix())


@pytest.mark.parametrize("cell", CELLS, ids=[cell.id for cell in CELLS])
def test_upload_succeeds_with_nothing_lost(cell: UploadCell) -> None:
    """Every cell uploads the file intact, loses no packet, and stays near the least time."""
    furby = VirtualFurby(clock=LoopClock(), radio=cell.radio, intake=cell.intake, acks=cell.acks)
    adler32 = zlib.adler32(DATA)

    async def scenario() -> TransferResult:
        async with connected(furby) as client:
            return await upload_dlc(
                client,
                chunks_of(DATA, 65_536),
                size=len(DATA),
                adler32=adler32,
                filename=dlc_announce_name("matrix.dlc", adler32),
            )

    result = run(scenario)
    assert (furby.transfer.lost_packets, furby.transfer.overloads) == (0, 0)
    slot = furby.slots[result.slot]
    assert (slot.state, slot.length, slot.adler32) == (SlotState.ACTIVE, len(DATA), adler32)
    assert result.recovered_from is None
    if cell.acks is AckModel.NONE:
        assert (result.acks, result.paced_without_acks) == (0, True)
    else:
        assert result.acks > 0
    if cell.intake.pauses:
        assert furby.transfer.intake.flash_writes == 2
    assert result.seconds >= min_upload_seconds(cell.radio, cell.intake, len(DATA))
