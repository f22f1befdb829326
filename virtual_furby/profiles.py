"""Named radios and intakes, the upload matrix the tests and the benchmark run, and its bound.

The matrix (docs/simulator.md "The upload matrix") crosses every ack model (a-d) with four
intakes and three radios:

* radios: ``fast`` (7.5 ms interval, 6 packets per event: 800 packets/s), ``default`` (15 ms, 4:
  ~267/s) and ``slow`` (45 ms, 2: ~44/s, slower than the toy, so the radio is the bottleneck);
* intakes: ``steady_32`` (the default: 200 packets/s, 32 buffered), ``steady_12`` (the smallest
  buffer), and ``flash_32`` / ``flash_12``: the same with 0.5-2 s flash writes every 64 KiB.

A flash-writing toy holds packets back on the radio when its buffer is full (link-layer flow
control) instead of losing them: bluefluff's blind 5 ms pacing uploads whole DLCs on real toys, so
a toy that paused for seconds *and* dropped what did not fit in 12-32 packets would contradict
that evidence (docs/simulator.md explains it). A steady toy drops, as before.

:func:`min_upload_seconds` is the least time any host could take for a file on a given toy: the
larger of what the radio can carry and what the toy can process (its pace plus its flash pauses).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from .acks import AckModel
from .intake import FullBuffer, IntakeModel
from .radio import PAYLOAD_SIZE, RadioModel

FLASH_PAUSE: Final = (0.5, 2.0)
"""Seconds a flash write takes in the flash intakes (docs/simulator.md)."""

RADIOS: Final[dict[str, RadioModel]] = {
    "fast": RadioModel(connection_interval=0.0075, packets_per_event=6),
    "default": RadioModel(),
    "slow": RadioModel(connection_interval=0.045, packets_per_event=2),
}
"""The radios of the matrix, fastest first."""

INTAKES: Final[dict[str, IntakeModel]] = {
    "steady_32": IntakeModel(),
    "steady_12": IntakeModel(buffer_packets=12),
    "flash_32": IntakeModel(flash_pause=FLASH_PAUSE, when_full=FullBuffer.HOLD),
    "flash_12": IntakeModel(buffer_packets=12, flash_pause=FLASH_PAUSE, when_full=FullBuffer.HOLD),
}
"""The intakes of the matrix."""


@dataclass(frozen=True, slots=True)
class UploadCell:
    """One cell of the matrix: an ack model, an intake and a radio, by name."""

    acks: AckModel
    intake_name: str
    radio_name: str

    @property
    def intake(self) -> IntakeModel:
        """The cell's intake."""
        return INTAKES[self.intake_name]

    @property
    def radio(self) -> RadioModel:
        """The cell's radio."""
        return RADIOS[self.radio_name]

    @property
    def id(self) -> str:
        """A short id for test names and tables, e.g. ``a-flash_12-slow``."""
        return f"{self.acks.letter}-{self.intake_name}-{self.radio_name}"


def upload_matrix() -> Iterator[UploadCell]:
    """Every cell: ack models x intakes x radios."""
    for acks in AckModel:
        for intake_name in INTAKES:
            for radio_name in RADIOS:
                yield UploadCell(acks, intake_name, radio_name)


def min_upload_seconds(radio: RadioModel, intake: IntakeModel, nbytes: int, seed: int = 0) -> float:
    """Least time any host can take to deliver ``nbytes`` and have the toy process them.

    The larger of two bounds: the radio's (``ceil(packets / per event)`` connection events, the
    first of which may be immediate) and the toy's (``packets / packets_per_second`` plus the
    flash pauses the toy with this ``seed`` will take). Handshakes are not counted.
    """
    if nbytes < 0:
        raise ValueError("nbytes must be >= 0")
    packets = math.ceil(nbytes / PAYLOAD_SIZE)
    if packets == 0:
        return 0.0
    return max(radio.min_stream_seconds(packets), intake.min_process_seconds(nbytes, seed))
