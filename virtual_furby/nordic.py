"""The toy's answers to NordicWrite commands (docs/protocol.md §3.3, bluefluff's nordic.md)."""

from __future__ import annotations

from typing import Final

from .state import CommandContext

NORDIC_FIRMWARE_VERSION: Final = b"\x01\x19\x00\x00\x00"
"""``01`` answer on Jeija's unit."""


def handle_nordic(ctx: CommandContext, data: bytes) -> None:
    """Act on one NordicWrite packet; unknown or malformed commands are ignored."""
    if not data:
        return
    opcode = data[0]
    notify = ctx.notifier.notify_nordic
    if opcode == 0x01:
        notify(NORDIC_FIRMWARE_VERSION)
    elif opcode == 0x03:
        notify(b"\x03\x00")
    elif opcode == 0x04 and len(data) >= 3:
        notify(bytes([0x04, data[1] ^ 0xFF, data[2] ^ 0xFF]))
    elif opcode == 0x06:
        notify(b"\x06\x00\x00\x00\x00")
    elif opcode == 0x07:
        ctx.control.drop_connection()
    elif opcode == 0x08:
        notify(b"\x08")
    elif opcode == 0x09 and len(data) >= 2:
        ctx.transfer.acks.enabled = data[1] != 0
    elif opcode == 0x0E:
        notify(b"\x0e\x0c\x00")
