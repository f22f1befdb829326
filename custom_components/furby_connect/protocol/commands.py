"""Encoders for the commands a host sends to the Furby (docs/protocol.md §3, §5.1).

Every function returns the exact bytes to write; GeneralPlus commands go to
``gatt.GENERALPLUS_WRITE`` and Nordic commands to ``gatt.NORDIC_WRITE``. Out-of-range input raises
``ValueError`` naming the field and its range; a value of the wrong type (a float, a string, or a
bool where a number is expected) raises ``TypeError``.
"""

from __future__ import annotations

import re
from enum import IntEnum
from typing import Final

from .errors import FurbyInputError

NAME_ID_MAX: Final = 128
"""Highest name id the toy accepts (§7.3); 129 and up make it glitch or crash (§7.2 hazard)."""

SLOT_COUNT: Final = 14
"""DLC slots 0-13 (§4.4)."""

MAX_DLC_SIZE: Final = 2**24 - 1
"""Largest file the 24-bit size field of the announce can describe (§5.1, §6)."""

MOOD_MAX: Final = 100
"""Mood meters run from 0 to 100 (§3.1, §7.4)."""

DLC_FILENAME_LENGTH: Final = 12
"""The announce carries exactly 12 ASCII filename characters (§5.1)."""

SPEAKING_NAMES_INPUT: Final = 33
"""Action input 33 says a name; its ``specific`` is the name id (§7.1, §7.2)."""

ANNOUNCE_SLOT_BYTE: Final = 0x02
"""The byte after the size in ``50 …``: every working client sends 2 and the toy picks the slot."""


class GeneralPlusOpcode(IntEnum):
    """First byte of a GeneralPlusWrite command (§3.1)."""

    NOOP = 0x00
    TRIGGER_INPUT = 0x10
    TRIGGER_INDEX = 0x11
    TRIGGER_SUBINDEX = 0x12
    TRIGGER_SPECIFIC = 0x13
    ANTENNA = 0x14
    FURBY_MESSAGE = 0x20
    SET_NAME = 0x21
    ANNOUNCE_DLC = 0x50
    LOAD_SLOT = 0x60
    ACTIVATE_SLOT = 0x61
    DEACTIVATE_SLOT = 0x62
    GET_SLOTS = 0x72
    GET_SLOT_INFO = 0x73
    DELETE_SLOT = 0x74
    EYES = 0xCD
    DEBUG_SCREEN = 0xDB
    GROUP_ACTIVATION = 0xE0
    FIRMWARE_VERSION = 0xFE


class MessageRequest(IntEnum):
    """``20 MM`` requests with a documented effect (§3.2)."""

    DISCONNECT = 0x05
    KEEP_ALIVE = 0x06
    START_SENSOR_STREAM = 0x0D
    STOP_SENSOR_STREAM = 0x0E
    GET_LANGUAGE = 0x0F
    GET_FURBIES_MET = 0x10


class NordicOpcode(IntEnum):
    """First byte of a NordicWrite command (§3.3)."""

    FIRMWARE_VERSION = 0x01
    POWER_REPORT = 0x03
    COMM_TEST = 0x04
    TIMESTAMP = 0x06
    DISCONNECT = 0x07
    PACKET_ACKS = 0x09


class MoodMeter(IntEnum):
    """The ``TT`` byte of a mood command (§3.1)."""

    EXCITEDNESS = 0
    DISPLEASEDNESS = 1
    TIREDNESS = 2
    FULLNESS = 3
    WELLNESS = 4


class MoodOpcode(IntEnum):
    """The two disputed mood opcodes (§3.1, §12); 0x23 is the one every working client sends."""

    SET_MOOD_23 = 0x23
    SET_MOOD_24 = 0x24


def _int_field(field: str, value: object, low: int, high: int) -> int:
    """Return ``value`` if it is an int in ``[low, high]``; else raise, naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{field} must be an integer, got {type(value).__name__}")
    if not low <= value <= high:
        raise FurbyInputError(f"{field} must be between {low} and {high}, got {value}")
    return value


def _byte(field: str, value: object) -> int:
    """Validate one unsigned byte field (0-255)."""
    return _int_field(field, value, 0, 255)


def _bool_field(field: str, value: object) -> bool:
    """Return ``value`` if it is a bool, else raise ``TypeError`` naming ``field``."""
    if not isinstance(value, bool):
        raise TypeError(f"{field} must be a bool, got {type(value).__name__}")
    return value


def _slot(slot: object) -> int:
    """Validate a DLC slot number (§4.4)."""
    return _int_field("slot", slot, 0, SLOT_COUNT - 1)


def trigger_action(
    input: int,
    index: int | None = None,
    subindex: int | None = None,
    specific: int | None = None,
) -> bytes:
    """Trigger an action: ``10``/``11``/``12``/``13 00 II [XX [SS [PP]]]`` (§3.1, §7.1).

    With fewer fields the toy picks the rest at random. A later field without the earlier ones is
    refused, and so is a specific name id above ``NAME_ID_MAX`` under input 33, which crashes the
    toy (§7.2 hazard, bluefluff issue #29).
    """
    fields = [_byte("input", input)]
    later = (("index", index), ("subindex", subindex), ("specific", specific))
    missing: str | None = None
    for name, value in later:
        if value is None:
            missing = missing or name
            continue
        if missing is not None:
            raise FurbyInputError(f"{name} given without {missing}: fields must be given in order")
        fields.append(_byte(name, value))
    if len(fields) == 4 and fields[0] == SPEAKING_NAMES_INPUT and fields[3] > NAME_ID_MAX:
        raise FurbyInputError(
            f"specific must be between 0 and {NAME_ID_MAX} for input {SPEAKING_NAMES_INPUT} "
            f"(speaking names), got {fields[3]}: higher ids crash the toy"
        )
    opcode = GeneralPlusOpcode.TRIGGER_INPUT + len(fields) - 1
    return bytes([opcode, 0x00, *fields])


def set_antenna(red: int, green: int, blue: int) -> bytes:
    """Set the antenna LED colour: ``14 RR GG BB``; ``14 00 00 00`` is off (§3.1)."""
    return bytes(
        [GeneralPlusOpcode.ANTENNA, _byte("red", red), _byte("green", green), _byte("blue", blue)]
    )


def set_eyes(on: bool) -> bytes:
    """Switch the LCD eyes' backlight: ``cd 01`` on, ``cd 00`` off; replies ``20 17``/``20 18``."""
    return bytes([GeneralPlusOpcode.EYES, 1 if _bool_field("on", on) else 0])


def cycle_debug_screen() -> bytes:
    """Show the next of the seven LCD debug screens: ``db`` (§3.1)."""
    return bytes([GeneralPlusOpcode.DEBUG_SCREEN])


def noop() -> bytes:
    """Encode the one-byte ``00`` no-op some clients send every 3 s to keep the toy quiet (§8)."""
    return bytes([GeneralPlusOpcode.NOOP])


def set_name(name_id: int) -> bytes:
    """Set the Furby's name: ``21 NN`` with ``NN`` in 0-128 (§3.1, §7.3)."""
    return bytes([GeneralPlusOpcode.SET_NAME, _int_field("name_id", name_id, 0, NAME_ID_MAX)])


def say_name(name_id: int) -> bytes:
    """Make the Furby say a name: action ``13 00 21 00 00 NN`` (input 33, §3.1, §7.2)."""
    _int_field("name_id", name_id, 0, NAME_ID_MAX)
    return trigger_action(SPEAKING_NAMES_INPUT, 0, 0, name_id)


def set_mood(
    meter: MoodMeter | int,
    value: int,
    *,
    add: bool = False,
    opcode: MoodOpcode | int = MoodOpcode.SET_MOOD_23,
) -> bytes:
    """Set (``AA`` = 1) or raise (``AA`` = 0) a mood meter: ``23 AA TT VV`` or ``24 …`` (§3.1).

    ``value`` is the new level when setting and the amount added when ``add`` is true; both are
    0-100 (the meters' range, §7.4). Whether the toy accepts a negative delta is undocumented, so
    none is offered. The opcode conflict (§12) is left to the caller; 0x23 is the default.
    """
    if isinstance(meter, bool) or not isinstance(meter, int):
        raise TypeError(f"meter must be a MoodMeter, got {type(meter).__name__}")
    if meter not in set(MoodMeter):
        raise FurbyInputError(f"meter must be between 0 and {max(MoodMeter)}, got {meter}")
    if isinstance(opcode, bool) or not isinstance(opcode, int):
        raise TypeError(f"opcode must be a MoodOpcode, got {type(opcode).__name__}")
    if opcode not in set(MoodOpcode):
        raise FurbyInputError(f"opcode must be 0x23 or 0x24, got {opcode:#04x}")
    amount = _int_field("value", value, 0, MOOD_MAX)
    return bytes([opcode, 0 if _bool_field("add", add) else 1, meter, amount])


def furby_message(code: int) -> bytes:
    """Send a FurbyMessage request ``20 MM`` (§3.2)."""
    return bytes([GeneralPlusOpcode.FURBY_MESSAGE, _byte("code", code)])


def keep_alive() -> bytes:
    """Encode the official app's keep-alive ``20 06``; the toy answers ImHere ``22 …`` (§3.2)."""
    return furby_message(MessageRequest.KEEP_ALIVE)


def get_language() -> bytes:
    """Ask for the language: ``20 0f`` → ``25 LL`` (§3.2, §4.1)."""
    return furby_message(MessageRequest.GET_LANGUAGE)


def start_sensor_stream() -> bytes:
    """Start the continuous sensor stream of ``21 …`` packets: ``20 0d`` (§3.2, §4.5)."""
    return furby_message(MessageRequest.START_SENSOR_STREAM)


def stop_sensor_stream() -> bytes:
    """Stop the sensor stream: ``20 0e`` (§3.2)."""
    return furby_message(MessageRequest.STOP_SENSOR_STREAM)


def get_firmware_version() -> bytes:
    """Ask the GeneralPlus firmware version: ``fe`` → ``fe VV`` (§3.1)."""
    return bytes([GeneralPlusOpcode.FIRMWARE_VERSION])


def set_group_active(active: bool) -> bytes:
    """Group activation ``e0 00 00 00 01``; ``…00`` makes actions fail with ``20 19`` (§3.1)."""
    return bytes([GeneralPlusOpcode.GROUP_ACTIVATION, 0, 0, 0, int(_bool_field("active", active))])


def dlc_filename(name: str) -> str:
    r"""Derive the 12-character announce filename from a file name (§5.1).

    Like FurBLE: keep the part after the last ``/`` (or ``\\``), upper-case it and left-pad it with
    ``_`` to 12 characters, so ``chilli.dlc`` becomes ``__CHILLI.DLC``. Names longer than 12
    characters, empty names and anything but printable ASCII without spaces are refused.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if not base:
        raise FurbyInputError("name must not be empty")
    _check_filename_chars(base)
    if len(base) > DLC_FILENAME_LENGTH:
        raise FurbyInputError(
            f"name must be at most {DLC_FILENAME_LENGTH} characters, got {len(base)} ({base!r})"
        )
    return base.upper().rjust(DLC_FILENAME_LENGTH, "_")


MAKER_NAME: Final = re.compile(r"T[UR]\d{6}")
"""The stored 8-character name of Hasbro's own DLC files: ``TU…`` English, ``TR…`` Russian (§6)."""


def is_maker_name(filename: str) -> bool:
    """Whether a 12-character announce name would be stored as one of Hasbro's own names (§4.4).

    The toy keeps the first 8 characters (``73`` replies, §4.4), so ``TU003410.DLC`` is stored as
    ``TU003410``, the name of Hasbro's original DLC; a toy that still holds that file may refuse
    the announce with ``24 01`` (§5.1).
    """
    return MAKER_NAME.fullmatch(filename[:8].upper()) is not None


def dlc_announce_name(file_name: str, adler32: int) -> str:
    r"""Return the 12-character announce name for a file with Adler-32 ``adler32`` (§5.1).

    A name that fits is kept as ``dlc_filename`` makes it (FurBLE's rule: ``chilli.dlc`` becomes
    ``__CHILLI.DLC``). A name that must be shortened (longer than 12 characters, or characters
    the announce cannot carry), and one that would be stored as a Hasbro name (``is_maker_name``),
    get a stem made of the file's Adler-32 in 8 hex digits instead: ``tu003410_ctxlogo.dlc`` with
    Adler-32 ``0xdabb068b`` becomes ``DABB068B.DLC``. Hex digits never spell ``TU``/``TR``, so the
    name never collides with the toy maker's files, and two different files (different
    checksums) get different names.
    """
    if not isinstance(file_name, str):
        raise TypeError(f"file_name must be a str, got {type(file_name).__name__}")
    checksum = _int_field("adler32", adler32, 0, 0xFFFFFFFF)
    try:
        name = dlc_filename(file_name)
    except ValueError:
        pass
    else:
        if not is_maker_name(name):
            return name
    return f"{checksum:08X}.DLC"


def _check_filename_chars(name: str) -> None:
    """Refuse anything but printable, non-space ASCII in a DLC filename."""
    bad = sorted({ch for ch in name if not "!" <= ch <= "~"})
    if bad:
        raise FurbyInputError(
            f"filename must be printable ASCII without spaces, got {name!r} (bad: {bad!r})"
        )


def announce_dlc(size: int, filename: str) -> bytes:
    """Announce a DLC upload: ``50 00 S2 S1 S0 02 <12 ASCII> 00 00`` (20 bytes, §5.1).

    ``size`` is the file length in bytes (1 to ``MAX_DLC_SIZE``, 24-bit big-endian). ``filename``
    must already be exactly 12 printable ASCII characters; derive one with ``dlc_filename``.
    """
    length = _int_field("size", size, 1, MAX_DLC_SIZE)
    if not isinstance(filename, str):
        raise TypeError(f"filename must be a str, got {type(filename).__name__}")
    _check_filename_chars(filename)
    if len(filename) != DLC_FILENAME_LENGTH:
        raise FurbyInputError(
            f"filename must be exactly {DLC_FILENAME_LENGTH} characters, got {len(filename)} "
            f"({filename!r}); derive one with dlc_filename()"
        )
    return (
        bytes([GeneralPlusOpcode.ANNOUNCE_DLC, 0x00])
        + length.to_bytes(3, "big")
        + bytes([ANNOUNCE_SLOT_BYTE])
        + filename.encode("ascii")
        + b"\x00\x00"
    )


def load_slot(slot: int) -> bytes:
    """Load the DLC in a slot: ``60 SL`` → ``dc …`` (§3.1, §5.2 step 9)."""
    return bytes([GeneralPlusOpcode.LOAD_SLOT, _slot(slot)])


def activate_slot() -> bytes:
    """Activate the loaded DLC: ``61`` → ``dc …`` (§3.1)."""
    return bytes([GeneralPlusOpcode.ACTIVATE_SLOT])


def deactivate_slot(slot: int) -> bytes:
    """Deactivate the DLC in a slot: ``62 SL`` → ``dc …`` (§3.1)."""
    return bytes([GeneralPlusOpcode.DEACTIVATE_SLOT, _slot(slot)])


def delete_slot(slot: int) -> bytes:
    """Delete a slot's contents: ``74 SL`` → ``74 …`` (§3.1)."""
    return bytes([GeneralPlusOpcode.DELETE_SLOT, _slot(slot)])


def get_slots() -> bytes:
    """Ask which slots are filled and active: ``72`` → ``72 …`` (§4.4)."""
    return bytes([GeneralPlusOpcode.GET_SLOTS])


def get_slot_info(slot: int) -> bytes:
    """Ask a slot's name, length and Adler-32: ``73 SL`` → ``73 SL …`` (§4.4)."""
    return bytes([GeneralPlusOpcode.GET_SLOT_INFO, _slot(slot)])


def nordic_firmware_version() -> bytes:
    """Ask the Nordic firmware version: ``01`` → ``01 19 00 00 00`` on Jeija's unit (§3.3)."""
    return bytes([NordicOpcode.FIRMWARE_VERSION])


def nordic_power_report() -> bytes:
    """Ask a power report: ``03`` → ``03 00`` (§3.3)."""
    return bytes([NordicOpcode.POWER_REPORT])


def nordic_comm_test(a: int, b: int) -> bytes:
    """Communication test ``04 AA BB``; the toy answers ``04 ~AA ~BB`` (§3.3)."""
    return bytes([NordicOpcode.COMM_TEST, _byte("a", a), _byte("b", b)])


def set_packet_acks(enabled: bool) -> bytes:
    """Enable (``09 01 00``) or disable (``09 00 00``) FileWrite packet acks (§3.3, §4.3)."""
    return bytes([NordicOpcode.PACKET_ACKS, int(_bool_field("enabled", enabled)), 0x00])
