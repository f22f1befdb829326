"""GATT map of the Furby Connect (docs/protocol.md §1, §2).

UUIDs are in bleak's canonical 128-bit lowercase dashed form.
"""

from __future__ import annotations

from typing import Final

LOCAL_NAME: Final = "Furby"
"""Advertised local name (§1), compared exactly by every known client."""


def _sig(short: str) -> str:
    """Expand a 16-bit Bluetooth SIG UUID to its 128-bit form."""
    return f"0000{short}-0000-1000-8000-00805f9b34fb"


def _fluff(short: str) -> str:
    """Expand a Fluff-service short id (``dab9xxxx``) to the full vendor UUID."""
    return f"{short}-b5a1-e29c-b041-bcd562613bde"


# Generic Access and Generic Attribute (§2).
GENERIC_ACCESS_SERVICE: Final = _sig("1800")
DEVICE_NAME: Final = _sig("2a00")
APPEARANCE: Final = _sig("2a01")
PREFERRED_CONNECTION_PARAMETERS: Final = _sig("2a04")
GENERIC_ATTRIBUTE_SERVICE: Final = _sig("1801")
SERVICE_CHANGED: Final = _sig("2a05")

# Device Information (§2): six strings, values unpublished.
DEVICE_INFORMATION_SERVICE: Final = _sig("180a")
MANUFACTURER_NAME: Final = _sig("2a29")
MODEL_NUMBER: Final = _sig("2a24")
SERIAL_NUMBER: Final = _sig("2a25")
HARDWARE_REVISION: Final = _sig("2a27")
FIRMWARE_REVISION: Final = _sig("2a26")
SOFTWARE_REVISION: Final = _sig("2a28")

DEVICE_INFORMATION_FIELDS: Final[dict[str, str]] = {
    "manufacturer": MANUFACTURER_NAME,
    "model": MODEL_NUMBER,
    "serial_number": SERIAL_NUMBER,
    "hardware_version": HARDWARE_REVISION,
    "firmware_version": FIRMWARE_REVISION,
    "software_version": SOFTWARE_REVISION,
}
"""Device Information characteristics by the field name the client reports them under."""

# Nordic legacy DFU (§2; bluefluff's doc has a typo in the control point UUID).
DFU_SERVICE: Final = "00001530-1212-efde-1523-785feabcd123"
DFU_PACKET: Final = "00001532-1212-efde-1523-785feabcd123"
DFU_CONTROL_POINT: Final = "00001531-1212-efde-1523-785feabcd123"
DFU_VERSION: Final = "00001534-1212-efde-1523-785feabcd123"

# The Fluff service (§2).
FLUFF_SERVICE: Final = _fluff("dab91435")
GENERALPLUS_LISTEN: Final = _fluff("dab91382")
GENERALPLUS_WRITE: Final = _fluff("dab91383")
NORDIC_LISTEN: Final = _fluff("dab90756")
NORDIC_WRITE: Final = _fluff("dab90757")
F2F_LISTEN: Final = _fluff("dab91440")
F2F_WRITE: Final = _fluff("dab91441")
RSSI_LISTEN: Final = _fluff("dab90755")
FILE_WRITE: Final = _fluff("dab90758")

LISTEN_CHARACTERISTICS: Final = (GENERALPLUS_LISTEN, NORDIC_LISTEN)
"""The two characteristics a client subscribes to (§5.2 step 1)."""

MAX_WRITE_SIZE: Final = 20
"""Largest write any client sends; the ATT MTU is never negotiated above 23 (§2, §8)."""
