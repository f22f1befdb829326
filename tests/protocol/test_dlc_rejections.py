"""Corrupted DLC files (docs/protocol.md §6): each is refused with its own ``DlcRejection``."""

from __future__ import annotations

import struct

import pytest

from custom_components.furby_connect.protocol.dlc import (
    DLC_HEADER_SIZE,
    DLC_MAGIC,
    MAX_AUDIO_TRACKS,
    DlcRejection,
    DlcValidationError,
    DlcValidator,
    validate_bytes,
)

from .dlc_factory import MAGIC, MAX_DLC_SIZE, build_dlc, build_header, dlc_layout


def rejection(data: bytes | bytearray) -> DlcValidationError:
    with pytest.raises(DlcValidationError) as caught:
        validate_bytes(data)
    return caught.value


def section_offset(size: int, name: str) -> int:
    offset = DLC_HEADER_SIZE
    for section, length in dlc_layout(size).sections:
        if section == name:
            return offset
        offset += length
    raise AssertionError(name)


def entry(name: str, length: int, *, counter: int = 0x0040CFB5, tail: bytes = bytes(4)) -> bytes:
    field = name.encode("utf-16-le").ljust(26, b"\x00")
    assert len(field) == 26
    return field + struct.pack("<II", counter, length) + tail


def header_with(entries: dict[int, bytes]) -> bytes:
    table = [entries.get(i, bytes(38)) for i in range(16)]
    return MAGIC + b"".join(table)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"garbage",
        DLC_MAGIC[:10],
        build_dlc(5_000)[:40],
        build_dlc(5_000)[: DLC_HEADER_SIZE - 1],
    ],
)
def test_truncated_header(data: bytes) -> None:
    """Less than the 648-byte header is rejected as truncated_header."""
    err = rejection(data)
    assert err.reason is DlcRejection.TRUNCATED_HEADER
    assert err.detail == f"the file has {len(data)} bytes; the header alone needs 648"


@pytest.mark.parametrize("position", [0, 8, 9, 31, 32, 39])
def test_bad_magic(position: int) -> None:
    """Any changed byte of the 40-byte magic is rejected as bad_magic."""
    data = bytearray(build_dlc(5_000))
    data[position] ^= 0x01
    assert rejection(data).reason is DlcRejection.BAD_MAGIC


def test_bad_magic_on_another_file_type() -> None:
    """A file of another type (a PNG) is rejected as bad_magic."""
    png = b"\x89PNG\r\n\x1a\n" + bytes(5_000)
    err = rejection(png)
    assert err.reason is DlcRejection.BAD_MAGIC
    assert "magic" in str(err)


@pytest.mark.parametrize(
    ("raw_entry", "detail"),
    [
        (entry("DLC_0000.PAL", 128, tail=b"\x00\x00\x00\x01"), "last 4 bytes are not zero"),
        (entry("DLC_0000.PA\u0141", 128), "not printable ASCII"),
        (entry("DLC_0000.PA\x01", 128), "not printable ASCII"),
        (entry("DLC_0000 PAL", 128), "not printable ASCII"),
        (entry("A.PAL\x00B", 128), "after the name's terminating NUL"),
        (entry("", 128), "has no name but is not all zero"),
        (entry("DLC_0000PAL", 128), "is not of the form NAME.EXT"),
        (entry(".PAL", 128), "is not of the form NAME.EXT"),
        (entry("DLC_0000.", 128), "is not of the form NAME.EXT"),
    ],
)
def test_bad_entry(raw_entry: bytes, detail: str) -> None:
    """Malformed section entries are rejected as bad_entry with what is wrong."""
    err = rejection(header_with({1: raw_entry}) + bytes(128))
    assert err.reason is DlcRejection.BAD_ENTRY
    assert detail in err.detail
    assert "entry 1" in err.detail


def test_unknown_section() -> None:
    """A section name ctxis does not know is rejected as unknown_section."""
    err = rejection(header_with({5: entry("DLC_0000.XYZ", 0)}))
    assert err.reason is DlcRejection.UNKNOWN_SECTION
    assert "'XYZ'" in err.detail


@pytest.mark.parametrize(
    ("sections", "slots", "detail"),
    [
        ([("PAL", 128)], {"PAL": 5}, "section PAL is in entry 5, expected entry 1"),
        ([("AMF", 4)], {"AMF": 3}, "section AMF is in entry 3, expected entry 9"),
        ([("FIR", 0)], {"FIR": 1}, "section FIR is in entry 1, which belongs to PAL"),
    ],
)
def test_misplaced_section(
    sections: list[tuple[str, int]], slots: dict[str, int], detail: str
) -> None:
    """A known section in the wrong entry is rejected as misplaced."""
    err = rejection(build_header(sections, slots=slots))
    assert err.reason is DlcRejection.MISPLACED_SECTION
    assert err.detail == detail


def test_duplicate_section() -> None:
    """A section named twice is rejected as duplicate_section."""
    err = rejection(header_with({0: entry("DLC_0000.CMR", 0), 14: entry("DLC_0001.CMR", 0)}))
    assert err.reason is DlcRejection.DUPLICATE_SECTION
    assert "entry 14" in err.detail


def test_no_sections() -> None:
    """A header without sections is rejected as no_sections."""
    err = rejection(MAGIC + bytes(DLC_HEADER_SIZE - 40))
    assert err.reason is DlcRejection.NO_SECTIONS


def test_too_large_is_caught_from_the_header_alone() -> None:
    """A file larger than 2^24 - 1 bytes is rejected from its header alone."""
    validator = DlcValidator()
    with pytest.raises(DlcValidationError) as caught:
        validator.feed(build_header([("XLS", MAX_DLC_SIZE + 1 - DLC_HEADER_SIZE)]))
    assert caught.value.reason is DlcRejection.TOO_LARGE
    assert "declares 16777216 bytes" in caught.value.detail


def test_largest_size_passes_the_header_check() -> None:
    """A header announcing exactly 2^24 - 1 bytes passes."""
    validator = DlcValidator()
    validator.feed(build_header([("XLS", MAX_DLC_SIZE - DLC_HEADER_SIZE)]))
    assert validator.expected_size == MAX_DLC_SIZE
    with pytest.raises(DlcValidationError) as caught:
        validator.finish()
    assert caught.value.reason is DlcRejection.SIZE_MISMATCH


@pytest.mark.parametrize(
    ("name", "length", "rule"),
    [
        ("PAL", 100, "a multiple of 128 (one palette)"),
        ("PAL", 0x81, "a multiple of 128 (one palette)"),
        ("CEL", 0xC01, "a multiple of 3072 (one 64x64 cel)"),
        ("CEL", 0xBFF, "a multiple of 3072 (one 64x64 cel)"),
        ("SPR", 223, "at least 224 (16 playlists)"),
        ("AMF", 3, "at least 4 (the track count)"),
    ],
)
def test_bad_section_size(name: str, length: int, rule: str) -> None:
    """Section sizes breaking their rule (PAL, CEL multiples) are rejected."""
    err = rejection(build_header([(name, length)]) + bytes(length))
    assert err.reason is DlcRejection.BAD_SECTION_SIZE
    assert err.detail == f"{name} section is {length} bytes; it must be {rule}"


@pytest.mark.parametrize("playlist", [0, 7, 15])
def test_bad_sprite_table(playlist: int) -> None:
    """A sprite playlist not ending in 0x40 is rejected."""
    data = bytearray(build_dlc(5_000))
    data[section_offset(5_000, "SPR") + playlist * 14 + 10] = 0x41
    err = rejection(data)
    assert err.reason is DlcRejection.BAD_SPRITE_TABLE
    assert err.detail == f"SPR playlist {playlist} ends in 0x41, expected 0x40"


def amf_file(size: int = 60_000) -> tuple[bytearray, int, int]:
    """A valid file, the AMF section's offset and its length."""
    data = bytearray(build_dlc(size))
    return data, section_offset(size, "AMF"), dict(dlc_layout(size).sections)["AMF"]


def test_audio_track_count_beyond_the_limit() -> None:
    """An audio track count above the limit is rejected."""
    data, amf, _ = amf_file()
    data[amf : amf + 4] = struct.pack("<I", MAX_AUDIO_TRACKS + 1)
    err = rejection(data)
    assert err.reason is DlcRejection.BAD_AUDIO_TABLE
    assert "more than 65535" in err.detail


def test_audio_offset_table_overflowing_the_section() -> None:
    """An audio offset table longer than its section is rejected."""
    data, amf, length = amf_file()
    count = length // 4
    data[amf : amf + 4] = struct.pack("<I", count)
    err = rejection(data)
    assert err.reason is DlcRejection.BAD_AUDIO_TABLE
    assert "overflows" in err.detail


@pytest.mark.parametrize("where", ["inside_table", "past_end"])
def test_audio_offset_outside_the_section(where: str) -> None:
    """An audio offset pointing outside the section is rejected."""
    data, amf, length = amf_file()
    (count,) = struct.unpack_from("<I", data, amf)
    bad = 0 if where == "inside_table" else length - 3
    struct.pack_into("<I", data, amf + 4 + 4 * (count - 1), bad)
    err = rejection(data)
    assert err.reason is DlcRejection.BAD_AUDIO_TABLE
    assert f"track {count - 1} starts at offset {bad}" in err.detail


@pytest.mark.parametrize("track", ["first", "last"])
def test_audio_track_longer_than_its_room(track: str) -> None:
    """An audio track longer than the room before the next is rejected."""
    data, amf, _ = amf_file()
    (count,) = struct.unpack_from("<I", data, amf)
    index = 0 if track == "first" else count - 1
    (start,) = struct.unpack_from("<I", data, amf + 4 + 4 * index)
    (track_length,) = struct.unpack_from("<I", data, amf + start)
    struct.pack_into("<I", data, amf + start, track_length + 1)
    err = rejection(data)
    assert err.reason is DlcRejection.BAD_AUDIO_TABLE
    assert f"track at offset {start} is {track_length + 1} bytes long" in err.detail


def test_audio_tracks_may_share_an_offset() -> None:
    """Audio tracks sharing one offset are accepted."""
    data, amf, _ = amf_file()
    (count,) = struct.unpack_from("<I", data, amf)
    (first,) = struct.unpack_from("<I", data, amf + 4)
    struct.pack_into("<I", data, amf + 8, first)  # track 1 reuses track 0's audio
    assert validate_bytes(data).size == len(data)
    assert count > 2


def test_file_shorter_than_its_sections() -> None:
    """A file shorter than its sections is rejected at the end."""
    data = build_dlc(5_000)
    for cut in (1, 2_000, 5_000 - DLC_HEADER_SIZE):
        err = rejection(data[:-cut])
        assert err.reason is DlcRejection.SIZE_MISMATCH
        assert err.detail == f"the file ends after {5_000 - cut} bytes but its header declares 5000"


def test_file_longer_than_its_sections_fails_on_the_first_extra_byte() -> None:
    """A byte beyond the sections is rejected as soon as it is fed."""
    data = build_dlc(5_000)
    validator = DlcValidator()
    validator.feed(data)
    with pytest.raises(DlcValidationError) as caught:
        validator.feed(b"\x00")
    assert caught.value.reason is DlcRejection.SIZE_MISMATCH
    assert caught.value.detail == "the file is longer than the 5000 bytes its header declares"
    assert rejection(data + b"\x00").reason is DlcRejection.SIZE_MISMATCH


def test_entry_name_may_fill_the_whole_field() -> None:
    """A 13-character entry name filling the field without a NUL is accepted."""
    # 13 UTF-16 characters fill the 26-byte name field with no NUL left over.
    info = validate_bytes(header_with({1: entry("DLC_00000.PAL", 128)}) + bytes(128))
    assert [(s.name, s.length) for s in info.sections] == [("PAL", 128)]
