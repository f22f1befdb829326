"""The DLC file layout and its rules, as pull-parsing steps (docs/protocol.md §6).

A DLC is a 0x288-byte little-endian header (40-byte magic, 16 section entries of 38 bytes) and
the section bodies back to back in entry order. The functions here know the layout; the
streaming driver that feeds them bytes is ``dlc.DlcValidator``. Parsing steps are generators that
yield a ``ReadRequest`` (and are sent those bytes) or a ``SkipRequest`` (the bytes go by unseen),
so a section body is checked in bounded memory whatever its size.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from .commands import MAX_DLC_SIZE

DLC_HEADER_SIZE: Final = 0x288
"""Header length: the magic plus 16 section entries (§6)."""

DLC_MAGIC: Final = "FURBY".encode("utf-16-le")[:-1] + bytes(23) + bytes.fromhex("7856341202000800")
"""The 40 bytes every DLC starts with (§6)."""

SECTION_ENTRY_SIZE: Final = 38
SECTION_ENTRY_COUNT: Final = 16
SECTION_NAME_SIZE: Final = 26
"""An entry: 26-byte UTF-16LE name, u32 counter, u32 length, 4 zero bytes (§6)."""

SECTION_ORDER: Final[tuple[str | None, ...]] = (
    *(None, "PAL", "SPR", "CEL", "XLS", None, None, None),
    *(None, "AMF", "APL", "LPS", "SEQ", "MTR", None, None),
)
"""The section each entry holds; ``None`` entries are unused in every known file (§6)."""

UNPLACED_SECTIONS: Final = frozenset({"FIR", "FIT", "CMR", "INT"})
"""Names ctxis knows but never saw used: accepted in any ``None`` entry of ``SECTION_ORDER``."""

KNOWN_SECTIONS: Final = frozenset(name for name in SECTION_ORDER if name) | UNPLACED_SECTIONS

PALETTE_SIZE: Final = 0x80
"""64 colours of 16 bits (§6 PAL)."""

CEL_SIZE: Final = 0xC00
"""One 64x64 sprite at 6 bits per pixel (§6 CEL)."""

SPRITE_PLAYLISTS: Final = 16
SPRITE_PLAYLIST_SIZE: Final = 14
SPRITE_PLAYLIST_END: Final = 0x40
"""SPR starts with 16 playlists of 14 bytes, each ending in the u32 0x40 (§6 SPR)."""

MAX_AUDIO_TRACKS: Final = 0xFFFF
"""Sanity bound on the AMF track count that keeps memory bounded (real files have 146)."""

_OFFSET_BATCH: Final = 1024
"""AMF offsets read per request while walking the offset table."""


class DlcRejection(StrEnum):
    """Why a DLC file was refused."""

    TRUNCATED_HEADER = "truncated_header"
    BAD_MAGIC = "bad_magic"
    BAD_ENTRY = "bad_entry"
    UNKNOWN_SECTION = "unknown_section"
    MISPLACED_SECTION = "misplaced_section"
    DUPLICATE_SECTION = "duplicate_section"
    NO_SECTIONS = "no_sections"
    TOO_LARGE = "too_large"
    BAD_SECTION_SIZE = "bad_section_size"
    BAD_SPRITE_TABLE = "bad_sprite_table"
    BAD_AUDIO_TABLE = "bad_audio_table"
    SIZE_MISMATCH = "size_mismatch"


class DlcValidationError(ValueError):
    """A DLC file is malformed; ``reason`` says which rule failed and ``detail`` where."""

    def __init__(self, reason: DlcRejection, detail: str) -> None:
        """Build the error from its reason and a human-readable detail."""
        super().__init__(f"invalid DLC file ({reason}): {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class DlcSection:
    """One section: its three-letter name, absolute offset in the file and length."""

    name: str
    offset: int
    length: int

    @property
    def end(self) -> int:
        """Offset just past the section."""
        return self.offset + self.length


@dataclass(frozen=True, slots=True)
class DlcInfo:
    """A valid DLC file: its size, Adler-32 and sections in file order."""

    size: int
    adler32: int
    sections: tuple[DlcSection, ...]

    def section(self, name: str) -> DlcSection | None:
        """Return the section called ``name`` (e.g. ``"CEL"``), if the file has one."""
        return next((s for s in self.sections if s.name == name), None)


@dataclass(frozen=True, slots=True)
class ReadRequest:
    """Parser request: send back the next ``size`` bytes of the file."""

    size: int


@dataclass(frozen=True, slots=True)
class SkipRequest:
    """Parser request: let the next ``size`` bytes pass unseen."""

    size: int


type ParseStep = Generator[ReadRequest | SkipRequest, bytes]
"""A parsing step: yields byte requests, is sent the bytes (``b""`` for a skip)."""


def _u32(data: bytes, offset: int = 0) -> int:
    """Little-endian u32 at ``offset``."""
    return int.from_bytes(data[offset : offset + 4], "little")


def _skip(size: int) -> ParseStep:
    """Let ``size`` bytes pass (nothing when ``size`` is 0)."""
    if size > 0:
        yield SkipRequest(size)


def _entry_name(index: int, name_field: bytes) -> str:
    """Decode an entry's NUL-padded UTF-16LE name, refusing anything but printable ASCII."""
    chars: list[str] = []
    for pos in range(0, SECTION_NAME_SIZE, 2):
        low, high = name_field[pos], name_field[pos + 1]
        if low == high == 0:
            if any(name_field[pos:]):
                raise DlcValidationError(
                    DlcRejection.BAD_ENTRY,
                    f"section entry {index}: bytes after the name's terminating NUL are not zero",
                )
            break
        if high or not 0x21 <= low <= 0x7E:
            raise DlcValidationError(
                DlcRejection.BAD_ENTRY,
                f"section entry {index}: the name is not printable ASCII in UTF-16LE",
            )
        chars.append(chr(low))
    return "".join(chars)


def _parse_entry(index: int, entry: bytes) -> tuple[str, int] | None:
    """Return ``(section name, length)`` for a used entry, ``None`` for an unused one."""
    if not any(entry):
        return None
    if any(entry[34:38]):
        raise DlcValidationError(
            DlcRejection.BAD_ENTRY, f"section entry {index}: its last 4 bytes are not zero"
        )
    full_name = _entry_name(index, entry[:SECTION_NAME_SIZE])
    stem, dot, name = full_name.rpartition(".")
    if not full_name:
        raise DlcValidationError(
            DlcRejection.BAD_ENTRY, f"section entry {index} has no name but is not all zero"
        )
    if not (dot and stem and name):
        raise DlcValidationError(
            DlcRejection.BAD_ENTRY,
            f"section entry {index}: name {full_name!r} is not of the form NAME.EXT",
        )
    if name not in KNOWN_SECTIONS:
        raise DlcValidationError(
            DlcRejection.UNKNOWN_SECTION,
            f"section entry {index} names unknown section {name!r} ({full_name!r})",
        )
    expected = SECTION_ORDER[index]
    if name in UNPLACED_SECTIONS and expected is not None:
        raise DlcValidationError(
            DlcRejection.MISPLACED_SECTION,
            f"section {name} is in entry {index}, which belongs to {expected}",
        )
    if name not in UNPLACED_SECTIONS and expected != name:
        raise DlcValidationError(
            DlcRejection.MISPLACED_SECTION,
            f"section {name} is in entry {index}, expected entry {SECTION_ORDER.index(name)}",
        )
    return name, _u32(entry, 30)


def _check_section_size(name: str, length: int) -> None:
    """Apply the per-section size rules of §6."""
    rules = {
        "PAL": (length % PALETTE_SIZE == 0, f"a multiple of {PALETTE_SIZE} (one palette)"),
        "CEL": (length % CEL_SIZE == 0, f"a multiple of {CEL_SIZE} (one 64x64 cel)"),
        "SPR": (
            length >= SPRITE_PLAYLISTS * SPRITE_PLAYLIST_SIZE,
            f"at least {SPRITE_PLAYLISTS * SPRITE_PLAYLIST_SIZE} (16 playlists)",
        ),
        "AMF": (length >= 4, "at least 4 (the track count)"),
    }
    ok, rule = rules.get(name, (True, ""))
    if not ok:
        raise DlcValidationError(
            DlcRejection.BAD_SECTION_SIZE, f"{name} section is {length} bytes; it must be {rule}"
        )


def _check_sprites(length: int) -> ParseStep:
    """Check the 16 SPR playlists' 0x40 terminators, then pass the rest."""
    table_size = SPRITE_PLAYLISTS * SPRITE_PLAYLIST_SIZE
    table = yield ReadRequest(table_size)
    for playlist in range(SPRITE_PLAYLISTS):
        end = _u32(table, playlist * SPRITE_PLAYLIST_SIZE + 10)
        if end != SPRITE_PLAYLIST_END:
            raise DlcValidationError(
                DlcRejection.BAD_SPRITE_TABLE,
                f"SPR playlist {playlist} ends in {end:#x}, expected {SPRITE_PLAYLIST_END:#x}",
            )
    yield from _skip(length - table_size)


def _check_audio(length: int) -> ParseStep:
    """Check the AMF track count, offsets and track lengths (offsets are section-relative)."""
    count = _u32((yield ReadRequest(4)))
    table_end = 4 + 4 * count
    if count > MAX_AUDIO_TRACKS:
        raise DlcValidationError(
            DlcRejection.BAD_AUDIO_TABLE, f"AMF claims {count} tracks, more than {MAX_AUDIO_TRACKS}"
        )
    if table_end > length:
        raise DlcValidationError(
            DlcRejection.BAD_AUDIO_TABLE,
            f"AMF claims {count} tracks; their offset table ({table_end} bytes) overflows "
            f"the {length}-byte section",
        )
    starts: set[int] = set()
    track = 0
    while track < count:
        batch = min(_OFFSET_BATCH, count - track)
        data = yield ReadRequest(4 * batch)
        for pos in range(0, 4 * batch, 4):
            offset = _u32(data, pos)
            if not table_end <= offset <= length - 4:
                raise DlcValidationError(
                    DlcRejection.BAD_AUDIO_TABLE,
                    f"AMF track {track} starts at offset {offset}, outside "
                    f"{table_end}..{length - 4} of the section",
                )
            starts.add(offset)
            track += 1
    position = table_end
    ordered = sorted(starts)
    for i, start in enumerate(ordered):
        yield from _skip(start - position)
        track_length = _u32((yield ReadRequest(4)))
        limit = ordered[i + 1] if i + 1 < len(ordered) else length
        if start + 4 + track_length > limit:
            raise DlcValidationError(
                DlcRejection.BAD_AUDIO_TABLE,
                f"AMF track at offset {start} is {track_length} bytes long and runs past {limit}",
            )
        position = start + 4
    yield from _skip(length - position)


def check_magic(magic: bytes) -> None:
    """Refuse a file whose first 40 bytes are not the DLC magic."""
    if magic != DLC_MAGIC:
        raise DlcValidationError(
            DlcRejection.BAD_MAGIC, "the first 40 bytes are not the DLC magic ('FURBY'…)"
        )


def parse_section_table(table: bytes) -> tuple[DlcSection, ...]:
    """Check the 16 entries after the magic and return the sections they describe, in order."""
    layout: list[tuple[str, int]] = []
    for index in range(SECTION_ENTRY_COUNT):
        start = index * SECTION_ENTRY_SIZE
        entry = _parse_entry(index, table[start : start + SECTION_ENTRY_SIZE])
        if entry is None:
            continue
        if any(name == entry[0] for name, _ in layout):
            raise DlcValidationError(
                DlcRejection.DUPLICATE_SECTION,
                f"section {entry[0]} appears twice (again in entry {index})",
            )
        layout.append(entry)
    if not layout:
        raise DlcValidationError(DlcRejection.NO_SECTIONS, "the header lists no section")
    total = DLC_HEADER_SIZE + sum(length for _, length in layout)
    if total > MAX_DLC_SIZE:
        raise DlcValidationError(
            DlcRejection.TOO_LARGE,
            f"the header declares {total} bytes; an upload can carry at most {MAX_DLC_SIZE}",
        )
    sections: list[DlcSection] = []
    offset = DLC_HEADER_SIZE
    for name, length in layout:
        _check_section_size(name, length)
        sections.append(DlcSection(name=name, offset=offset, length=length))
        offset += length
    return tuple(sections)


def check_section_body(section: DlcSection) -> ParseStep:
    """Walk one section's bytes, checking the sprite table or the audio table where present."""
    if section.name == "SPR":
        yield from _check_sprites(section.length)
    elif section.name == "AMF":
        yield from _check_audio(section.length)
    else:
        yield from _skip(section.length)
