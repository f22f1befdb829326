"""The ``21`` sensor packet's bit map: touches, antenna and orientation (docs/protocol.md §4.5).

Byte 0 is the id ``21``; byte 1 holds the antenna's left/right bits, byte 2 the touch sensors and
the antenna's forward/back bits (both together: pushed down), byte 4 the orientation. Bytes 3, 5,
6 and 7 are decoded by nobody. ``notifications.decode_generalplus`` uses the decoder here; the
encoder lets the virtual Furby build the packets it sends.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Final

SENSOR_PACKET_ID: Final = 0x21
"""First byte of a sensor packet (§4.1)."""

SENSOR_PACKET_LENGTH: Final = 8
"""``21`` plus 7 payload bytes (§4.5)."""


class Orientation(StrEnum):
    """Byte 4 of the sensor packet (§4.5)."""

    UPRIGHT = "upright"
    UPSIDE_DOWN = "upside_down"
    ON_LEFT_SIDE = "on_left_side"
    ON_RIGHT_SIDE = "on_right_side"
    LEANING_BACK = "leaning_back"
    TILTED_LEFT = "tilted_left"
    TILTED_RIGHT = "tilted_right"


class Interaction(StrEnum):
    """A touch sensor or antenna direction reported by the sensor packet (§4.5)."""

    TONGUE = "tongue"
    TICKLE_BACK = "tickle_back"
    TICKLE_TUMMY = "tickle_tummy"
    TICKLE_LEFT = "tickle_left"
    TICKLE_RIGHT = "tickle_right"
    TAIL_PULL = "tail_pull"
    ANTENNA_LEFT = "antenna_left"
    ANTENNA_RIGHT = "antenna_right"
    ANTENNA_FORWARD = "antenna_forward"
    ANTENNA_BACK = "antenna_back"
    ANTENNA_DOWN = "antenna_down"


_BYTE1_FLAGS: Final = ((0x02, Interaction.ANTENNA_LEFT), (0x01, Interaction.ANTENNA_RIGHT))
_BYTE2_FLAGS: Final = (
    (0x01, Interaction.TICKLE_BACK),
    (0x02, Interaction.TICKLE_TUMMY),
    (0x04, Interaction.TICKLE_RIGHT),
    (0x08, Interaction.TICKLE_LEFT),
    (0x10, Interaction.TAIL_PULL),
    (0x20, Interaction.TONGUE),
)
_ANTENNA_BITS: Final = {
    0x40: Interaction.ANTENNA_FORWARD,
    0x80: Interaction.ANTENNA_BACK,
    0xC0: Interaction.ANTENNA_DOWN,
}
_ANTENNA_MASK: Final = 0xC0
_ORIENTATIONS: Final = {
    0x01: Orientation.UPRIGHT,
    0x02: Orientation.UPSIDE_DOWN,
    0x04: Orientation.ON_RIGHT_SIDE,
    0x08: Orientation.ON_LEFT_SIDE,
    0x20: Orientation.LEANING_BACK,
    0x40: Orientation.TILTED_RIGHT,
    0x80: Orientation.TILTED_LEFT,
}
_ORIENTATION_MASK: Final = sum(_ORIENTATIONS)
_ORIENTATION_BITS: Final = {value: bit for bit, value in _ORIENTATIONS.items()}
_INTERACTION_BITS: Final = {value: bit for bit, value in _ANTENNA_BITS.items()}


def decode_sensor_bits(raw: bytes) -> tuple[frozenset[Interaction], Orientation | None]:
    """Return what is touched and how the Furby lies, from a packet of at least 5 bytes.

    ``0xC0`` in byte 2 means the antenna is pushed down, not forward and back at once. The
    unnamed orientation bit 0x10 is ignored. When several named orientation bits are set, the
    lowest one wins, as in FurBLE's ``decodeFurbyState`` (docs/protocol.md §4.5), so such a packet
    still reports one defined orientation; no named bit gives ``None``.
    """
    active = {flag for bit, flag in _BYTE1_FLAGS if raw[1] & bit}
    active |= {flag for bit, flag in _BYTE2_FLAGS if raw[2] & bit}
    antenna = _ANTENNA_BITS.get(raw[2] & _ANTENNA_MASK)
    if antenna is not None:
        active.add(antenna)
    bits = raw[4] & _ORIENTATION_MASK
    return frozenset(active), _ORIENTATIONS.get(bits & -bits)  # lowest set bit


def sensor_packet(active: Iterable[Interaction], orientation: Orientation | None) -> bytes:
    """Encode a ``21`` sensor packet, the inverse of ``decode_sensor_bits``.

    ``antenna_forward``, ``antenna_back`` and ``antenna_down`` exclude each other (forward and
    back together would read back as down), so combining them raises ``ValueError``.
    """
    flags = set(active)
    unknown = [flag for flag in flags if not isinstance(flag, Interaction)]
    if unknown:
        raise TypeError(f"active must hold Interaction values, got {unknown!r}")
    if orientation is not None and not isinstance(orientation, Orientation):
        raise TypeError(f"orientation must be an Orientation, got {orientation!r}")
    antenna = sorted(flags & set(_INTERACTION_BITS))
    if len(antenna) > 1:
        raise ValueError(
            f"antenna_forward, antenna_back and antenna_down exclude each other, got {antenna}"
        )
    byte1 = sum(bit for bit, flag in _BYTE1_FLAGS if flag in flags)
    byte2 = sum(bit for bit, flag in _BYTE2_FLAGS if flag in flags)
    byte2 |= _INTERACTION_BITS[antenna[0]] if antenna else 0
    byte4 = 0 if orientation is None else _ORIENTATION_BITS[orientation]
    return bytes([SENSOR_PACKET_ID, byte1, byte2, 0, byte4, 0, 0, 0])
