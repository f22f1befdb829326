"""The toy's sensors and the ``21`` packet that reports them (docs/protocol.md §4.5).

Bit map (FurBLE ``decodeFurbyState``; byte 0 is the ``21``): byte 1 antenna left ``0x02`` /
right ``0x01``; byte 2 antenna forward ``0x40`` / back ``0x80`` (both = pushed down), tickle
back ``0x01``, tummy ``0x02``, right side ``0x04``, left side ``0x08``, tail ``0x10``, tongue
``0x20``; byte 4 orientation. Bytes 3, 5, 6 and 7 are not decoded by anyone and stay 0.
"""

from __future__ import annotations

from typing import Final

SENSOR_PACKET_ID: Final = 0x21

INTERACTION_BITS: Final[dict[str, tuple[int, int]]] = {
    "antenna_left": (1, 0x02),
    "antenna_right": (1, 0x01),
    "antenna_forward": (2, 0x40),
    "antenna_back": (2, 0x80),
    "antenna_down": (2, 0xC0),
    "tickle_back": (2, 0x01),
    "tickle_tummy": (2, 0x02),
    "tickle_right": (2, 0x04),
    "tickle_left": (2, 0x08),
    "tail_pull": (2, 0x10),
    "tongue": (2, 0x20),
}
"""Interaction name -> (byte index, bits) in the ``21`` packet."""

ORIENTATION_BITS: Final[dict[str, int]] = {
    "upright": 0x01,
    "upside_down": 0x02,
    "on_right_side": 0x04,
    "on_left_side": 0x08,
    "leaning_back": 0x20,
    "tilted_right": 0x40,
    "tilted_left": 0x80,
}
"""Orientation name -> byte 4 of the ``21`` packet."""


def check_interaction(name: str) -> str:
    """Return ``name`` when it is a known interaction; raise ValueError naming the choices."""
    if name not in INTERACTION_BITS:
        raise ValueError(
            f"unknown interaction {name!r}; known: {', '.join(sorted(INTERACTION_BITS))}"
        )
    return name


def check_orientation(name: str | None) -> str | None:
    """Return ``name`` when it is a known orientation or None; raise ValueError otherwise."""
    if name is not None and name not in ORIENTATION_BITS:
        raise ValueError(
            f"unknown orientation {name!r}; known: {', '.join(sorted(ORIENTATION_BITS))}"
        )
    return name


def encode_sensor_packet(pressed: frozenset[str], orientation: str | None) -> bytes:
    """Return the 8-byte ``21`` packet for the pressed interactions and orientation."""
    packet = bytearray(8)
    packet[0] = SENSOR_PACKET_ID
    for name in pressed:
        index, bits = INTERACTION_BITS[name]
        packet[index] |= bits
    if orientation is not None:
        packet[4] = ORIENTATION_BITS[orientation]
    return bytes(packet)
