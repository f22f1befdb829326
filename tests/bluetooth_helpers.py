"""Minimal stand-ins for HA core's tests.components.bluetooth helpers, which phcc does not ship."""

from __future__ import annotations

import inspect
import time
from typing import Any, cast

from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData
from homeassistant.components.bluetooth import (
    SOURCE_LOCAL,
    BluetoothServiceInfoBleak,
    async_get_advertisement_callback,
)
from homeassistant.core import HomeAssistant

_BLE_DEVICE_TAKES_RSSI = "rssi" in inspect.signature(BLEDevice.__init__).parameters


def generate_ble_device(address: str, name: str | None, rssi: int = -60) -> BLEDevice:
    """Build a BLEDevice on bleak 0.22 (rssi required) and 3.x (no rssi)."""
    device_class: Any = BLEDevice
    if _BLE_DEVICE_TAKES_RSSI:
        return cast(BLEDevice, device_class(address, name, {}, rssi))
    return cast(BLEDevice, device_class(address, name, {}))


def generate_advertisement_data(**kwargs: Any) -> AdvertisementData:
    """Build AdvertisementData with defaults for every field."""
    defaults: dict[str, Any] = {
        "local_name": None,
        "manufacturer_data": {},
        "service_data": {},
        "service_uuids": [],
        "rssi": -60,
        "platform_data": (),
        "tx_power": -127,
    }
    defaults.update(kwargs)
    return AdvertisementData(**defaults)


def inject_advertisement(
    hass: HomeAssistant, address: str, name: str, service_uuids: list[str] | None = None
) -> BluetoothServiceInfoBleak:
    """Feed one connectable advertisement into Home Assistant's bluetooth manager."""
    adv = generate_advertisement_data(local_name=name, service_uuids=service_uuids or [])
    info = BluetoothServiceInfoBleak(
        name=name,
        address=address,
        rssi=adv.rssi,
        manufacturer_data=adv.manufacturer_data,
        service_data=adv.service_data,
        service_uuids=adv.service_uuids,
        source=SOURCE_LOCAL,
        device=generate_ble_device(address, name),
        advertisement=adv,
        connectable=True,
        time=time.monotonic(),
        tx_power=-127,
    )
    async_get_advertisement_callback(hass)(info)
    return info
