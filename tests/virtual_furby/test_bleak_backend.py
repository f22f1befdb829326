"""The virtual backend behind the real ``bleak.BleakClient`` API (bleak 0.22 and 3.x)."""

from __future__ import annotations

import asyncio

import bleak
import pytest
from bleak.exc import BleakCharacteristicNotFoundError, BleakDeviceNotFoundError, BleakError

from custom_components.furby_connect.protocol import gatt
from virtual_furby.bleak_backend import (
    VirtualBleakClient,
    virtual_ble_device,
    virtual_bleak_client,
)
from virtual_furby.bleak_gatt import CCCD_UUID, make_descriptor
from virtual_furby.clock import ManualClock, settle
from virtual_furby.errors import GattError
from virtual_furby.intake import IntakeModel
from virtual_furby.radio import RadioModel
from virtual_furby.toy import VirtualFurby
from virtual_furby.virtual_time import run_in_virtual_time

from .host import Host, assert_att_error

EXPECTED_PROPERTIES = {
    gatt.DEVICE_NAME: {"read", "write"},
    gatt.APPEARANCE: {"read"},
    gatt.PREFERRED_CONNECTION_PARAMETERS: {"read"},
    gatt.SERVICE_CHANGED: {"indicate"},
    **{uuid: {"read"} for uuid in gatt.DEVICE_INFORMATION_FIELDS.values()},
    gatt.DFU_PACKET: {"write-without-response"},
    gatt.DFU_CONTROL_POINT: {"write", "notify"},
    gatt.DFU_VERSION: {"read"},
    gatt.GENERALPLUS_LISTEN: {"read", "notify"},
    gatt.GENERALPLUS_WRITE: {"read", "write", "write-without-response"},
    gatt.NORDIC_LISTEN: {"read", "notify"},
    gatt.NORDIC_WRITE: {"read", "write", "write-without-response"},
    gatt.F2F_LISTEN: {"read", "notify"},
    gatt.F2F_WRITE: {"read", "write"},
    gatt.RSSI_LISTEN: {"read", "notify"},
    gatt.FILE_WRITE: {"read", "write", "write-without-response"},
}


async def test_helper_uses_bleaks_own_client_even_under_home_assistant(toy: VirtualFurby) -> None:
    """virtual_bleak_client gives bleak's own BleakClient, also while HA swapped in its wrapper."""
    client = virtual_bleak_client(toy)
    assert type(client).__module__ == "bleak"
    assert type(client).__name__ == "BleakClient"


async def test_service_table(host: Host) -> None:
    """The discovered services and characteristics are those of docs/protocol.md §2."""
    services = host.client.services
    assert {s.uuid for s in services} == {
        gatt.GENERIC_ACCESS_SERVICE,
        gatt.GENERIC_ATTRIBUTE_SERVICE,
        gatt.DEVICE_INFORMATION_SERVICE,
        gatt.DFU_SERVICE,
        gatt.FLUFF_SERVICE,
    }
    found = {c.uuid: set(c.properties) for s in services for c in s.characteristics}
    assert found == EXPECTED_PROPERTIES
    for service in services:
        for char in service.characteristics:
            assert char.service_uuid == service.uuid
            assert char.service_handle == service.handle
            cccds = [d for d in char.descriptors if d.uuid == CCCD_UUID]
            assert len(cccds) == (1 if {"notify", "indicate"} & set(char.properties) else 0)
            assert char.max_write_without_response_size == 20
    handles = [c.handle for s in services for c in s.characteristics]
    assert len(set(handles)) == len(handles)
    fluff = services.get_service(gatt.FLUFF_SERVICE)
    assert fluff is not None
    assert fluff.get_characteristic(gatt.FILE_WRITE) is not None


async def test_descriptor_lookup_on_a_characteristic(host: Host) -> None:
    """Each notifying characteristic has one CCCD, found by handle."""
    char = host.client.services.get_characteristic(gatt.NORDIC_LISTEN)
    assert char is not None
    (cccd,) = char.descriptors
    assert char.get_descriptor(cccd.handle) is cccd
    assert char.get_descriptor(CCCD_UUID) is cccd
    assert char.get_descriptor(9999) is None
    assert cccd.characteristic_uuid == gatt.NORDIC_LISTEN
    assert cccd.characteristic_handle == char.handle


async def test_device_information(clock: ManualClock) -> None:
    """Device Information reads give the configured strings."""
    toy = VirtualFurby(
        clock=clock,
        radio=RadioModel.instant(),
        intake=IntakeModel.instant(),
        device_info={"serial_number": "ABC123", "model": "M"},
    )
    host = Host(toy)
    await host.connect()
    assert await host.client.read_gatt_char(gatt.SERIAL_NUMBER) == b"ABC123"
    assert await host.client.read_gatt_char(gatt.MODEL_NUMBER) == b"M"
    assert await host.client.read_gatt_char(gatt.MANUFACTURER_NAME) == b"Hasbro"
    assert await host.client.read_gatt_char(gatt.DEVICE_NAME) == b"Furby"
    toy.close()


def test_unknown_device_information_field_is_refused() -> None:
    """An unknown Device Information field is refused, naming it."""
    with pytest.raises(ValueError, match="unknown device_info field 'colour'"):
        VirtualFurby(device_info={"colour": "pink"})


async def test_specifiers_by_uuid_handle_and_object(host: Host) -> None:
    """Characteristics resolve by UUID string, UUID object, handle and object."""
    char = host.client.services.get_characteristic(gatt.MODEL_NUMBER)
    assert char is not None
    by_uuid = await host.client.read_gatt_char(gatt.MODEL_NUMBER)
    assert await host.client.read_gatt_char(char.handle) == by_uuid
    assert await host.client.read_gatt_char(char) == by_uuid
    assert await host.client.read_gatt_char(gatt.MODEL_NUMBER.upper()) == by_uuid


async def test_listen_characteristics_read_their_last_notification(host: Host) -> None:
    """A Listen characteristic reads as its last notification."""
    await host.gp_exchange("fe")
    assert await host.client.read_gatt_char(gatt.GENERALPLUS_LISTEN) == b"\xfe\x04"


async def test_write_modes_both_reach_the_toy(host: Host, toy: VirtualFurby) -> None:
    """Writes with and without response both reach the toy (§2)."""
    await host.client.write_gatt_char(gatt.GENERALPLUS_WRITE, b"\x14\x01\x02\x03", response=True)
    assert toy.antenna == (1, 2, 3)
    await host.client.write_gatt_char(
        gatt.GENERALPLUS_WRITE, bytearray(b"\x14\x04\x05\x06"), response=False
    )
    assert toy.antenna == (4, 5, 6)
    await host.client.write_gatt_char(
        gatt.GENERALPLUS_WRITE, memoryview(b"\x14\x07\x08\x09"), response=False
    )
    assert toy.antenna == (7, 8, 9)


@pytest.mark.parametrize(
    ("uuid", "response", "code"),
    [
        (gatt.GENERALPLUS_LISTEN, True, GattError.WRITE_NOT_PERMITTED),
        (gatt.F2F_WRITE, False, GattError.WRITE_NOT_PERMITTED),
        (gatt.DFU_PACKET, True, GattError.WRITE_NOT_PERMITTED),
    ],
)
async def test_writes_a_characteristic_does_not_support_fail(
    host: Host, uuid: str, response: bool, code: int
) -> None:
    """A write mode a characteristic lacks fails with the ATT error."""
    with pytest.raises(BleakError) as caught:
        await host.client.write_gatt_char(uuid, b"\x00", response=response)
    assert_att_error(caught.value, code)


@pytest.mark.parametrize("response", [True, False])
async def test_writes_longer_than_the_mtu_allows_fail(
    host: Host, toy: VirtualFurby, response: bool
) -> None:
    """A write longer than 20 bytes fails: the MTU is never raised (§8)."""
    with pytest.raises(BleakError) as caught:
        await host.client.write_gatt_char(gatt.FILE_WRITE, bytes(21), response=response)
    assert_att_error(caught.value, GattError.INVALID_ATTRIBUTE_VALUE_LENGTH)
    assert all(w.uuid != gatt.FILE_WRITE for w in toy.writes)


async def test_reading_a_write_only_characteristic_fails(host: Host) -> None:
    """Reading a write-only characteristic fails with read-not-permitted."""
    with pytest.raises(BleakError) as caught:
        await host.client.read_gatt_char(gatt.DFU_PACKET)
    assert_att_error(caught.value, GattError.READ_NOT_PERMITTED)


async def test_notify_on_a_characteristic_without_notify_fails(host: Host) -> None:
    """Subscribing to a characteristic without notify fails."""
    with pytest.raises(BleakError) as caught:
        await host.client.start_notify(gatt.GENERALPLUS_WRITE, host.on_gp)
    assert_att_error(caught.value, GattError.REQUEST_NOT_SUPPORTED)


async def test_unknown_characteristic(host: Host) -> None:
    """An unknown characteristic raises bleak's not-found error."""
    with pytest.raises(BleakCharacteristicNotFoundError):
        await host.client.read_gatt_char("0000ffff-0000-1000-8000-00805f9b34fb")


async def test_stop_notify_silences_a_characteristic(host: Host, toy: VirtualFurby) -> None:
    """stop_notify silences one characteristic and leaves the other."""
    await host.client.stop_notify(gatt.GENERALPLUS_LISTEN)
    assert await host.gp_exchange("fe") == []
    assert [r.hex() for r in await host.nordic_exchange("03")] == ["0300"]


async def _connected_backend(toy: VirtualFurby) -> tuple[VirtualBleakClient, list[bytes]]:
    """A backend used directly (no ``BleakClient`` around it), subscribed to GeneralPlusListen."""
    backend = VirtualBleakClient(virtual_ble_device(toy))
    await backend.connect()
    assert backend.services is not None
    listen = backend.services.get_characteristic(gatt.GENERALPLUS_LISTEN)
    assert listen is not None
    received: list[bytes] = []
    await backend.start_notify(listen, lambda data: received.append(bytes(data)))
    await settle()
    received.clear()  # the sensor snapshot
    return backend, received


async def test_cccd_descriptor_read_and_write(toy: VirtualFurby) -> None:
    """A CCCD reads 01 00 while notifying; writing 00 00 / 01 00 unsubscribes and subscribes."""
    backend, received = await _connected_backend(toy)
    assert backend.services is not None
    char = backend.services.get_characteristic(gatt.GENERALPLUS_LISTEN)
    write = backend.services.get_characteristic(gatt.GENERALPLUS_WRITE)
    assert char is not None
    assert write is not None
    (cccd,) = char.descriptors
    assert await backend.read_gatt_descriptor(cccd.handle) == b"\x01\x00"
    await backend.write_gatt_descriptor(cccd.handle, b"\x00\x00")
    assert await backend.read_gatt_descriptor(cccd) == b"\x00\x00"
    await backend.write_gatt_char(write, b"\xfe", response=False)
    await settle()
    assert received == []
    await backend.write_gatt_descriptor(cccd, b"\x01\x00")
    await backend.write_gatt_char(write, b"\xfe", response=False)
    await settle()
    assert received == [b"\xfe\x04"]
    with pytest.raises(BleakError, match="no descriptor with handle 9999"):
        await backend.read_gatt_descriptor(9999)
    await backend.disconnect()


async def test_only_cccds_are_writable(toy: VirtualFurby) -> None:
    """Writing a descriptor that is not a CCCD fails."""
    backend, _ = await _connected_backend(toy)
    assert backend.services is not None
    char = backend.services.get_characteristic(gatt.GENERALPLUS_LISTEN)
    assert char is not None
    user_description = make_descriptor(999, "00002901-0000-1000-8000-00805f9b34fb", char)
    with pytest.raises(BleakError, match="is not writable"):
        await backend.write_gatt_descriptor(user_description, b"\x01\x00")
    await backend.disconnect()


async def test_identity_and_no_pairing(toy: VirtualFurby) -> None:
    """The backend names the toy, has MTU 23, and pairing and caching are no-ops."""
    backend, _ = await _connected_backend(toy)
    assert backend.mtu_size == 23
    assert backend.name == "Furby"
    assert await backend.pair() is True
    assert await backend.unpair() is True
    assert await backend.clear_cache() is True
    assert await backend.get_services() is backend.services
    await backend.disconnect()


async def test_operations_need_a_connection(toy: VirtualFurby) -> None:
    """Reads, writes and the service list fail with "Not connected" before and after a link."""
    backend = VirtualBleakClient(virtual_ble_device(toy))
    with pytest.raises(BleakError, match="Not connected"):
        await backend.get_services()
    with pytest.raises(BleakError, match="Not connected"):
        await backend.read_gatt_char(gatt.MODEL_NUMBER)
    await backend.connect()
    assert backend.services is not None
    char = backend.services.get_characteristic(gatt.MODEL_NUMBER)
    assert char is not None
    await backend.disconnect()
    with pytest.raises(BleakError, match="Not connected"):
        await backend.read_gatt_char(char)
    with pytest.raises(BleakError, match="Not connected"):
        await backend.write_gatt_char(char, b"", response=False)


async def test_connect_twice_is_harmless(host: Host, toy: VirtualFurby) -> None:
    """Connecting an already connected client changes nothing."""
    await host.client.connect()
    assert toy.connect_count == 1


async def test_one_central_at_a_time(host: Host, toy: VirtualFurby) -> None:
    """A second central is refused until the first disconnects (§8)."""
    second = virtual_bleak_client(toy)
    with pytest.raises(BleakError, match="connected to another central"):
        await second.connect()
    await host.client.disconnect()
    await second.connect()
    assert second.is_connected
    await second.disconnect()


async def test_disconnect_runs_the_callback_once(host: Host, toy: VirtualFurby) -> None:
    """A requested disconnect runs the callback once, like BlueZ."""
    await host.client.disconnect()
    assert host.disconnects == 1
    assert not toy.is_connected
    await host.client.disconnect()
    assert host.disconnects == 1
    assert toy.disconnect_count == 1


async def test_unsolicited_drop_runs_the_callback_from_the_loop(
    host: Host, toy: VirtualFurby
) -> None:
    """A drop by the toy reaches the callback from the event loop, once."""
    toy.drop_connection()
    assert host.disconnects == 0  # not from inside the toy's code
    await settle()
    assert host.disconnects == 1
    assert not host.client.is_connected


async def test_reconnect_after_a_drop(host: Host, toy: VirtualFurby) -> None:
    """The same client reconnects after a drop and works."""
    toy.drop_connection()
    await settle()
    await host.connect()
    assert [r.hex() for r in await host.gp_exchange("fe")] == ["fe04"]
    assert toy.connect_count == 2


async def test_resolver_backend(toy: VirtualFurby) -> None:
    """A backend can find its toy through a resolver (how the HA proxy does it)."""
    known = {toy.address: toy}
    backend = VirtualBleakClient(toy.address.lower(), resolver=lambda a: known.get(a.upper()))
    await backend.connect()
    assert backend.is_connected
    assert backend.furby is toy
    await backend.disconnect()
    missing = VirtualBleakClient("00:11:22:33:44:55", resolver=known.get)
    with pytest.raises(BleakDeviceNotFoundError):
        await missing.connect()
    with pytest.raises(BleakDeviceNotFoundError):
        await VirtualBleakClient("00:11:22:33:44:55").connect()
    assert VirtualBleakClient("00:11:22:33:44:55").name == "00:11:22:33:44:55"


async def test_ble_device_carries_the_toy(toy: VirtualFurby) -> None:
    """virtual_ble_device carries the toy, so a backend built from it finds it."""
    device = virtual_ble_device(toy)
    assert (device.address, device.name) == (toy.address, "Furby")
    backend = VirtualBleakClient(device)
    assert backend.furby is toy


async def test_async_notification_callbacks_are_supported(host: Host) -> None:
    """Coroutine notification callbacks work as bleak allows."""
    received: asyncio.Queue[bytes] = asyncio.Queue()

    async def on_nordic(_char: object, data: bytearray) -> None:
        received.put_nowait(bytes(data))

    await host.client.start_notify(gatt.NORDIC_LISTEN, on_nordic)
    await host.send(gatt.NORDIC_WRITE, "0412ff")
    assert await asyncio.wait_for(received.get(), 1) == b"\x04\xed\x00"


def test_module_does_not_replace_bleak() -> None:
    """Importing the backend leaves bleak's BleakClient alone."""
    assert bleak.BleakClient is not VirtualBleakClient


def test_drop_outside_the_event_loop_reports_at_once() -> None:
    """A drop from synchronous code (teardown) calls the callback at once."""
    toy = VirtualFurby(
        clock=ManualClock(), radio=RadioModel.instant(), intake=IntakeModel.instant()
    )
    calls: list[str] = []

    async def connect() -> bleak.BleakClient:
        client = virtual_bleak_client(toy, disconnected_callback=lambda _c: calls.append("down"))
        await client.connect()
        return client

    client = run_in_virtual_time(connect())
    toy.close()
    assert calls == ["down"]
    assert not client.is_connected
