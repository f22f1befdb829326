"""The toy's replies to NordicWrite commands (docs/protocol.md §3.3, from bluefluff)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from .toy import VirtualFurby

NORDIC_FIRMWARE_VERSION: Final = b"\x01\x19\x00\x00\x00"
"""``01`` answer on Jeija's unit."""


def handle_nordic(furby: VirtualFurby, data: bytes) -> None:
    """Act on one NordicWrite packet; unknown or malformed commands are ignored."""
    if not data:
        return
    opcode = data[0]
    if opcode == 0x01:
        furby.notify_nordic(NORDIC_FIRMWARE_VERSION)
    elif opcode == 0x03:
        furby.notify_nordic(b"\x03\x00")
    elif opcode == 0x04 and len(data) >= 3:
        furby.notify_nordic(bytes([0x04, data[1] ^ 0xFF, data[2] ^ 0xFF]))
    elif opcode == 0x06:
        furby.notify_nordic(b"\x06\x00\x00\x00\x00")
    elif opcode == 0x07:
        furby.drop_connection()
    elif opcode == 0x08:
        furby.notify_nordic(b"\x08")
    elif opcode == 0x09 and len(data) >= 2:
        furby.packet_acks = data[1] != 0
    elif opcode == 0x0E:
        furby.notify_nordic(b"\x0e\x0c\x00")
