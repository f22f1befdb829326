"""The virtual proxy attaches toys to Home Assistant's real bluetooth stack (both HA versions)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import bleak_retry_connector
import pytest
from bleak.exc import BleakError
from bleak_retry_connector import BleakClientWithServiceCache
from homeassistant.components import bluetooth
from homeassistant.config_entries import SOURCE_BLUETOOTH
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.furby_connect.const import DOMAIN
from custom_components.furby_connect.protocol import gatt
from tests.virtual_furby_fixtures import FurbyFactory
from virtual_furby.clock import ManualClock
from virtual_furby.ha_proxy import DEFAULT_PROXY_SOURCE, VirtualProxy, async_attach_virtual_proxy
from virtual_furby.intake import IntakeModel
from virtual_furby.radio import RadioModel
from virtual_furby.toy import VirtualFurby

OTHER = "F1:23:45:67:89:AC"


async def _connect(
    hass: HomeAssistant,
    furby: VirtualFurby,
    disconnected_callback: Callable[[BleakClientWithServiceCache], None] | None = None,
) -> BleakClientWithServiceCache:
    device = bluetooth.async_ble_device_from_address(hass, furby.address, connectable=True)
    assert device is not None
    # Looked up at call time: HA swaps the class in when bluetooth starts
    # (docs/home_assistant.md §7.1).
    return await bleak_retry_connector.establish_connection(
        bleak_retry_connector.BleakClientWithServiceCache,
        device,
        device.name or "",
        disconnected_callback=disconnected_callback,
    )


async def test_device_is_found_through_the_proxy(
    hass: HomeAssistant, furby: VirtualFurby, virtual_proxy: VirtualProxy
) -> None:
    """Home Assistant sees the toy through the proxy as a connectable device."""
    device = bluetooth.async_ble_device_from_address(hass, furby.address, connectable=True)
    assert device is not None
    assert device.name == "Furby"
    assert device.details["source"] == DEFAULT_PROXY_SOURCE
    info = bluetooth.async_last_service_info(hass, furby.address, connectable=True)
    assert info is not None
    assert info.service_uuids == [gatt.FLUFF_SERVICE]
    assert virtual_proxy.furbies == [furby]


async def test_advertisement_starts_the_integrations_discovery(
    hass: HomeAssistant, furby: VirtualFurby
) -> None:
    """The toy's advertisement starts the integration's discovery flow."""
    await hass.async_block_till_done(wait_background_tasks=True)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_BLUETOOTH]
    assert flows[0]["context"]["unique_id"] == furby.address


async def test_establish_connection_reads_writes_and_notifies(
    hass: HomeAssistant, furby: VirtualFurby
) -> None:
    """establish_connection reaches the toy: reads, writes and notifications work."""
    client = await _connect(hass, furby)
    assert isinstance(client, bleak_retry_connector.BleakClientWithServiceCache)
    assert client.is_connected
    assert furby.is_connected
    assert await client.read_gatt_char(gatt.MANUFACTURER_NAME) == b"Hasbro"
    received: asyncio.Queue[bytes] = asyncio.Queue()
    await client.start_notify(
        gatt.GENERALPLUS_LISTEN, lambda _c, data: received.put_nowait(bytes(data))
    )
    assert await received.get() == bytes.fromhex("2100000001000000")  # snapshot on subscribe
    await client.write_gatt_char(gatt.GENERALPLUS_WRITE, b"\xfe", response=False)
    assert await received.get() == b"\xfe\x04"
    await client.write_gatt_char(gatt.GENERALPLUS_WRITE, bytes.fromhex("14102030"), response=True)
    assert furby.antenna == (0x10, 0x20, 0x30)
    await client.disconnect()
    assert not furby.is_connected


async def test_unsolicited_drop_reaches_the_disconnected_callback(
    hass: HomeAssistant, furby: VirtualFurby
) -> None:
    """A drop by the toy reaches the disconnected callback through HA's wrapper."""
    dropped = asyncio.Event()
    client = await _connect(hass, furby, disconnected_callback=lambda _c: dropped.set())
    furby.drop_connection()
    await asyncio.wait_for(dropped.wait(), 1)
    assert not client.is_connected


async def test_toy_stops_advertising_while_connected_and_resumes_after(
    hass: HomeAssistant, furby: VirtualFurby, virtual_proxy: VirtualProxy
) -> None:
    """The toy is silent while connected and advertises again after."""
    client = await _connect(hass, furby)
    assert virtual_proxy.advertise_all() == 0
    await client.disconnect()
    assert virtual_proxy.advertise_all() == 1


async def test_readvertising_keeps_the_device_fresh(
    hass: HomeAssistant, furby: VirtualFurby, virtual_proxy: VirtualProxy
) -> None:
    """Re-advertising every 10 s keeps the device from going stale."""
    first = bluetooth.async_last_service_info(hass, furby.address, connectable=True)
    assert first is not None
    furby.rssi = -70
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=11))
    await hass.async_block_till_done()
    latest = bluetooth.async_last_service_info(hass, furby.address, connectable=True)
    assert latest is not None
    assert latest.rssi == -70


async def test_sleeping_toy_is_not_readvertised(
    hass: HomeAssistant, furby: VirtualFurby, virtual_proxy: VirtualProxy
) -> None:
    """A toy that stopped advertising is not re-advertised."""
    furby.faults.stop_advertising()
    assert virtual_proxy.advertise_all() == 0
    furby.faults.resume_advertising()
    assert virtual_proxy.advertise_all() == 1


async def test_two_toys_on_one_proxy(
    hass: HomeAssistant, furby: VirtualFurby, furby_factory: FurbyFactory
) -> None:
    """One proxy carries two toys, each reached at its own address."""
    other = furby_factory(OTHER)
    first = await _connect(hass, furby)
    second = await _connect(hass, other)
    assert furby.is_connected
    assert other.is_connected
    await first.disconnect()
    await second.disconnect()


async def test_refused_connection_raises_bleak_error(
    hass: HomeAssistant, furby: VirtualFurby
) -> None:
    """A connection the toy refuses fails as a bleak error through HA."""
    furby.faults.refuse_connections()
    device = bluetooth.async_ble_device_from_address(hass, furby.address, connectable=True)
    assert device is not None
    client = bleak_retry_connector.BleakClientWithServiceCache(device)
    with pytest.raises(BleakError, match="refused"):
        await client.connect()
    assert not furby.is_connected


async def test_attach_can_be_awaited_and_unloaded(hass: HomeAssistant) -> None:
    """The proxy attaches and detaches cleanly."""
    toy = VirtualFurby(
        OTHER, clock=ManualClock(), radio=RadioModel.instant(), intake=IntakeModel.instant()
    )
    before = bluetooth.async_scanner_count(hass, connectable=True)
    proxy = await async_attach_virtual_proxy(hass, toy, source="02:00:00:F0:0B:02", name="Second")
    device = bluetooth.async_ble_device_from_address(hass, OTHER, connectable=True)
    assert device is not None
    assert device.details["source"] == "02:00:00:F0:0B:02"
    assert bluetooth.async_scanner_count(hass, connectable=True) == before + 1
    await proxy.async_unload()
    proxy.cancel()  # idempotent
    assert proxy.scanner.advertise(toy)  # the scanner object still works, but HA no longer uses it
    assert bluetooth.async_scanner_count(hass, connectable=True) == before


async def test_added_toy_is_silent_until_advertised(
    hass: HomeAssistant, virtual_proxy: VirtualProxy
) -> None:
    """A toy added without advertising is unknown to Home Assistant."""
    toy = virtual_proxy.add(VirtualFurby(OTHER, clock=ManualClock()), advertise=False)
    assert bluetooth.async_ble_device_from_address(hass, OTHER) is None
    assert virtual_proxy.scanner.advertise(toy)
    assert bluetooth.async_ble_device_from_address(hass, OTHER) is not None
    virtual_proxy.scanner.remove_peripheral(toy)
    assert not virtual_proxy.scanner.advertise(toy)


async def test_non_connectable_proxy_offers_no_connection(hass: HomeAssistant) -> None:
    """A non-connectable proxy offers no connectable device."""
    toy = VirtualFurby(OTHER, clock=ManualClock())
    proxy = async_attach_virtual_proxy(hass, toy, source="02:00:00:F0:0B:03", connectable=False)
    assert bluetooth.async_ble_device_from_address(hass, OTHER, connectable=True) is None
    assert bluetooth.async_ble_device_from_address(hass, OTHER, connectable=False) is not None
    proxy.cancel()
