"""Decoders for what the Furby sends back (docs/protocol.md §4).

``decode_generalplus`` handles GeneralPlusListen packets and ``decode_nordic`` NordicListen ones.
Both return a typed, frozen value carrying the received bytes in ``raw``, and never raise: an
unknown, empty or too-short packet becomes an ``UnknownPacket``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Final

from .sensor_packet import SENSOR_PACKET_ID, decode_sensor_bits

# Re-exported (the "as" form is mypy's explicit re-export): callers find the sensor packet's
# types here beside the other notifications.
from .sensor_packet import SENSOR_PACKET_LENGTH as SENSOR_PACKET_LENGTH  # noqa: PLC0414
from .sensor_packet import Interaction as Interaction  # noqa: PLC0414
from .sensor_packet import Orientation as Orientation  # noqa: PLC0414
from .sensor_packet import sensor_packet as sensor_packet  # noqa: PLC0414

SLOTS_PACKET_LENGTH: Final = 9
"""``72`` reply length (§4.4)."""

SLOT_INFO_PACKET_LENGTH: Final = 17
"""``73 SL <8 name> <u24 length> <u32 Adler-32>`` (§4.4)."""

_SLOT_BITS: Final = (1 << 14) - 1
"""Bits 0-13 of the ``72`` masks are the 14 slots (§4.4)."""


class GeneralPlusPacket(IntEnum):
    """First byte of a GeneralPlusListen packet (§4.1)."""

    FURBY_MESSAGE = 0x20
    SENSOR_STATE = SENSOR_PACKET_ID
    IM_HERE = 0x22
    CURRENT_MODE = 0x23
    FILE_TRANSFER = 0x24
    LANGUAGE = 0x25
    FURBIES_MET = 0x26
    SLOTS_INFO = 0x72
    SLOT_INFO = 0x73
    SLOT_DELETED = 0x74
    DLC_REPORT = 0xDC
    FIRMWARE_VERSION = 0xFE


class NordicPacket(IntEnum):
    """First byte of a NordicListen packet (§3.3, §4.3)."""

    FIRMWARE_VERSION = 0x01
    POWER_REPORT = 0x03
    COMM_TEST = 0x04
    PACKET_ACK = 0x09
    PACKET_OVERLOAD = 0x0A


class FurbyMessageCode(IntEnum):
    """The ``MM`` of a ``20 MM`` FurbyMessage (§4.2)."""

    ENTERED_NAMING_MODE = 0x01
    EXITED_NAMING_MODE = 0x02
    FURBY_NAMED = 0x03
    ENTERED_APP_MODE = 0x04
    EXITED_APP_MODE = 0x05
    RESPONSE_PLAYED = 0x06
    SPEECH_PLAYING = 0x07
    SLAVE_ACK = 0x08
    MASK_ADDED = 0x0A
    MASK_REMOVED = 0x0B
    SEQUENCE_PLAYING = 0x0C
    SEQUENCE_CANCELLED = 0x0D
    SEQUENCE_ENDED = 0x0E
    INPUT_OUT_OF_RANGE = 0x0F
    INDEX_OUT_OF_RANGE = 0x10
    SUBINDEX_OUT_OF_RANGE = 0x11
    SPECIFIC_OUT_OF_RANGE = 0x12
    SLEEP_MASK_ADDED = 0x13
    SLEEP_MASK_REMOVED = 0x14
    BODYCAM_ON = 0x15
    BODYCAM_OFF = 0x16
    EYES_ON = 0x17
    EYES_OFF = 0x18
    GROUP_NOT_ACTIVE = 0x19
    TIMED_GROUP_SET = 0x1A
    CUSTOM_NOTIFICATION_SET = 0x1B


ERROR_MESSAGE_CODES: Final = frozenset(
    {
        FurbyMessageCode.INPUT_OUT_OF_RANGE,
        FurbyMessageCode.INDEX_OUT_OF_RANGE,
        FurbyMessageCode.SUBINDEX_OUT_OF_RANGE,
        FurbyMessageCode.SPECIFIC_OUT_OF_RANGE,
        FurbyMessageCode.GROUP_NOT_ACTIVE,
    }
)
"""FurbyMessages by which the toy refuses an action (§3.1, §4.2)."""


class FileTransferCode(IntEnum):
    """The ``MM`` of a ``24 MM`` file-transfer status (§4.3)."""

    ALREADY_EXISTS = 1
    READY_TO_RECEIVE = 2
    TIMEOUT = 3
    READY_TO_APPEND = 4
    RECEIVED_OK = 5
    RECEIVED_ERROR = 6


@dataclass(frozen=True, slots=True)
class Packet:
    """Base of every decoded notification: ``raw`` holds the bytes as received."""

    raw: bytes = field(default=b"", kw_only=True)


@dataclass(frozen=True, slots=True)
class UnknownPacket(Packet):
    """A packet no decoder understands, or too short for its id; ``source`` names the listener."""

    source: str


@dataclass(frozen=True, slots=True)
class SensorState(Packet):
    """``21 …``: what is being touched right now and how the Furby lies (§4.5)."""

    active: frozenset[Interaction]
    orientation: Orientation | None


@dataclass(frozen=True, slots=True)
class FurbyMessage(Packet):
    """``20 MM`` (§4.2); ``message`` is ``None`` for codes no source names."""

    code: int

    @property
    def message(self) -> FurbyMessageCode | None:
        """The named code, if known."""
        return _enum_or_none(FurbyMessageCode, self.code)

    @property
    def is_error(self) -> bool:
        """Whether the toy refused an action (``20 0f``-``12``, ``20 19``)."""
        return self.code in ERROR_MESSAGE_CODES


@dataclass(frozen=True, slots=True)
class ImHere(Packet):
    """``22 …``: the answer to the ``20 06`` keep-alive; its 18 bytes are undecoded (§4.1)."""

    payload: bytes


@dataclass(frozen=True, slots=True)
class CurrentMode(Packet):
    """``23 …``, e.g. ``23 08`` after ``20 0c``; the meaning is unknown (§4.1)."""

    payload: bytes


@dataclass(frozen=True, slots=True)
class FileTransferStatus(Packet):
    """``24 MM`` during a DLC upload (§4.3)."""

    code: int

    @property
    def status(self) -> FileTransferCode | None:
        """The named status, if known."""
        return _enum_or_none(FileTransferCode, self.code)


@dataclass(frozen=True, slots=True)
class Language(Packet):
    """``25 LL``, the answer to ``20 0f``; ``00`` is English (§4.1)."""

    code: int


@dataclass(frozen=True, slots=True)
class FurbiesMet(Packet):
    """``26 …``, the answer to ``20 10``; payload undecoded (§4.1)."""

    payload: bytes


@dataclass(frozen=True, slots=True)
class SlotsInfo(Packet):
    """``72``: bytes 3-4 (filled) and 7-8 (active) are big-endian slot bitmasks (§4.4)."""

    filled: frozenset[int]
    active: frozenset[int]


@dataclass(frozen=True, slots=True)
class SlotInfo(Packet):
    """``73 SL``: the slot's 8-character name, length and Adler-32; length 0 = empty (§4.4)."""

    slot: int
    name: str
    length: int
    adler32: int


@dataclass(frozen=True, slots=True)
class SlotDeleted(Packet):
    """``74 …``, the answer to ``74 SL``; payload undecoded (§4.1)."""

    payload: bytes


@dataclass(frozen=True, slots=True)
class DlcReport(Packet):
    """``dc …``, the answer to ``60``/``61``/``62``; payload undecoded (§4.1)."""

    payload: bytes


@dataclass(frozen=True, slots=True)
class FirmwareVersion(Packet):
    """``fe VV``: the GeneralPlus firmware version (``04`` on Jeija's unit, §3.1)."""

    version: int


@dataclass(frozen=True, slots=True)
class NordicFirmwareVersion(Packet):
    """Nordic ``01 …``: version bytes as received (``19 00 00 00`` on Jeija's unit, §3.3)."""

    version: bytes


@dataclass(frozen=True, slots=True)
class PowerReport(Packet):
    """Nordic ``03 VV`` ("always 0", §3.3)."""

    value: int


@dataclass(frozen=True, slots=True)
class CommTestReply(Packet):
    """Nordic ``04 AA BB``: the toy's answer to a comm test, values as received (§3.3)."""

    a: int
    b: int

    def answers(self, a: int, b: int) -> bool:
        """Whether this reply is the bitwise inverse of the test bytes ``a``, ``b``."""
        return self.a == (~a & 0xFF) and self.b == (~b & 0xFF)


@dataclass(frozen=True, slots=True)
class PacketAck(Packet):
    """Nordic ``09 NN``: FileWrite packets received but not yet processed (FurBLE, §4.3)."""

    buffered: int


@dataclass(frozen=True, slots=True)
class PacketOverload(Packet):
    """Nordic ``0a …``: FileWrite packets arrive too fast (§4.3)."""


type Notification = (
    SensorState
    | FurbyMessage
    | ImHere
    | CurrentMode
    | FileTransferStatus
    | Language
    | FurbiesMet
    | SlotsInfo
    | SlotInfo
    | SlotDeleted
    | DlcReport
    | FirmwareVersion
    | NordicFirmwareVersion
    | PowerReport
    | CommTestReply
    | PacketAck
    | PacketOverload
    | UnknownPacket
)
"""Anything ``decode_generalplus`` or ``decode_nordic`` returns."""

GENERALPLUS: Final = "generalplus"
"""``UnknownPacket.source`` for GeneralPlusListen packets."""

NORDIC: Final = "nordic"
"""``UnknownPacket.source`` for NordicListen packets."""


def _enum_or_none[E: IntEnum](enum: type[E], value: int) -> E | None:
    """Return ``enum(value)``, or ``None`` when the value has no name."""
    try:
        return enum(value)
    except ValueError:
        return None


def _slot_set(mask: int) -> frozenset[int]:
    """Slots whose bit is set in a ``72`` mask (bits above slot 13 are ignored)."""
    mask &= _SLOT_BITS
    return frozenset(slot for slot in range(mask.bit_length()) if mask >> slot & 1)


def _decode_slot_info(raw: bytes) -> SlotInfo:
    """Decode a 17-byte ``73`` packet; non-ASCII name bytes become U+FFFD (§4.4)."""
    name = raw[2:10].decode("ascii", errors="replace").rstrip("\x00")
    return SlotInfo(
        slot=raw[1],
        name=name,
        length=int.from_bytes(raw[10:13], "big"),
        adler32=int.from_bytes(raw[13:17], "big"),
        raw=raw,
    )


def decode_generalplus(data: bytes | bytearray) -> Notification:
    """Decode one GeneralPlusListen notification; never raises (§4.1)."""
    raw = bytes(data)
    if not raw:
        return UnknownPacket(source=GENERALPLUS, raw=raw)
    packet_id, payload = raw[0], raw[1:]
    match packet_id:
        case GeneralPlusPacket.FURBY_MESSAGE if payload:
            return FurbyMessage(code=payload[0], raw=raw)
        case GeneralPlusPacket.SENSOR_STATE if len(raw) >= SENSOR_PACKET_LENGTH:
            active, orientation = decode_sensor_bits(raw)
            return SensorState(active=active, orientation=orientation, raw=raw)
        case GeneralPlusPacket.IM_HERE:
            return ImHere(payload=payload, raw=raw)
        case GeneralPlusPacket.CURRENT_MODE:
            return CurrentMode(payload=payload, raw=raw)
        case GeneralPlusPacket.FILE_TRANSFER if payload:
            return FileTransferStatus(code=payload[0], raw=raw)
        case GeneralPlusPacket.LANGUAGE if payload:
            return Language(code=payload[0], raw=raw)
        case GeneralPlusPacket.FURBIES_MET:
            return FurbiesMet(payload=payload, raw=raw)
        case GeneralPlusPacket.SLOTS_INFO if len(raw) >= SLOTS_PACKET_LENGTH:
            return SlotsInfo(
                filled=_slot_set(int.from_bytes(raw[3:5], "big")),
                active=_slot_set(int.from_bytes(raw[7:9], "big")),
                raw=raw,
            )
        case GeneralPlusPacket.SLOT_INFO if len(raw) >= SLOT_INFO_PACKET_LENGTH:
            return _decode_slot_info(raw)
        case GeneralPlusPacket.SLOT_DELETED:
            return SlotDeleted(payload=payload, raw=raw)
        case GeneralPlusPacket.DLC_REPORT:
            return DlcReport(payload=payload, raw=raw)
        case GeneralPlusPacket.FIRMWARE_VERSION if payload:
            return FirmwareVersion(version=payload[0], raw=raw)
    return UnknownPacket(source=GENERALPLUS, raw=raw)


def decode_nordic(data: bytes | bytearray) -> Notification:
    """Decode one NordicListen notification; never raises (§3.3, §4.3)."""
    raw = bytes(data)
    if not raw:
        return UnknownPacket(source=NORDIC, raw=raw)
    packet_id, payload = raw[0], raw[1:]
    match packet_id:
        case NordicPacket.FIRMWARE_VERSION if payload:
            return NordicFirmwareVersion(version=payload, raw=raw)
        case NordicPacket.POWER_REPORT if payload:
            return PowerReport(value=payload[0], raw=raw)
        case NordicPacket.COMM_TEST if len(payload) >= 2:
            return CommTestReply(a=payload[0], b=payload[1], raw=raw)
        case NordicPacket.PACKET_ACK if payload:
            return PacketAck(buffered=payload[0], raw=raw)
        case NordicPacket.PACKET_OVERLOAD:
            return PacketOverload(raw=raw)
    return UnknownPacket(source=NORDIC, raw=raw)
