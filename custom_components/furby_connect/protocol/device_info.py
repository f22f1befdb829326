"""Read the Furby's Device Information service (docs/protocol.md §2).

The six strings are read in parallel, each with its own timeout. A field whose read fails (a
bleak error, a timeout, bytes that are not UTF-8) is reported as ``None`` instead of failing the
whole read: the values are unpublished (§2), so nothing depends on any one of them.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from bleak import BleakClient
from bleak.exc import BleakError

from .gatt import DEVICE_INFORMATION_FIELDS

_LOGGER = logging.getLogger(__name__)

READ_ERRORS = (BleakError, TimeoutError, OSError, EOFError)
"""What a GATT read can raise when the characteristic or the link misbehaves."""


@dataclass(frozen=True, slots=True)
class DeviceInformation:
    """The Device Information strings (§2); ``None`` where a read failed or was empty."""

    manufacturer: str | None = None
    model: str | None = None
    serial_number: str | None = None
    hardware_version: str | None = None
    firmware_version: str | None = None
    software_version: str | None = None


def decode_device_string(data: bytes | bytearray) -> str | None:
    """Decode one Device Information value: UTF-8 with NULs and blanks stripped at both ends.

    Returns ``None`` for bytes that are not UTF-8 and for a value that is empty once stripped.
    """
    try:
        text = bytes(data).strip(b"\x00").decode("utf-8").strip()
    except UnicodeDecodeError:
        return None
    return text or None


async def _read_field(client: BleakClient, name: str, uuid: str, seconds: float) -> str | None:
    """Read and decode one characteristic, or return ``None`` if that fails."""
    try:
        async with asyncio.timeout(seconds):
            data = await client.read_gatt_char(uuid)
    except READ_ERRORS as err:
        _LOGGER.debug("Reading %s (%s) failed: %r", name, uuid, err)
        return None
    value = decode_device_string(data)
    if value is None:
        _LOGGER.debug("%s (%s) is empty or not UTF-8: %r", name, uuid, bytes(data))
    return value


async def read_device_information(client: BleakClient, *, per_read: float) -> DeviceInformation:
    """Read all six Device Information fields at once (``asyncio.gather``).

    Each read gets ``per_read`` seconds; one that fails or times out leaves its field ``None``.
    """
    if per_read <= 0:
        raise ValueError(f"timeout must be positive, got {per_read}")
    names = list(DEVICE_INFORMATION_FIELDS)
    values = await asyncio.gather(
        *(_read_field(client, name, DEVICE_INFORMATION_FIELDS[name], per_read) for name in names)
    )
    return DeviceInformation(**dict(zip(names, values, strict=True)))
