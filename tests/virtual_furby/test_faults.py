"""Every injected fault, seen through the real BleakClient API."""

from __future__ import annotations

import pytest
from bleak.exc import BleakDeviceNotFoundError, BleakError

from custom_components.furby_connect.protocol import gatt
from virtual_furby.clock import ManualClock, settle
from virtual_furby.faults import Faults
from virtual_furby.toy import VirtualFurby

from .host import Host, assert_att_error, reread


async def test_drop_after_bytes(host: Host, toy: VirtualFurby) -> None:
    """The link drops with the packet that carries the N-th byte; the fault is one-shot."""
    toy.faults.drop_link_after_bytes(45)
    for _ in range(2):
        await host.send(gatt.FILE_WRITE, bytes(20))
    assert toy.is_connected
    await host.send(gatt.FILE_WRITE, bytes(20))  # byte 45 arrives in this packet
    await settle()
    assert not reread(toy).is_connected
    assert host.disconnects == 1
    assert toy.faults.drop_after_bytes is None  # one-shot
    with pytest.raises(BleakError, match="Not connected"):
        await host.send(gatt.FILE_WRITE, bytes(20))


async def test_drop_after_zero_bytes_drops_on_the_next_write(host: Host, toy: VirtualFurby) -> None:
    """drop_link_after_bytes(0) drops on the next write."""
    toy.faults.drop_link_after_bytes(0)
    await host.send(gatt.GENERALPLUS_WRITE, "00")
    await settle()
    assert not toy.is_connected


async def test_drop_at_a_time(host: Host, toy: VirtualFurby, clock: ManualClock) -> None:
    """drop_link_at drops the link at that toy time, once."""
    toy.faults.drop_link_at(5.0)
    await clock.advance(4.9)
    assert toy.is_connected
    await clock.advance(0.1)
    assert not reread(toy).is_connected
    assert host.disconnects == 1
    assert toy.faults.drop_at is None


async def test_drop_time_set_before_connecting(toy: VirtualFurby, clock: ManualClock) -> None:
    """A drop time set before connecting applies to the next connection."""
    toy.faults.drop_link_at(2.0)
    host = Host(toy)
    await host.connect()
    await clock.advance(2.0)
    assert not toy.is_connected
    assert host.disconnects == 1


async def test_disconnect_cancels_a_pending_drop(
    host: Host, toy: VirtualFurby, clock: ManualClock
) -> None:
    """Disconnecting cancels a scheduled drop's timer."""
    toy.faults.drop_link_at(5.0)
    await host.client.disconnect()
    assert clock.pending_timers == 0


async def test_out_of_range(host: Host, toy: VirtualFurby) -> None:
    """Out of range: the link drops, no advertising, connects fail until back in range."""
    toy.faults.go_out_of_range()
    await settle()
    assert not toy.is_connected
    assert not toy.advertising
    assert host.disconnects == 1
    with pytest.raises(BleakDeviceNotFoundError):
        await host.client.connect()
    toy.faults.come_into_range()
    assert reread(toy).advertising
    await host.client.connect()
    assert reread(toy).is_connected


async def test_asleep_stops_advertising_only(host: Host, toy: VirtualFurby) -> None:
    """stop_advertising silences advertisements but keeps the connection."""
    toy.advertises_while_connected = True
    assert toy.advertising
    toy.faults.stop_advertising()
    assert not reread(toy).advertising
    assert toy.is_connected
    toy.faults.resume_advertising()
    assert reread(toy).advertising


async def test_refuse_some_connections(toy: VirtualFurby) -> None:
    """refuse_connections(2) refuses two attempts, then accepts."""
    toy.faults.refuse_connections(2)
    host = Host(toy)
    for _ in range(2):
        with pytest.raises(BleakError, match="refused the connection"):
            await host.client.connect()
    await host.client.connect()
    assert toy.is_connected
    assert toy.connect_count == 1
    toy.close()


async def test_refuse_all_connections_until_allowed(toy: VirtualFurby) -> None:
    """refuse_connections() refuses until allow_connections()."""
    toy.faults.refuse_connections()
    host = Host(toy)
    for _ in range(5):
        with pytest.raises(BleakError, match="refused"):
            await host.client.connect()
    toy.faults.allow_connections()
    await host.client.connect()
    assert toy.is_connected
    toy.close()


async def _operate(host: Host, operation: str, uuid: str) -> None:
    """Read ``uuid``, write to it (with response) or enable its notifications."""
    if operation == "read":
        await host.client.read_gatt_char(uuid)
    elif operation == "write":
        await host.client.write_gatt_char(uuid, b"\xfe", response=True)
    else:
        await host.client.start_notify(uuid, host.on_nordic)


@pytest.mark.parametrize(
    ("operation", "uuid"),
    [
        ("read", gatt.MODEL_NUMBER),
        ("write", gatt.GENERALPLUS_WRITE),
        ("notify", gatt.NORDIC_LISTEN),
    ],
)
async def test_gatt_error_on_a_characteristic(toy: VirtualFurby, operation: str, uuid: str) -> None:
    """An injected ATT error fails reads, writes or subscriptions until cleared."""
    toy.faults.gatt_error(uuid, ops=[operation], code=0x0E)
    host = Host(toy)
    await host.connect(subscribe=False)
    with pytest.raises(BleakError) as caught:
        await _operate(host, operation, uuid)
    assert_att_error(caught.value, 0x0E)
    toy.faults.clear_gatt_errors()
    await host.client.read_gatt_char(gatt.MODEL_NUMBER)
    await host.client.write_gatt_char(gatt.GENERALPLUS_WRITE, b"\xfe", response=False)
    await host.client.start_notify(gatt.NORDIC_LISTEN, host.on_nordic)
    toy.close()


async def test_gatt_error_on_write_without_response(host: Host, toy: VirtualFurby) -> None:
    """An injected write error also fails writes without response; reads still work."""
    toy.faults.gatt_error(gatt.FILE_WRITE, ops=["write"])
    with pytest.raises(BleakError):
        await host.send(gatt.FILE_WRITE, b"x")
    assert all(w.uuid != gatt.FILE_WRITE for w in toy.writes)
    await host.client.read_gatt_char(gatt.FILE_WRITE)  # reads still work


@pytest.mark.parametrize(
    ("operation", "uuid"),
    [
        ("read", gatt.MODEL_NUMBER),
        ("write", gatt.FILE_WRITE),
        ("notify", gatt.NORDIC_LISTEN),
    ],
)
async def test_stack_failure_raises_its_own_error_and_sends_nothing(
    toy: VirtualFurby, operation: str, uuid: str
) -> None:
    """A stack failure raises the given exception itself (not a BleakError) on that operation
    only, nothing reaches the toy, and clear_gatt_errors() removes it.
    """
    toy.faults.stack_failure(uuid, KeyError, ops=[operation])
    host = Host(toy)
    await host.connect(subscribe=False)
    with pytest.raises(KeyError, match="injected failure of the Bluetooth stack") as caught:
        await _operate(host, operation, uuid)
    assert not isinstance(caught.value, BleakError)
    await settle()
    assert all(w.uuid != uuid for w in toy.writes)
    toy.faults.clear_gatt_errors()
    await _operate(host, operation, uuid)
    toy.close()


def test_fault_arguments_are_checked() -> None:
    """Nonsense fault arguments raise ValueError naming them."""
    faults = Faults()
    with pytest.raises(ValueError, match="nbytes"):
        faults.drop_link_after_bytes(-1)
    with pytest.raises(ValueError, match="count"):
        faults.refuse_connections(-1)
    with pytest.raises(ValueError, match="ops must be"):
        faults.gatt_error(gatt.FILE_WRITE, ops=["delete"])
    with pytest.raises(ValueError, match="ops must be"):
        faults.gatt_error(gatt.FILE_WRITE, ops=[])
    with pytest.raises(ValueError, match="code"):
        faults.gatt_error(gatt.FILE_WRITE, code=0)
    with pytest.raises(ValueError, match="ops must be"):
        faults.stack_failure(gatt.FILE_WRITE, RuntimeError, ops=[])
    with pytest.raises(ValueError, match="Exception subclass"):
        faults.stack_failure(gatt.FILE_WRITE, KeyboardInterrupt)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="after"):
        faults.stop_acks(after=-1)
    with pytest.raises(ValueError, match="factor"):
        faults.slow_link(0)
    with pytest.raises(ValueError, match="rate"):
        faults.lossy_link(1.0)


def test_clear_removes_everything() -> None:
    """clear() removes every fault."""
    faults = Faults()
    faults.drop_link_after_bytes(1)
    faults.drop_link_at(3)
    faults.stop_advertising()
    faults.go_out_of_range()
    faults.refuse_connections()
    faults.gatt_error(gatt.FILE_WRITE)
    faults.stack_failure(gatt.FILE_WRITE, RuntimeError)
    faults.send_error_after_ok()
    faults.stop_acks()
    faults.slow_link(2)
    faults.lossy_link(0.5)
    faults.clear()
    assert faults.drop_after_bytes is None
    assert faults.drop_at is None
    assert not faults.advertising_stopped
    assert not faults.out_of_range
    assert not faults.error_after_ok
    assert not faults.consume_refusal()
    assert faults.gatt_error_for(gatt.FILE_WRITE, "write") is None
    assert faults.stack_failure_for(gatt.FILE_WRITE, "write") is None
    assert faults.consume_ack()
    assert faults.slowdown == 1.0
    assert not faults.lose_packet()


def test_lossy_link_is_reproducible() -> None:
    """The same seed loses the same packets."""
    first, second = Faults(), Faults()
    first.lossy_link(0.3, seed=7)
    second.lossy_link(0.3, seed=7)
    assert [first.lose_packet() for _ in range(50)] == [second.lose_packet() for _ in range(50)]
