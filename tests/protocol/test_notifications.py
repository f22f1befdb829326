"""Notification decoders against docs/protocol.md §4 and the real captures it quotes."""

from __future__ import annotations

import dataclasses
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custom_components.furby_connect.protocol import notifications as nt
from custom_components.furby_connect.protocol.notifications import (
    CommTestReply,
    CurrentMode,
    DlcReport,
    FileTransferCode,
    FileTransferStatus,
    FirmwareVersion,
    FurbiesMet,
    FurbyMessage,
    FurbyMessageCode,
    ImHere,
    Interaction,
    Language,
    NordicFirmwareVersion,
    Orientation,
    PacketAck,
    PacketOverload,
    PowerReport,
    SensorState,
    SlotDeleted,
    SlotInfo,
    SlotsInfo,
    UnknownPacket,
    decode_generalplus,
    decode_nordic,
    sensor_packet,
)

DLC_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "furby" / "dlc"


def gp(hex_bytes: str) -> nt.Notification:
    return decode_generalplus(bytes.fromhex(hex_bytes))


def test_capture_idle_upright() -> None:
    """The real capture 21 00 00 00 01 ... (bluefluff #7) reads idle and upright."""
    # bluefluff issue #7, received right after connecting (§4.5).
    raw = bytes.fromhex("21 00 00 00 01 00 00 00")
    assert decode_generalplus(raw) == SensorState(
        active=frozenset(), orientation=Orientation.UPRIGHT, raw=raw
    )


def test_capture_head_tickled_upright() -> None:
    """The real capture 21 00 01 00 01 ... reads head tickled, upright."""
    raw = bytes.fromhex("21 00 01 00 01 00 00 00")
    assert decode_generalplus(raw) == SensorState(
        active=frozenset({Interaction.TICKLE_BACK}), orientation=Orientation.UPRIGHT, raw=raw
    )


@pytest.mark.parametrize(
    ("byte1", "byte2", "expected"),
    [
        (0x02, 0x00, {Interaction.ANTENNA_LEFT}),
        (0x01, 0x00, {Interaction.ANTENNA_RIGHT}),
        (0x00, 0x40, {Interaction.ANTENNA_FORWARD}),
        (0x00, 0x80, {Interaction.ANTENNA_BACK}),
        (0x00, 0xC0, {Interaction.ANTENNA_DOWN}),
        (0x00, 0x01, {Interaction.TICKLE_BACK}),
        (0x00, 0x02, {Interaction.TICKLE_TUMMY}),
        (0x00, 0x04, {Interaction.TICKLE_RIGHT}),
        (0x00, 0x08, {Interaction.TICKLE_LEFT}),
        (0x00, 0x10, {Interaction.TAIL_PULL}),
        (0x00, 0x20, {Interaction.TONGUE}),
        (0x03, 0xFF, set(Interaction) - {Interaction.ANTENNA_FORWARD, Interaction.ANTENNA_BACK}),
        (0xFC, 0x00, set()),
    ],
)
def test_sensor_flags(byte1: int, byte2: int, expected: set[Interaction]) -> None:
    """Each touch and antenna bit of bytes 1 and 2 decodes to its interaction (§4.5)."""
    decoded = decode_generalplus(bytes([0x21, byte1, byte2, 0xFF, 0x01, 0xFF, 0xFF, 0xFF]))
    assert isinstance(decoded, SensorState)
    assert decoded.active == frozenset(expected)


@pytest.mark.parametrize(
    ("byte4", "expected"),
    [
        (0x01, Orientation.UPRIGHT),
        (0x02, Orientation.UPSIDE_DOWN),
        (0x04, Orientation.ON_RIGHT_SIDE),
        (0x08, Orientation.ON_LEFT_SIDE),
        (0x20, Orientation.LEANING_BACK),
        (0x40, Orientation.TILTED_RIGHT),
        (0x80, Orientation.TILTED_LEFT),
        (0x11, Orientation.UPRIGHT),  # the unnamed bit 0x10 is ignored
        (0x00, None),
        (0x10, None),
        # Several named bits: the first (lowest) set bit wins, as in FurBLE's decoder.
        (0x03, Orientation.UPRIGHT),
        (0x06, Orientation.UPSIDE_DOWN),
        (0x0C, Orientation.ON_RIGHT_SIDE),
        (0x30, Orientation.LEANING_BACK),
        (0xC0, Orientation.TILTED_RIGHT),
        (0xA8, Orientation.ON_LEFT_SIDE),
        (0xFF, Orientation.UPRIGHT),
    ],
)
def test_sensor_orientation(byte4: int, expected: Orientation | None) -> None:
    """Byte 4 gives one defined orientation: the lowest named bit set; none without one."""
    decoded = decode_generalplus(bytes([0x21, 0, 0, 0, byte4, 0, 0, 0]))
    assert isinstance(decoded, SensorState)
    assert decoded.orientation is expected


interactions = st.frozensets(st.sampled_from(list(Interaction))).filter(
    lambda s: (
        len(s & {Interaction.ANTENNA_FORWARD, Interaction.ANTENNA_BACK, Interaction.ANTENNA_DOWN})
        <= 1
    )
)


@given(interactions, st.one_of(st.none(), st.sampled_from(list(Orientation))))
def test_sensor_packet_round_trip(
    active: frozenset[Interaction], orientation: Orientation | None
) -> None:
    """Encoding a sensor state and decoding it gives the same state."""
    raw = sensor_packet(active, orientation)
    assert decode_generalplus(raw) == SensorState(active=active, orientation=orientation, raw=raw)


@pytest.mark.parametrize(
    "flags",
    [
        {Interaction.ANTENNA_FORWARD, Interaction.ANTENNA_BACK},
        {Interaction.ANTENNA_DOWN, Interaction.ANTENNA_BACK},
        {Interaction.ANTENNA_DOWN, Interaction.ANTENNA_FORWARD},
    ],
)
def test_sensor_packet_rejects_contradictory_antenna(flags: set[Interaction]) -> None:
    """Antenna forward, back and down cannot be combined in one packet."""
    with pytest.raises(ValueError, match="exclude each other"):
        sensor_packet(flags, None)


def test_sensor_packet_rejects_wrong_types() -> None:
    """The sensor encoder takes only Interaction and Orientation values."""
    with pytest.raises(TypeError, match="Interaction values"):
        sensor_packet({"tongue"}, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be an Orientation"):
        sensor_packet(set(), "upright")  # type: ignore[arg-type]


@pytest.mark.parametrize("code", list(FurbyMessageCode))
def test_furby_message_codes(code: FurbyMessageCode) -> None:
    """Every named 20 MM code decodes to its FurbyMessage."""
    decoded = decode_generalplus(bytes([0x20, code]))
    assert decoded == FurbyMessage(code=code, raw=bytes([0x20, code]))
    assert isinstance(decoded, FurbyMessage)
    assert decoded.message is code
    assert decoded.is_error == (0x0F <= code <= 0x12 or code == 0x19)


def test_furby_message_named_examples() -> None:
    """The codes carry the names of §4.2, e.g. 20 17 eyes on."""
    assert FurbyMessageCode.EYES_ON == 0x17
    assert FurbyMessageCode.EYES_OFF == 0x18
    assert FurbyMessageCode.SEQUENCE_PLAYING == 0x0C
    assert FurbyMessageCode.GROUP_NOT_ACTIVE == 0x19
    assert FurbyMessageCode.BODYCAM_OFF == 0x16


def test_furby_message_unknown_code() -> None:
    """An unnamed 20 MM code still decodes, with no name."""
    decoded = gp("20 09")
    assert isinstance(decoded, FurbyMessage)
    assert decoded.code == 9
    assert decoded.message is None
    assert not decoded.is_error


@pytest.mark.parametrize("code", list(FileTransferCode))
def test_file_transfer_status(code: FileTransferCode) -> None:
    """Every 24 MM status decodes to its FileTransferCode (§4.3)."""
    decoded = decode_generalplus(bytes([0x24, code]))
    assert isinstance(decoded, FileTransferStatus)
    assert decoded.status is code
    assert decoded.code == code


def test_file_transfer_unknown_status() -> None:
    """An unknown 24 MM status decodes with no name."""
    decoded = gp("24 07")
    assert isinstance(decoded, FileTransferStatus)
    assert decoded.status is None


def test_slot_info_example_matches_chilli() -> None:
    """FurBLE's 73 example decodes to slot 13, TU002949, 313,690 bytes, 0x2754ea15."""
    # FurBLE's own example (§4.4): slot 13, "TU002949", 313 690 bytes, Adler-32 0x2754ea15.
    raw = bytes.fromhex("73 0d 5455303032393439 04c95a 2754ea15")
    assert decode_generalplus(raw) == SlotInfo(
        slot=13, name="TU002949", length=313_690, adler32=0x2754EA15, raw=raw
    )
    chilli = DLC_DIR / "chilli.dlc"
    if chilli.exists():
        data = chilli.read_bytes()
        assert (len(data), zlib.adler32(data)) == (313_690, 0x2754EA15)


def test_slot_info_empty_slot_and_odd_name() -> None:
    """An empty slot reads length 0; a non-ASCII name byte becomes U+FFFD."""
    decoded = gp("73 02 ff 41 00 00 00 00 00 00 000000 00000000")
    assert decoded == SlotInfo(slot=2, name="\ufffdA", length=0, adler32=0, raw=decoded.raw)


def test_slots_info_empty_furby() -> None:
    """An empty Furby's 72 reply (bluefluff #43) has no filled or active slot."""
    # bluefluff issue #43 (2026): an empty Furby answers 72 and eight zeros.
    assert gp("72 00 00 00 00 00 00 00 00") == SlotsInfo(
        filled=frozenset(), active=frozenset(), raw=bytes.fromhex("72 00 00 00 00 00 00 00 00")
    )


def test_slots_info_bitmasks() -> None:
    """72 masks: bytes 3-4 filled, 7-8 active, big-endian; bits 14-15 are ignored."""
    # Bytes 3-4 filled, 7-8 active, big-endian, bit i = slot i; bits 14-15 are not slots.
    decoded = gp("72 aa bb 20 05 cc dd 20 00")
    assert isinstance(decoded, SlotsInfo)
    assert decoded.filled == {0, 2, 13}
    assert decoded.active == {13}
    assert gp("72 00 00 ff ff 00 00 c0 00") == SlotsInfo(
        filled=frozenset(range(14)),
        active=frozenset(),
        raw=bytes.fromhex("72 00 00 ff ff 00 00 c0 00"),
    )


@pytest.mark.parametrize(
    ("hex_bytes", "expected"),
    [
        ("25 00", Language(code=0)),
        ("fe 04", FirmwareVersion(version=4)),
        ("22 " + "01" * 18, ImHere(payload=b"\x01" * 18)),
        ("22", ImHere(payload=b"")),
        ("23 08", CurrentMode(payload=b"\x08")),
        ("26 03 00", FurbiesMet(payload=b"\x03\x00")),
        ("74 0d", SlotDeleted(payload=b"\x0d")),
        ("dc", DlcReport(payload=b"")),
        ("dc 01 02", DlcReport(payload=b"\x01\x02")),
    ],
)
def test_other_generalplus_packets(hex_bytes: str, expected: nt.Notification) -> None:
    """The other GeneralPlus replies decode to their types."""
    raw = bytes.fromhex(hex_bytes)
    assert decode_generalplus(raw) == dataclasses.replace(expected, raw=raw)


@pytest.mark.parametrize(
    ("hex_bytes", "expected"),
    [
        ("01 19 00 00 00", NordicFirmwareVersion(version=b"\x19\x00\x00\x00")),
        ("03 00", PowerReport(value=0)),
        ("04 ed 54", CommTestReply(a=0xED, b=0x54)),
        ("09 03", PacketAck(buffered=3)),
        ("09 0b", PacketAck(buffered=11)),
        ("0a", PacketOverload()),
        ("0a 01", PacketOverload()),
    ],
)
def test_nordic_packets(hex_bytes: str, expected: nt.Notification) -> None:
    """The Nordic replies (§3.3) decode to their types."""
    raw = bytes.fromhex(hex_bytes)
    assert decode_nordic(raw) == dataclasses.replace(expected, raw=raw)


def test_comm_test_reply_is_the_inverse() -> None:
    """04 ~AA ~BB answers the comm test AA BB, nothing else does."""
    reply = decode_nordic(bytes.fromhex("04 ed 54"))
    assert isinstance(reply, CommTestReply)
    assert reply.answers(0x12, 0xAB)
    assert not reply.answers(0xED, 0x54)


@pytest.mark.parametrize(
    "hex_bytes",
    [
        "",
        "20",
        "21 00 00 00 01 00 00",  # sensor packet one byte short
        "24",
        "25",
        "72 00 00 00 00 00 00 00",  # 8 of 9 bytes
        "73 0d 5455303032393439 04c95a 2754ea",  # 16 of 17 bytes
        "fe",
        "53 01",
        "f0",
        "f2 00",
        "e0 00",
        "00",
    ],
)
def test_unknown_or_short_generalplus(hex_bytes: str) -> None:
    """Unknown or too short GeneralPlus packets become UnknownPacket."""
    raw = bytes.fromhex(hex_bytes)
    assert decode_generalplus(raw) == UnknownPacket(source="generalplus", raw=raw)


@pytest.mark.parametrize("hex_bytes", ["", "01", "03", "04 01", "09", "06 00", "0e 0c 00", "ff"])
def test_unknown_or_short_nordic(hex_bytes: str) -> None:
    """Unknown or too short Nordic packets become UnknownPacket."""
    raw = bytes.fromhex(hex_bytes)
    assert decode_nordic(raw) == UnknownPacket(source="nordic", raw=raw)


def test_bytearray_input_gives_bytes_raw() -> None:
    """Decoding bleak's bytearray keeps immutable bytes in raw."""
    decoded = decode_generalplus(bytearray(b"\x20\x17"))
    assert decoded == FurbyMessage(code=0x17, raw=b"\x20\x17")
    assert type(decoded.raw) is bytes


def test_notifications_are_frozen() -> None:
    """Decoded notifications cannot be changed."""
    decoded = gp("20 17")
    with pytest.raises(dataclasses.FrozenInstanceError):
        decoded.code = 1  # type: ignore[misc, union-attr]


@given(st.binary(max_size=40))
def test_decode_generalplus_never_raises(data: bytes) -> None:
    """decode_generalplus never raises and keeps the bytes, whatever comes."""
    decoded = decode_generalplus(data)
    assert isinstance(decoded, nt.Packet)
    assert decoded.raw == data
    assert decode_generalplus(bytearray(data)) == decoded


@given(st.binary(max_size=40))
def test_decode_nordic_never_raises(data: bytes) -> None:
    """decode_nordic never raises and keeps the bytes, whatever comes."""
    decoded = decode_nordic(data)
    assert isinstance(decoded, nt.Packet)
    assert decoded.raw == data
    if isinstance(decoded, UnknownPacket):
        assert decoded.source == "nordic"


@given(st.sampled_from([0x20, 0x21, 0x24, 0x25, 0x72, 0x73, 0xFE]), st.binary(max_size=20))
def test_known_ids_with_arbitrary_payloads(packet_id: int, payload: bytes) -> None:
    """A known id with any payload decodes, or stays unknown only when too short."""
    decoded = decode_generalplus(bytes([packet_id]) + payload)
    if isinstance(decoded, UnknownPacket):
        # Only a packet too short for its layout may stay unknown.
        minimum = {0x21: 8, 0x72: 9, 0x73: 17}.get(packet_id, 2)
        assert len(payload) + 1 < minimum
    elif isinstance(decoded, SlotsInfo):
        assert decoded.filled <= set(range(14))
        assert decoded.active <= set(range(14))
    elif isinstance(decoded, SlotInfo):
        assert 0 <= decoded.length < 2**24
        assert len(decoded.name) <= 8
