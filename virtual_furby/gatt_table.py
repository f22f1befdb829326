"""The virtual Furby's GATT table (docs/protocol.md §2).

Properties follow bluefluff ``doc/bluetooth.md``; the three write characteristics
(GeneralPlusWrite, NordicWrite, FileWrite) accept both write and write-without-response, because
clients use both successfully (§2 notes). Device Information strings are not published anywhere,
so they are configurable; the defaults below are placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from custom_components.furby_connect.protocol import gatt

READ = "read"
WRITE = "write"
WRITE_NO_RESPONSE = "write-without-response"
NOTIFY = "notify"
INDICATE = "indicate"

DEFAULT_DEVICE_INFO: Final[Mapping[str, str]] = MappingProxyType(
    {
        "manufacturer": "Hasbro",
        "model": "Furby Connect",
        "serial_number": "0000000001",
        "hardware_version": "1.0",
        "firmware_version": "1.0.0",
        "software_version": "1.0.0",
    }
)
"""Placeholder Device Information strings, keyed like ``gatt.DEVICE_INFORMATION_FIELDS``."""


@dataclass(slots=True)
class VirtualCharacteristic:
    """One characteristic: its properties and its current value."""

    uuid: str
    properties: tuple[str, ...]
    value: bytes = b""

    def supports(self, prop: str) -> bool:
        """Return True when the characteristic has property ``prop``."""
        return prop in self.properties

    @property
    def can_notify(self) -> bool:
        """True for characteristics with notify or indicate (they get a CCCD)."""
        return NOTIFY in self.properties or INDICATE in self.properties


@dataclass(frozen=True, slots=True)
class VirtualService:
    """One primary service and its characteristics, in handle order."""

    uuid: str
    characteristics: tuple[VirtualCharacteristic, ...] = field(default=())


def _char(uuid: str, *props: str, value: bytes = b"") -> VirtualCharacteristic:
    return VirtualCharacteristic(uuid, tuple(props), value)


def _device_information(device_info: Mapping[str, str] | None) -> dict[str, str]:
    values = dict(DEFAULT_DEVICE_INFO)
    for key, value in (device_info or {}).items():
        if key not in gatt.DEVICE_INFORMATION_FIELDS:
            known = ", ".join(sorted(gatt.DEVICE_INFORMATION_FIELDS))
            raise ValueError(f"unknown device_info field {key!r}; known fields: {known}")
        values[key] = value
    return values


class GattTable:
    """The services a central discovers on the toy, with live characteristic values."""

    def __init__(self, device_info: Mapping[str, str] | None = None) -> None:
        """Build the table; ``device_info`` overrides Device Information strings by field name."""
        info = _device_information(device_info)
        dis = tuple(
            _char(uuid, READ, value=info[name].encode())
            for name, uuid in gatt.DEVICE_INFORMATION_FIELDS.items()
        )
        self.services: tuple[VirtualService, ...] = (
            VirtualService(
                gatt.GENERIC_ACCESS_SERVICE,
                (
                    _char(gatt.DEVICE_NAME, READ, WRITE, value=gatt.LOCAL_NAME.encode()),
                    _char(gatt.APPEARANCE, READ, value=b"\x00\x00"),
                    # 15-30 ms interval, no latency, 4 s supervision timeout (units: 1.25/10 ms).
                    _char(
                        gatt.PREFERRED_CONNECTION_PARAMETERS,
                        READ,
                        value=bytes.fromhex("0c00180000009001"),
                    ),
                ),
            ),
            VirtualService(
                gatt.GENERIC_ATTRIBUTE_SERVICE, (_char(gatt.SERVICE_CHANGED, INDICATE),)
            ),
            VirtualService(gatt.DEVICE_INFORMATION_SERVICE, dis),
            VirtualService(
                gatt.DFU_SERVICE,
                (
                    _char(gatt.DFU_PACKET, WRITE_NO_RESPONSE),
                    _char(gatt.DFU_CONTROL_POINT, WRITE, NOTIFY),
                    _char(gatt.DFU_VERSION, READ, value=b"\x01\x00"),
                ),
            ),
            VirtualService(
                gatt.FLUFF_SERVICE,
                (
                    _char(gatt.GENERALPLUS_LISTEN, READ, NOTIFY),
                    _char(gatt.GENERALPLUS_WRITE, READ, WRITE, WRITE_NO_RESPONSE),
                    _char(gatt.NORDIC_LISTEN, READ, NOTIFY),
                    _char(gatt.NORDIC_WRITE, READ, WRITE, WRITE_NO_RESPONSE),
                    _char(gatt.F2F_LISTEN, READ, NOTIFY),
                    _char(gatt.F2F_WRITE, READ, WRITE),
                    _char(gatt.RSSI_LISTEN, READ, NOTIFY),
                    _char(gatt.FILE_WRITE, READ, WRITE, WRITE_NO_RESPONSE),
                ),
            ),
        )
        self._by_uuid = {c.uuid: c for s in self.services for c in s.characteristics}

    def characteristic(self, uuid: str) -> VirtualCharacteristic:
        """Return the characteristic with ``uuid`` (canonical lowercase form); KeyError if none."""
        return self._by_uuid[uuid.lower()]

    def __contains__(self, uuid: object) -> bool:
        """Return True when the table has a characteristic ``uuid``."""
        return isinstance(uuid, str) and uuid.lower() in self._by_uuid
