"""The four readings of the ``09 NN`` acks (docs/simulator.md "Ack models", docs/protocol.md §4.3).

Each test streams FileWrite packets with a FurBLE-style host (``host.upload``) or by hand and
looks at the acks the toy sent.
"""

from __future__ import annotations

import pytest

from custom_components.furby_connect.protocol import gatt
from virtual_furby import AckModel, IntakeModel, VirtualFurby
from virtual_furby.acks import ACK_PACKETS
from virtual_furby.clock import ManualClock
from virtual_furby.radio import RadioModel
from virtual_furby.virtual_time import run_in_virtual_time

from .host import Host, UploadResult, announce, upload

DATA = bytes(range(256)) * 16  # 4 096 bytes: 205 packets


def _upload(
    acks: AckModel, **options: float | bool
) -> tuple[VirtualFurby, UploadResult, list[int]]:
    """Upload ``DATA``; also return the NN of every ack the host got."""

    async def main() -> tuple[VirtualFurby, UploadResult, list[int]]:
        toy = VirtualFurby(acks=acks)
        host = Host(toy)
        await host.connect()
        result = await upload(host, DATA, **options)  # type: ignore[arg-type]
        await toy.clock.sleep(0.1)  # the acks still on their way
        await host.client.disconnect()
        return toy, result, [packet[1] for packet in host.nordic if packet[0] == 0x09]

    return run_in_virtual_time(main())


def test_every_ack_packet_is_prebuilt() -> None:
    """Sending an ack allocates nothing: all 256 packets exist, ``09 NN``."""
    assert len(ACK_PACKETS) == 256
    assert ACK_PACKETS[0x0B] == b"\x09\x0b"
    assert [model.letter for model in AckModel] == ["a", "b", "c", "d"]


def test_backlog_and_drain_acks_report_the_backlog_and_the_drain() -> None:
    """(a) NN is the unprocessed backlog, and an ack of 0 follows when the buffer drains."""
    toy, result, acks = _upload(AckModel.BACKLOG_AND_DRAIN, chunk_delay=0.005)
    assert result.status == 0x05
    assert max(acks) <= 3  # 5 ms pacing: one connection event's packets at most
    assert acks[-1] == 0  # after the last packet the buffer drained, and the toy said so
    assert toy.transfer.acks.sent == len(acks)


def test_backlog_acks_never_report_a_drain() -> None:
    """(b) Acks answer received packets only: with the toy idle, nothing says it drained."""

    async def main() -> list[bytes]:
        toy = VirtualFurby(acks=AckModel.BACKLOG)
        host = Host(toy)
        await host.connect()
        await host.send(gatt.NORDIC_WRITE, "090100")
        await host.send(gatt.GENERALPLUS_WRITE, announce(len(DATA)))
        await host.wait_gp(b"\x24\x02")
        for offset in range(0, 200, 20):  # ten packets in three events
            await host.send(gatt.FILE_WRITE, DATA[offset : offset + 20])
        await toy.clock.sleep(1.0)  # long enough to process all ten
        acks = [packet for packet in host.nordic if packet[0] == 0x09]
        await host.client.disconnect()
        return acks

    acks = run_in_virtual_time(main())
    assert acks
    assert acks[-1] != b"\x09\x00"  # the last ack still shows a backlog: no drain report
    assert b"\x09\x00" not in acks


def test_since_last_report_acks_count_packets_not_the_backlog() -> None:
    """(c) NN adds up to the packets received; it does not fall when the toy catches up."""
    toy, result, acks = _upload(AckModel.SINCE_LAST_REPORT, chunk_delay=0.005)
    assert result.status == 0x05
    assert 0 not in acks  # every ack counts at least the packet that caused it
    assert sum(acks) == len(range(0, len(DATA), 20))  # every packet counted once
    assert toy.transfer.lost_packets == 0


def test_no_acks_at_all_even_when_asked_for() -> None:
    """(d) ``09 01 00`` switches nothing on: the toy never sends ``09 NN``."""
    toy, result, acks = _upload(AckModel.NONE, flow_control=False, chunk_delay=0.005)
    assert result.status == 0x05
    assert acks == []
    assert any(write.data == b"\x09\x01\x00" for write in toy.writes)  # asked for, yet silent
    assert toy.transfer.acks.sent == 0


async def test_ack_model_can_change_between_uploads(clock: ManualClock) -> None:
    """``toy.acks`` switches the reading, e.g. between two uploads of one test."""
    toy = VirtualFurby(clock=clock, radio=RadioModel.instant(), intake=IntakeModel.instant())
    assert toy.acks is AckModel.BACKLOG_AND_DRAIN
    toy.acks = AckModel.NONE
    assert toy.transfer.acks.model is AckModel.NONE


@pytest.mark.parametrize("model", list(AckModel))
def test_every_model_stays_silent_without_09_01_00(model: AckModel) -> None:
    """No reading sends acks before the host enables them (docs/protocol.md §3.3)."""

    async def main() -> list[bytes]:
        toy = VirtualFurby(acks=model)
        host = Host(toy)
        await host.connect()
        await host.send(gatt.GENERALPLUS_WRITE, announce(len(DATA)))
        await host.wait_gp(b"\x24\x02")
        for offset in range(0, len(DATA), 20):
            await host.send(gatt.FILE_WRITE, DATA[offset : offset + 20])
            await toy.clock.sleep(0.005)
        assert await host.wait_gp(b"\x24\x05", 0) == b"\x24\x05"
        await host.client.disconnect()
        return [packet for packet in host.nordic if packet[0] == 0x09]

    assert run_in_virtual_time(main()) == []
