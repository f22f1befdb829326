"""Pacing and measuring a DLC upload: flow control from the toy's acks, progress reports.

``FlowControl`` decides when the next FileWrite packet may go out, from the ``09 NN`` packet
acks and ``0a`` overloads on NordicListen (PROTOCOL.md §4.3, §5.2 step 5). ``ProgressMeter``
turns bytes sent into throttled ``TransferProgress`` reports with a rate and an ETA. Both use
the event loop's clock, so they run unchanged on a virtual-time loop. ``transfer.py`` drives
them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

MAX_BUFFERED_PACKETS: Final = 10
"""FurBLE pauses while the toy reports more than this many unprocessed packets (§4.3, §5.2)."""


class UploadPhase(StrEnum):
    """Where an upload is; ``done``, ``failed`` and ``cancelled`` are final."""

    VALIDATING = "validating"
    ANNOUNCING = "announcing"
    TRANSFERRING = "transferring"
    VERIFYING = "verifying"
    ACTIVATING = "activating"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        """Whether the upload has ended."""
        return self in (UploadPhase.DONE, UploadPhase.FAILED, UploadPhase.CANCELLED)


@dataclass(frozen=True, slots=True)
class TransferSettings:
    """Timeouts and pacing of an upload; the defaults follow §5.2 and the clients it cites."""

    max_buffered: int = MAX_BUFFERED_PACKETS
    announce_timeout: float = 10.0
    """Seconds to wait for ``24 02`` after the announce (PyFluff waits 10 s)."""
    pause_timeout: float = 10.0
    """Seconds the sender may stay paused without the toy draining before it gives up."""
    probe_interval: float = 0.01
    """First wait before a probe packet while paused with nothing in flight."""
    max_probe_interval: float = 0.1
    """Longest wait between probes (FurBLE re-checks every 100 ms)."""
    result_timeout: float = 30.0
    """Seconds to wait for ``24 05`` after the last packet."""
    error_grace: float = 1.0
    """Seconds to wait for a ``24 06`` after ``24 05`` (FurBLE's TODO, §4.3)."""
    progress_interval: float = 1.0
    """At most one progress report per interval while streaming (phase changes always report)."""
    rate_window: float = 5.0
    """Seconds of history behind the reported rate."""

    def __post_init__(self) -> None:
        """Refuse settings that could never work, naming the field."""
        if self.max_buffered < 1:
            raise ValueError(f"max_buffered must be at least 1, got {self.max_buffered}")
        positive = ("announce_timeout", "pause_timeout", "probe_interval", "result_timeout")
        for name in (*positive, "rate_window"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if self.max_probe_interval < self.probe_interval:
            raise ValueError("max_probe_interval must be at least probe_interval")
        for name in ("error_grace", "progress_interval"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative, got {getattr(self, name)}")


@dataclass(frozen=True, slots=True)
class TransferProgress:
    """One progress report: ``rate`` in bytes/s and ``eta`` in seconds, once known."""

    phase: UploadPhase
    bytes_sent: int
    total_bytes: int
    elapsed: float
    rate: float | None = None
    eta: float | None = None
    slot: int | None = None

    @property
    def percent(self) -> float:
        """Share of the file written so far, 0-100."""
        return 100.0 * self.bytes_sent / self.total_bytes if self.total_bytes else 0.0


type ProgressCallback = Callable[[TransferProgress], None]


class FlowControl:
    """When the next FileWrite may go out (§4.3, §5.2 step 5).

    The toy's backlog is estimated as the last reported ``NN`` plus the packets written since
    that ack arrived; writing pauses while the estimate exceeds ``max_buffered`` (FurBLE's
    rule) or after an overload, and resumes on the ack that allows it. The toy acks received
    packets; no source describes an ack for a draining buffer (inferred), so a sender paused
    with nothing in flight sends one packet after a short wait (doubling up to
    ``max_probe_interval``) to draw a fresh ack.
    """

    def __init__(self, settings: TransferSettings, wake: asyncio.Event) -> None:
        """Start with an empty backlog; ``wake`` is set by every notification that matters."""
        self._settings = settings
        self._wake = wake
        self.reported = 0
        self.sent_since_ack = 0
        self.overloaded = False
        self.pauses = 0
        self.overloads = 0
        self._stall_timer: asyncio.TimerHandle | None = None
        self._stalled = False
        self._probe = settings.probe_interval

    @property
    def may_send(self) -> bool:
        """Whether the estimated backlog leaves room for another packet."""
        backlog = self.reported + self.sent_since_ack
        return not self.overloaded and backlog <= self._settings.max_buffered

    def on_ack(self, buffered: int) -> None:
        """Take a ``09 NN`` ack: the toy holds ``buffered`` unprocessed packets now."""
        self.reported = buffered
        self.sent_since_ack = 0
        self.overloaded = False
        self._wake.set()

    def on_overload(self) -> None:
        """Take a ``0a`` overload: hold until the next ack."""
        self.overloaded = True
        self.overloads += 1

    def on_sent(self) -> None:
        """Count one packet written."""
        self.sent_since_ack += 1

    async def wait_for_room(self, check: Callable[[], None]) -> bool:
        """Wait until a packet may be written, possibly as a probe.

        Returns ``False`` when paused for ``pause_timeout`` without relief (a stall). ``check``
        runs after every wake-up and raises to abort (a lost link, the toy's ``24 06``). The
        stall deadline is a loop timer, so it fires on virtual and on test-driven time alike.
        """
        if self._stall_timer is None:
            self.pauses += 1
            self._stalled = False
            self._stall_timer = asyncio.get_running_loop().call_later(
                self._settings.pause_timeout, self._on_stall
            )
        while not self.may_send:
            if self._stalled:
                self._stall_timer = None
                return False
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._probe):
                    await self._wake.wait()
            check()
            if not self.may_send and not self._wake.is_set():
                self._probe = min(2 * self._probe, self._settings.max_probe_interval)
                return True  # no news: one packet draws a fresh ack
        self._stall_timer.cancel()
        self._stall_timer = None
        self._probe = self._settings.probe_interval
        return True

    def _on_stall(self) -> None:
        """Mark the pause as stalled (it lasted ``pause_timeout``) and wake the sender."""
        self._stalled = True
        self._wake.set()

    def cancel(self) -> None:
        """Cancel the stall timer (the transfer ended)."""
        if self._stall_timer is not None:
            self._stall_timer.cancel()
            self._stall_timer = None

    def describe(self) -> str:
        """Say what the flow control last saw (for error messages)."""
        return f"last ack {self.reported} packets, {self.sent_since_ack} sent since"


class ProgressMeter:
    """Throttled progress reports with a windowed rate and an ETA."""

    def __init__(
        self, total: int, settings: TransferSettings, callback: ProgressCallback | None
    ) -> None:
        """Start the clock at the loop's current time."""
        self._loop = asyncio.get_running_loop()
        self._total = total
        self._settings = settings
        self._callback = callback
        self._start = self._loop.time()
        self._next_report = self._start
        self._samples: deque[tuple[float, int]] = deque([(self._start, 0)])
        self.phase = UploadPhase.ANNOUNCING
        self.slot: int | None = None

    @property
    def elapsed(self) -> float:
        """Seconds since the meter started."""
        return self._loop.time() - self._start

    def maybe_report(self, sent: int) -> None:
        """Report ``sent`` bytes if the last report is at least ``progress_interval`` old."""
        if self._loop.time() >= self._next_report:
            self.report(sent)

    def report(self, sent: int, phase: UploadPhase | None = None) -> None:
        """Report now, switching to ``phase`` if given."""
        now = self._loop.time()
        self.phase = phase or self.phase
        self._next_report = now + self._settings.progress_interval
        samples = self._samples
        samples.append((now, sent))
        while len(samples) > 2 and now - samples[1][0] >= self._settings.rate_window:
            samples.popleft()
        start_time, start_sent = samples[0]
        rate = (sent - start_sent) / (now - start_time) if now > start_time else None
        eta = (self._total - sent) / rate if rate else None
        if self._callback is not None:
            self._callback(
                TransferProgress(
                    self.phase, sent, self._total, now - self._start, rate, eta, self.slot
                )
            )
