"""Corners of the simulator: interrupted connects, drops inside a connection event, bad input."""

from __future__ import annotations

import asyncio
import zlib

import pytest
from bleak.exc import BleakError

from custom_components.furby_connect.protocol import gatt
from virtual_furby.clock import ManualClock, settle
from virtual_furby.errors import GattError, LinkLostError
from virtual_furby.gatt_table import GattTable
from virtual_furby.intake import IntakeModel
from virtual_furby.radio import RadioModel
from virtual_furby.slots import SlotStore
from virtual_furby.toy import VirtualFurby

from .host import Host, announce, assert_att_error, reread

SLOW = RadioModel(connection_interval=0.01, packets_per_event=4, connect_seconds=0.05)


@pytest.mark.parametrize("command", ["21", "bc", "20", "e0", "e0000000", "14", "13"])
async def test_short_generalplus_commands_are_ignored(
    host: Host, toy: VirtualFurby, command: str
) -> None:
    """Commands too short for their layout are ignored, as fixed-field firmware would."""
    assert await host.gp_exchange(command) == []
    assert toy.name_id is None
    assert toy.group_active
    assert toy.played_actions == []


async def test_cancelled_connect_frees_the_toy(clock: ManualClock) -> None:
    """A connect cancelled halfway leaves the toy free for the next one."""
    toy = VirtualFurby(clock=clock, radio=SLOW)
    host = Host(toy)
    task = asyncio.create_task(host.client.connect())
    await clock.advance(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not toy.is_connected
    again = asyncio.create_task(host.client.connect())
    await clock.advance(0.05)
    await again
    assert reread(toy).is_connected
    toy.close()


async def test_toy_leaving_range_while_connecting(clock: ManualClock) -> None:
    """A toy lost while connecting fails the connect; no connection is counted."""
    toy = VirtualFurby(clock=clock, radio=SLOW)
    host = Host(toy)
    task = asyncio.create_task(host.client.connect())
    await clock.advance(0.01)
    toy.drop_connection()  # the radio loses the toy before the link is up
    await clock.advance(0.05)
    with pytest.raises(BleakError, match="dropped the link while connecting"):
        await task
    assert not toy.is_connected
    assert toy.connect_count == 0


async def test_drop_inside_a_connection_event_loses_the_rest(clock: ManualClock) -> None:
    """A packet that makes the toy drop the link loses the rest of its event."""
    toy = VirtualFurby(clock=clock, radio=SLOW)
    host = Host(toy)
    connect = asyncio.create_task(host.connect(subscribe=False))
    await clock.run_until_idle()
    await connect

    async def writer() -> None:
        await host.send(gatt.GENERALPLUS_WRITE, "2005")  # disconnect: first in the event
        for value in range(6):
            await host.send(gatt.GENERALPLUS_WRITE, bytes([0x14, value, value, value]))

    task = asyncio.create_task(writer())
    await clock.run_until_idle()
    with pytest.raises(BleakError, match="link lost"):
        await task
    assert [w.data for w in toy.writes] == [b"\x20\x05"]
    assert toy.antenna is None


async def test_att_error_on_a_timed_link_costs_a_round_trip(clock: ManualClock) -> None:
    """An ATT error comes back after a full round trip."""
    toy = VirtualFurby(clock=clock, radio=SLOW)
    host = Host(toy)
    connect = asyncio.create_task(host.connect(subscribe=False))
    await clock.run_until_idle()
    await connect
    toy.faults.gatt_error(gatt.MODEL_NUMBER, ops=["read"], code=0x80)
    start = clock.now()
    task = asyncio.create_task(host.client.read_gatt_char(gatt.MODEL_NUMBER))
    await clock.run_until_idle()
    with pytest.raises(BleakError) as caught:
        await task
    assert_att_error(caught.value, 0x80)
    assert clock.now() - start == pytest.approx(
        0.01
    )  # out in the next event, back in the one after
    toy.close()


async def test_session_rejects_unknown_characteristics_and_closed_links(
    host: Host, toy: VirtualFurby
) -> None:
    """Unknown characteristics are an ATT error; a closed radio refuses every operation."""
    session = toy.session
    assert session is not None
    with pytest.raises(GattError, match="no characteristic"):
        await session.read("0000ffff-0000-1000-8000-00805f9b34fb")
    await host.client.disconnect()
    assert not session.radio.is_open
    with pytest.raises(LinkLostError):
        await session.read(gatt.MODEL_NUMBER)
    with pytest.raises(LinkLostError):
        await session.radio.request(lambda: None)
    with pytest.raises(LinkLostError):
        await session.radio.send_command(gatt.FILE_WRITE, b"x")
    assert session.notify(gatt.GENERALPLUS_LISTEN, b"x") is False
    toy.close_session(session, unsolicited=True)  # already closed: nothing happens
    assert host.disconnects == 1


async def test_notifications_after_the_link_closed_are_dropped(
    host: Host, toy: VirtualFurby
) -> None:
    """A notification queued before the radio closed never reaches the host."""
    session = toy.session
    assert session is not None
    toy.notify_gp(b"\xfe\x04")
    session.radio.close()
    await settle()
    assert host.gp == []
    session.radio.notify(gatt.GENERALPLUS_LISTEN, lambda: pytest.fail("sent on a closed link"))
    await settle()
    assert host.gp == []


async def test_upload_finishing_after_disconnect_still_stores_the_file(clock: ManualClock) -> None:
    """A toy still processing when the link drops finishes and stores the file."""
    toy = VirtualFurby(
        clock=clock, radio=RadioModel.instant(), intake=IntakeModel(packets_per_second=10)
    )
    host = Host(toy)
    await host.connect()
    data = bytes(range(60))
    await host.gp_exchange(announce(len(data)))
    for offset in range(0, len(data), 20):
        await host.send(gatt.FILE_WRITE, data[offset : offset + 20])
    assert toy.transfer.buffered() == 3
    await host.client.disconnect()
    await clock.advance(0.25)  # 10 packets/s: the third one is consumed at 0.3 s
    assert toy.slots[13].length == 0
    await clock.advance(0.1)
    assert reread(toy).slots[13].length == len(data)
    assert toy.slots[13].adler32 == toy.transfer.adler32 == zlib.adler32(data)


def test_gatt_table_membership() -> None:
    """The GATT table knows its UUIDs in any case, and nothing else."""
    table = GattTable()
    assert gatt.FILE_WRITE in table
    assert gatt.FILE_WRITE.upper() in table
    assert "0000ffff-0000-1000-8000-00805f9b34fb" not in table
    assert 42 not in table


def test_slot_store_iterates_in_order() -> None:
    """The slot store iterates over slots 0 to 13."""
    assert [slot.index for slot in SlotStore()] == list(range(14))
