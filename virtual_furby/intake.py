"""How the virtual Furby takes in FileWrite packets: its buffer, its pace, its flash pauses.

docs/simulator.md "File intake" gives the reasoning; in short:

* The toy processes FileWrite packets at ``packets_per_second`` (200/s, 4 kB/s: bluefluff's
  "~4 kB/s realistic", docs/protocol.md §5.3) and holds at most ``buffer_packets`` received but
  not yet processed (12 to 32 in the tests).
* Optionally it pauses to write flash: after every ``flash_block_bytes`` (64 KiB) of file, and
  after the last, partial block, it stops processing for a time drawn from ``flash_pause``
  (0.5-2 s in the tests). The draws come from a seeded generator, so a run is reproducible and
  :meth:`IntakeModel.pause_seconds` can tell a benchmark the sum beforehand.
* A packet that finds the buffer full is either lost and answered with ``0a`` (``DROP``, the
  default and the only behaviour before flash pauses were modelled) or not acknowledged on the
  radio, which then resends it each connection event until there is room (``HOLD``, link-layer
  flow control: nothing is lost, the host's writes wait).
* A fault can stop the intake altogether (``Faults.stall_intake``): nothing is processed until
  it resumes.
"""

from __future__ import annotations

import math
import random
from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from .radio import PAYLOAD_SIZE

FLASH_BLOCK_BYTES: Final = 65_536
"""The toy writes its flash every 64 KiB of file (docs/simulator.md)."""


class FullBuffer(StrEnum):
    """What happens to a FileWrite packet that finds the toy's buffer full."""

    DROP = "drop"
    """Lost; the toy answers ``0a`` (overload) and the upload ends in ``24 06``."""
    HOLD = "hold"
    """Not acknowledged on the radio: resent every connection event until there is room."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IntakeModel:
    """The toy's file intake (docs/simulator.md "File intake")."""

    packets_per_second: float = 200.0
    """How fast the toy processes FileWrite packets (``math.inf`` = at once)."""
    buffer_packets: int = 32
    """FileWrite packets the toy holds unprocessed."""
    flash_block_bytes: int = FLASH_BLOCK_BYTES
    """Bytes of file between two flash writes."""
    flash_pause: tuple[float, float] = (0.0, 0.0)
    """Shortest and longest flash write in seconds (both 0: no pauses, the default)."""
    when_full: FullBuffer = FullBuffer.DROP
    """What a packet that finds the buffer full meets."""

    def __post_init__(self) -> None:
        """Reject nonsense parameters with a message naming the field."""
        if not self.packets_per_second > 0:
            raise ValueError("packets_per_second must be > 0 (math.inf for instant)")
        if self.buffer_packets < 1:
            raise ValueError("buffer_packets must be at least 1")
        if self.flash_block_bytes < PAYLOAD_SIZE:
            raise ValueError(f"flash_block_bytes must be at least {PAYLOAD_SIZE}")
        low, high = self.flash_pause
        if not (0 <= low <= high and math.isfinite(high)):
            raise ValueError(
                "flash_pause must be (shortest, longest) with 0 <= shortest <= longest"
            )
        if not isinstance(self.when_full, FullBuffer):
            raise ValueError(f"when_full must be a FullBuffer, got {self.when_full!r}")

    @classmethod
    def instant(cls) -> IntakeModel:
        """Return an intake that processes every packet at once (fast HA tests)."""
        return cls(packets_per_second=math.inf)

    @property
    def pauses(self) -> bool:
        """True when the toy pauses to write flash."""
        return self.flash_pause[1] > 0

    def blocks(self, nbytes: int) -> int:
        """Flash writes for a file of ``nbytes`` (the last, partial block is written too)."""
        return math.ceil(nbytes / self.flash_block_bytes) if self.pauses else 0

    def pause_seconds(self, nbytes: int, seed: int) -> float:
        """Total flash pause for a file of ``nbytes`` on a toy seeded with ``seed``."""
        draws = FlashPauses(self, seed)
        return sum(draws.next() for _ in range(self.blocks(nbytes)))

    def min_process_seconds(self, nbytes: int, seed: int) -> float:
        """Least time the toy needs to process ``nbytes``: its pace plus its flash pauses."""
        packets = math.ceil(nbytes / PAYLOAD_SIZE)
        pace = packets / self.packets_per_second if math.isfinite(self.packets_per_second) else 0
        return pace + self.pause_seconds(nbytes, seed)


class FlashPauses:
    """The reproducible sequence of flash pause durations of one toy."""

    def __init__(self, model: IntakeModel, seed: int) -> None:
        """Start the sequence; the same model and seed always give the same durations."""
        self._low, self._high = model.flash_pause
        self._rng = random.Random(seed)

    def next(self) -> float:
        """Return the duration of the next flash write."""
        return self._rng.uniform(self._low, self._high)


class Intake:
    """The toy's FileWrite queue during one upload: what is buffered and when it is processed.

    Each accepted packet gets the time its processing ends; the buffer holds the packets whose
    time lies ahead. Time is passed in (``now``), so the class needs no clock of its own.
    """

    def __init__(self, model: IntakeModel, seed: int) -> None:
        """Create an empty intake."""
        self.model = model
        self._seed = seed
        self._done: deque[float] = deque()
        self._busy_until = 0.0
        self._block_bytes = 0
        self._pauses = FlashPauses(model, seed)
        self._stalled_since: float | None = None
        self.pause_total = 0.0
        self.flash_writes = 0

    def start(self, now: float) -> None:
        """Begin a new upload: nothing buffered, the pause sequence from its start."""
        self._done.clear()
        self._busy_until = now
        self._block_bytes = 0
        self._pauses = FlashPauses(self.model, self._seed)
        self.pause_total = 0.0
        self.flash_writes = 0

    @property
    def busy_until(self) -> float:
        """When the last accepted packet (and any flash write after it) will be done."""
        return math.inf if self._stalled_since is not None else self._busy_until

    def buffered(self, now: float) -> int:
        """FileWrite packets received but not yet processed at ``now``."""
        done = self._done
        if self._stalled_since is None:
            while done and done[0] <= now:
                done.popleft()
        return len(done)

    def is_full(self, now: float) -> bool:
        """Return True when one more packet would not fit."""
        return self.buffered(now) >= self.model.buffer_packets

    def accept(self, nbytes: int, now: float) -> None:
        """Take a packet of ``nbytes`` into the buffer (the caller checked ``is_full``)."""
        rate = self.model.packets_per_second
        start = self._busy_until if self._busy_until > now else now
        finish = start + 1 / rate if rate != math.inf else start
        if finish > now or self._stalled_since is not None:
            self._done.append(finish)
        self._busy_until = finish
        if self.model.pauses:
            self._block_bytes += nbytes
            if self._block_bytes >= self.model.flash_block_bytes:
                self._block_bytes -= self.model.flash_block_bytes
                self._flash_write()

    def finish(self) -> None:
        """Write the last, partial block of a complete file to flash."""
        if self.model.pauses and self._block_bytes:
            self._block_bytes = 0
            self._flash_write()

    def _flash_write(self) -> None:
        pause = self._pauses.next()
        self._busy_until += pause
        self.pause_total += pause
        self.flash_writes += 1

    def stall(self, now: float) -> None:
        """Stop processing (a fault): nothing leaves the buffer until :meth:`resume`."""
        if self._stalled_since is None:
            self.buffered(now)
            self._stalled_since = now

    def resume(self, now: float) -> None:
        """Process again: the buffered packets are worked off from ``now`` at the nominal pace."""
        if self._stalled_since is None:
            return
        self._stalled_since = None
        rate = self.model.packets_per_second
        step = 1 / rate if rate != math.inf else 0.0
        count = len(self._done)
        self._done = deque(now + step * (index + 1) for index in range(count))
        self._busy_until = now + step * count
