"""Synthetic, valid DLC files of any size (docs/protocol.md §6), for tests and the upload benchmark.

The bytes are deterministic for a given ``(total_size, seed)``. ``iter_dlc`` yields a file in
chunks without holding it whole, ``write_dlc`` streams one to disk (16 MB files are fine), and
``build_dlc`` returns it in memory. ``dlc_layout`` tells which sections a size gets, and
``build_header`` writes a header for any section list, to craft broken files.

The layout knowledge here is written independently of ``protocol/dlc.py`` on purpose, so the
two check each other.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from os import PathLike
from typing import Final

HEADER_SIZE: Final = 0x288
MAGIC: Final = b"F\x00U\x00R\x00B\x00Y" + b"\x00" * 23 + b"\x78\x56\x34\x12\x02\x00\x08\x00"
ENTRY_SIZE: Final = 38
ENTRY_SLOTS: Final = {
    "PAL": 1,
    "SPR": 2,
    "CEL": 3,
    "XLS": 4,
    "AMF": 9,
    "APL": 10,
    "LPS": 11,
    "SEQ": 12,
    "MTR": 13,
}
FIRST_COUNTER: Final = 0x0040CFB5
COUNTER_STEP: Final = 0x1A
PALETTE: Final = 0x80
CEL: Final = 0xC00
SPRITE_TABLE: Final = 16 * 14
SAMPLE_RATE: Final = 16000
MAX_CELS: Final = 79
MAX_TRACKS: Final = 146
BYTES_PER_TRACK: Final = 8192
RANDOM_BLOCK: Final = 1 << 16

# Smallest valid file: no cels, one audio track holding only its sample rate.
_BASE: Final = {"PAL": PALETTE, "SPR": SPRITE_TABLE, "CEL": 0, "XLS": 16, "AMF": 14}
_SMALL: Final = {"APL": 2, "LPS": 2, "SEQ": 2, "MTR": 2}
MIN_DLC_SIZE: Final = HEADER_SIZE + sum(_BASE.values()) + sum(_SMALL.values())
MAX_DLC_SIZE: Final = 2**24 - 1


@dataclass(frozen=True, slots=True)
class DlcLayout:
    """Sections in file order and the AMF tracks' lengths (each counts its 2-byte rate)."""

    sections: tuple[tuple[str, int], ...]
    tracks: tuple[int, ...]

    @property
    def total_size(self) -> int:
        """Header plus every section."""
        return HEADER_SIZE + sum(length for _, length in self.sections)


def dlc_layout(total_size: int) -> DlcLayout:
    """Choose section sizes adding up to ``total_size``: up to 79 cels, the rest as audio."""
    if not MIN_DLC_SIZE <= total_size <= MAX_DLC_SIZE:
        raise ValueError(f"total_size must be {MIN_DLC_SIZE}..{MAX_DLC_SIZE}, got {total_size}")
    spare = total_size - MIN_DLC_SIZE
    cels = min(MAX_CELS, spare // (4 * CEL))
    spare -= cels * CEL
    track_count = max(1, min(MAX_TRACKS, spare // BYTES_PER_TRACK))
    amf = _BASE["AMF"] + spare
    payload = amf - 4 - 8 * track_count
    tracks = [payload // track_count] * track_count
    tracks[-1] += payload - sum(tracks)
    sizes = {**_BASE, "CEL": cels * CEL, "AMF": amf, **_SMALL}
    order = sorted(sizes, key=ENTRY_SLOTS.__getitem__)
    layout = DlcLayout(tuple((name, sizes[name]) for name in order), tuple(tracks))
    assert layout.total_size == total_size
    return layout


def build_header(
    sections: Sequence[tuple[str, int]], *, slots: dict[str, int] | None = None
) -> bytes:
    """A 0x288-byte header listing ``sections`` (name, length) at their usual entries.

    ``slots`` overrides the entry index per name, for names with no usual entry or to misplace
    one on purpose. Names are written as ``DLC_0000.<NAME>``.
    """
    places = {**ENTRY_SLOTS, **(slots or {})}
    entries = [b"\x00" * ENTRY_SIZE] * 16
    counter = FIRST_COUNTER
    for name, length in sections:
        label = f"DLC_0000.{name}".encode("utf-16-le").ljust(26, b"\x00")
        entries[places[name]] = label + struct.pack("<III", counter, length, 0)
        counter += COUNTER_STEP
    return MAGIC + b"".join(entries)


def _random_chunks(rng: random.Random, size: int, chunk_size: int) -> Iterator[bytes]:
    """``size`` pseudo-random bytes in pieces of at most ``chunk_size``.

    The bytes are drawn in fixed blocks, so they do not depend on ``chunk_size``.
    """
    while size > 0:
        block = rng.randbytes(min(size, RANDOM_BLOCK))
        size -= len(block)
        for start in range(0, len(block), chunk_size):
            yield block[start : start + chunk_size]


def _sprite_table() -> bytes:
    """16 playlists of one frame each, ending in the 0x40 terminator."""
    return b"".join(struct.pack("<HIII", 1, 112 + 2 * i, 0, 0x40) for i in range(16))


def _audio(
    rng: random.Random, length: int, tracks: Sequence[int], chunk_size: int
) -> Iterator[bytes]:
    """An AMF section: track count, offsets, then each track's length, rate and data."""
    offsets: list[int] = []
    offset = 4 + 4 * len(tracks)
    for track in tracks:
        offsets.append(offset)
        offset += 4 + track
    assert offset == length
    yield struct.pack(f"<I{len(tracks)}I", len(tracks), *offsets)
    for track in tracks:
        yield struct.pack("<IH", track, SAMPLE_RATE)
        yield from _random_chunks(rng, track - 2, chunk_size)


def iter_dlc(total_size: int, *, seed: int = 0, chunk_size: int = 1 << 16) -> Iterator[bytes]:
    """Yield a valid DLC of exactly ``total_size`` bytes, piece by piece."""
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be positive, got {chunk_size}")
    layout = dlc_layout(total_size)
    rng = random.Random(seed)
    yield build_header(layout.sections)
    for name, length in layout.sections:
        if name == "SPR":
            yield _sprite_table()
            yield from _random_chunks(rng, length - SPRITE_TABLE, chunk_size)
        elif name == "AMF":
            yield from _audio(rng, length, layout.tracks, chunk_size)
        else:
            yield from _random_chunks(rng, length, chunk_size)


def build_dlc(total_size: int, *, seed: int = 0) -> bytes:
    """A valid DLC of exactly ``total_size`` bytes, in memory."""
    return b"".join(iter_dlc(total_size, seed=seed))


def write_dlc(path: str | PathLike[str], total_size: int, *, seed: int = 0) -> None:
    """Stream a valid DLC of ``total_size`` bytes to ``path`` without holding it in memory."""
    with open(path, "wb") as file:
        for chunk in iter_dlc(total_size, seed=seed):
            file.write(chunk)
