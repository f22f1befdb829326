"""Bleak connect and disconnect as both the connection and the config flow's test need them.

Connections go through ``bleak_retry_connector.establish_connection`` with the client class
looked up at call time (``bleak_retry_connector.BleakClientWithServiceCache``): Home Assistant
swaps that attribute for its proxy-aware wrapper when bluetooth starts, so a class bound at
import time could miss the swap (docs/architecture.md, "Connecting").
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import bleak_retry_connector
from bleak import BleakClient
from bleak.backends.device import BLEDevice
from bleak.exc import BleakError
from homeassistant.components import bluetooth
from homeassistant.core import HomeAssistant

from .const import CONNECT_MAX_ATTEMPTS
from .protocol.client import FurbyClient
from .protocol.device_info import DeviceInformation
from .protocol.errors import FurbyConnectionError, FurbyError

_LOGGER = logging.getLogger(__name__)

CONNECT_ERRORS = (BleakError, FurbyError, TimeoutError, OSError, EOFError)
"""What a failed connect can raise (bleak-retry-connector's errors are ``BleakError``)."""

DISCONNECT_TIMEOUT = 10.0
"""Seconds a deliberate disconnect may take before it is abandoned."""


class FurbyUnreachableError(FurbyConnectionError):
    """No connection to the Furby could be made in time; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        """Keep the reason of the last failure for the user-facing message."""
        super().__init__(f"The Furby is not connected: {reason}")
        self.reason = reason


async def async_connect(
    device: BLEDevice,
    *,
    disconnected_callback: Callable[[BleakClient], None] | None = None,
    ble_device_callback: Callable[[], BLEDevice] | None = None,
) -> BleakClient:
    """Connect to ``device`` (retrying a few times) and return the connected client."""
    return await bleak_retry_connector.establish_connection(
        bleak_retry_connector.BleakClientWithServiceCache,
        device,
        device.name or device.address,
        disconnected_callback=disconnected_callback,
        max_attempts=CONNECT_MAX_ATTEMPTS,
        ble_device_callback=ble_device_callback,
    )


async def async_disconnect(client: BleakClient) -> None:
    """Disconnect, ignoring link errors and giving up after ``DISCONNECT_TIMEOUT`` s."""
    try:
        async with asyncio.timeout(DISCONNECT_TIMEOUT):
            await client.disconnect()
    except CONNECT_ERRORS as err:
        _LOGGER.debug("%s: disconnect failed: %r", client.address, err)


async def async_read_device_information(
    hass: HomeAssistant, address: str, *, read_timeout: float
) -> DeviceInformation:
    """Connect once, read the Device Information and disconnect (the config flow's test).

    Raises ``FurbyUnreachableError`` when the toy is not advertising, and the errors of
    ``CONNECT_ERRORS`` when connecting or reading fails.
    """
    device = bluetooth.async_ble_device_from_address(hass, address, True)
    if device is None:
        raise FurbyUnreachableError("it is not advertising")
    client = await async_connect(device)
    try:
        return await FurbyClient(client).read_device_information(timeout=read_timeout)
    finally:
        await async_disconnect(client)
