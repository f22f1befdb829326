"""DLC file validation: streaming, with the section map and Adler-32 (docs/protocol.md §6).

A DLC is a 0x288-byte little-endian header (40-byte magic, 16 section entries of 38 bytes) and
the section bodies back to back in entry order. ``DlcValidator`` checks a file as its chunks go
by, in bounded memory (a 648-byte header, 224 sprite-table bytes, and 4 bytes per audio track),
and computes ``zlib.adler32`` incrementally, the checksum the toy reports in ``73`` (§4.4).

Rules (§6 "Validate before upload"): the size is at least 0x288 and below 2**24 (the announce's
24-bit field); the magic matches; every entry is all zeros or names a known section at its place;
``0x288 + sum(section lengths)`` is the file size; PAL is a whole number of 0x80-byte palettes,
CEL of 0xC00-byte cels; the 16 sprite playlists end in 0x40; the AMF track count, offsets and
track lengths stay inside the section. Each failure names its own ``DlcRejection``.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import AsyncIterable, Generator

from .dlc_format import (
    CEL_SIZE,
    DLC_HEADER_SIZE,
    DLC_MAGIC,
    KNOWN_SECTIONS,
    MAX_AUDIO_TRACKS,
    PALETTE_SIZE,
    SECTION_ORDER,
    UNPLACED_SECTIONS,
    DlcInfo,
    DlcRejection,
    DlcSection,
    DlcValidationError,
    ReadRequest,
    SkipRequest,
    check_magic,
    check_section_body,
    parse_section_table,
)

__all__ = [
    "CEL_SIZE",
    "DLC_HEADER_SIZE",
    "DLC_MAGIC",
    "KNOWN_SECTIONS",
    "MAX_AUDIO_TRACKS",
    "PALETTE_SIZE",
    "SECTION_ORDER",
    "UNPLACED_SECTIONS",
    "DlcInfo",
    "DlcRejection",
    "DlcSection",
    "DlcValidationError",
    "DlcValidator",
    "validate_bytes",
    "validate_file",
    "validate_stream",
]


class DlcValidator:
    """Incremental DLC validator: ``feed`` chunks in file order, then ``finish``.

    ``feed`` raises ``DlcValidationError`` as soon as the bytes seen so far break a rule, so an
    upload can stop early; the same error is raised again by any later call. The outcome does
    not depend on how the file is cut into chunks.
    """

    def __init__(self) -> None:
        """Start with nothing seen."""
        self._adler = zlib.adler32(b"")
        self._size = 0
        self._expected: int | None = None
        self._parser = self._parse()
        self._request: ReadRequest | SkipRequest | None = next(self._parser)
        self._remaining = self._request.size
        self._buffer = bytearray()
        self._sections: tuple[DlcSection, ...] | None = None
        self._error: DlcValidationError | None = None
        self._info: DlcInfo | None = None

    @property
    def bytes_seen(self) -> int:
        """Bytes fed so far."""
        return self._size

    @property
    def expected_size(self) -> int | None:
        """The file size the header declares, once the header has been read."""
        return self._expected

    def feed(self, chunk: bytes | bytearray | memoryview) -> None:
        """Consume the next chunk of the file."""
        if self._error is not None:
            raise self._error
        if self._info is not None:
            raise RuntimeError("DlcValidator.feed() called after finish()")
        view = memoryview(chunk).cast("B")
        self._adler = zlib.adler32(view, self._adler)
        self._size += len(view)
        try:
            self._consume(view)
        except DlcValidationError as err:
            self._error = err
            raise

    def _consume(self, view: memoryview) -> None:
        """Hand ``view`` to the parser's pending requests."""
        pos = 0
        while pos < len(view):
            if self._request is None:
                raise DlcValidationError(
                    DlcRejection.SIZE_MISMATCH,
                    f"the file is longer than the {self._expected} bytes its header declares",
                )
            take = min(self._remaining, len(view) - pos)
            if isinstance(self._request, ReadRequest):
                self._buffer += view[pos : pos + take]
            pos += take
            self._remaining -= take
            if self._remaining == 0:
                data = bytes(self._buffer)
                self._buffer.clear()
                try:
                    self._request = self._parser.send(data)
                    self._remaining = self._request.size
                except StopIteration as done:
                    self._sections = done.value
                    self._request = None

    def finish(self) -> DlcInfo:
        """Declare the end of the file and return its ``DlcInfo``."""
        if self._error is not None:
            raise self._error
        if self._info is None:
            if self._sections is None:
                if self._expected is None:
                    self._error = DlcValidationError(
                        DlcRejection.TRUNCATED_HEADER,
                        f"the file has {self._size} bytes; the header alone needs "
                        f"{DLC_HEADER_SIZE}",
                    )
                else:
                    self._error = DlcValidationError(
                        DlcRejection.SIZE_MISMATCH,
                        f"the file ends after {self._size} bytes but its header declares "
                        f"{self._expected}",
                    )
                raise self._error
            self._info = DlcInfo(size=self._size, adler32=self._adler, sections=self._sections)
        return self._info

    def _parse(self) -> Generator[ReadRequest | SkipRequest, bytes, tuple[DlcSection, ...]]:
        """Walk the whole file: header, then each section body; return the sections."""
        check_magic((yield ReadRequest(len(DLC_MAGIC))))
        sections = parse_section_table((yield ReadRequest(DLC_HEADER_SIZE - len(DLC_MAGIC))))
        self._expected = sections[-1].end
        for section in sections:
            yield from check_section_body(section)
        return sections


def validate_bytes(data: bytes | bytearray | memoryview) -> DlcInfo:
    """Validate a whole DLC file held in memory."""
    validator = DlcValidator()
    validator.feed(data)
    return validator.finish()


def validate_file(path: str | os.PathLike[str], *, chunk_size: int = 1 << 16) -> DlcInfo:
    """Validate a DLC file on disk, reading it in chunks (blocking: run it in an executor).

    ``OSError`` from opening or reading the file propagates unchanged.
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    validator = DlcValidator()
    with open(path, "rb") as file:
        while chunk := file.read(chunk_size):
            validator.feed(chunk)
    return validator.finish()


async def validate_stream(chunks: AsyncIterable[bytes]) -> DlcInfo:
    """Validate a DLC file arriving as an async stream of chunks (e.g. from aiofiles)."""
    validator = DlcValidator()
    async for chunk in chunks:
        validator.feed(chunk)
    return validator.finish()
