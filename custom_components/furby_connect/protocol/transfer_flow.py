"""Pacing and measuring a DLC upload: spacing, flow control from the toy's acks, progress.

``FlowControl`` decides when the next FileWrite packet may go out (docs/protocol.md §4.3, §5.2
step 5; docs/simulator.md "Ack models" for the readings it must survive):

* Spacing: consecutive packets leave at least ``min_packet_interval`` (5 ms) apart. That is the
  pace proven on real toys (bluefluff, PyFluff) and the toy's own intake of 200 packets/s, so it
  costs no time, and it is what keeps the toy's buffer small when the acks say nothing useful.
* Acks (``09 NN``): writing pauses while the last reported NN exceeds ``max_buffered`` (FurBLE's
  rule: NN > 10), while more than ``max_buffered`` packets went out since the last ack (the
  sender never runs further ahead of the toy's news), and after an overload (``0a``); it resumes
  on the ack that allows it. The two counts are not added up: under the reading where NN counts
  the packets received since the previous ack (model c), NN already holds one or two connection
  events' worth of packets, and adding the packets sent since would read a toy that keeps up as
  one that falls behind. At 5 ms spacing the toy drains as fast as it is fed, so neither count
  grows unless the toy stops draining.
* Probes: paused without news, the sender may send one packet (the next of the file) to draw a
  fresh ack, after ``probe_interval``. A probe answered with a backlog no lower than before (the
  toy is not draining), with an overload, or not at all, doubles the wait before the next (up to
  ``max_probe_interval``); a lower backlog resets it. So a toy that is not draining gets ever
  fewer probes, and its backlog grows by at most one packet per probe.
* No acks (a toy that sends none even after ``09 01 00``, or stops sending them): once the
  sender has waited ``no_ack_timeout`` after its last packet without any ack, it stops waiting
  for acks and writes at the fixed spacing alone, as bluefluff does. (Counted from the last
  packet written, not the first unanswered one: a write the radio held back for a while, because
  the toy's buffer was full, is answered as soon as the toy takes it.) An ack that arrives later
  is obeyed again.

``ProgressMeter`` turns bytes sent into throttled ``TransferProgress`` reports with a rate and an
ETA. Both use the event loop's clock, so they run unchanged on a virtual-time loop. ``transfer.py``
drives them; it also watches for a toy that takes no data at all (``pause_timeout``).
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

MIN_PACKET_INTERVAL: Final = 0.005
"""bluefluff's and PyFluff's 5 ms between FileWrite packets (§5.2 step 5): 200 packets/s."""


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
    """Seconds the toy may take no data (paused on its acks, or a write held back) before the
    upload fails as stalled."""
    probe_interval: float = 0.01
    """First wait before a probe packet while paused with no news."""
    max_probe_interval: float = 1.0
    """Longest wait between probes once they have been backed off."""
    result_timeout: float = 30.0
    """Seconds to wait for ``24 05`` after the last packet."""
    error_grace: float = 1.0
    """Seconds to wait for a ``24 06`` after ``24 05`` (FurBLE's TODO, §4.3)."""
    progress_interval: float = 1.0
    """At most one progress report per interval while streaming (phase changes always report)."""
    rate_window: float = 5.0
    """Seconds of history behind the reported rate."""
    min_packet_interval: float = MIN_PACKET_INTERVAL
    """Least time between the starts of two FileWrite packets."""
    no_ack_timeout: float = 0.5
    """Seconds paused without any ack before the sender paces by ``min_packet_interval`` alone."""

    def __post_init__(self) -> None:
        """Refuse settings that could never work, naming the field."""
        if self.max_buffered < 1:
            raise ValueError(f"max_buffered must be at least 1, got {self.max_buffered}")
        positive = (
            "announce_timeout",
            "pause_timeout",
            "probe_interval",
            "result_timeout",
            "rate_window",
            "no_ack_timeout",
        )
        for name in positive:
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if self.max_probe_interval < self.probe_interval:
            raise ValueError("max_probe_interval must be at least probe_interval")
        for name in ("error_grace", "progress_interval", "min_packet_interval"):
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
    """When the next FileWrite may go out (see the module docstring).

    ``transfer.py`` calls ``may_send`` before each packet, ``wait_for_room`` when it is false,
    and ``on_sent`` after each write; the notification listener calls ``on_ack`` and
    ``on_overload``. ``progress_at`` is the last time the toy visibly took data (a packet written
    while not paused, or a pause that ended), for the stall watchdog.
    """

    def __init__(
        self,
        settings: TransferSettings,
        wake: asyncio.Event,
        on_stall: Callable[[], None] | None = None,
    ) -> None:
        """Start with an empty backlog; ``wake`` is set by every notification that matters.

        ``on_stall`` is called when one pause lasts ``pause_timeout`` (a loop timer armed when
        the pause begins, so it fires on virtual and on test-driven time alike).
        """
        self._settings = settings
        self._wake = wake
        self._on_stall = on_stall
        self._pause_timer: asyncio.TimerHandle | None = None
        self._loop = asyncio.get_running_loop()
        self.reported = 0
        self.sent_since_ack = 0
        self.overloaded = False
        self.blind = False
        self.acks = 0
        self.pauses = 0
        self.overloads = 0
        self.probes = 0
        self.went_blind = 0
        self.next_send_at = 0.0
        self.progress_at = self._loop.time()
        self._unanswered_since: float | None = None
        self._probe = settings.probe_interval
        self._probe_baseline: int | None = None
        self._paused = False

    @property
    def may_send(self) -> bool:
        """Whether the estimated backlog leaves room for another packet."""
        if self.overloaded:
            return False
        limit = self._settings.max_buffered
        return self.blind or (self.reported <= limit and self.sent_since_ack <= limit)

    def on_ack(self, buffered: int) -> None:
        """Take a ``09 NN`` ack: the toy holds ``buffered`` unprocessed packets now."""
        baseline = self._probe_baseline
        if baseline is not None:
            self._probe_baseline = None
            if buffered >= baseline:
                self._back_off()  # the toy is not draining: probe less
            else:
                self._probe = self._settings.probe_interval
        self.reported = buffered
        self.sent_since_ack = 0
        self.overloaded = False
        self.blind = False
        self.acks += 1
        self._unanswered_since = None
        self._wake.set()

    def on_overload(self) -> None:
        """Take a ``0a`` overload: hold until the next ack (or, without acks, for a moment)."""
        self.overloaded = True
        self.overloads += 1
        if self._probe_baseline is not None:
            self._probe_baseline = None
            self._back_off()  # the probe overflowed the toy
        self._wake.set()

    def on_sent(self, *, probe: bool) -> None:
        """Count one packet written; a probe is not progress."""
        self.sent_since_ack += 1
        now = self._loop.time()
        self._unanswered_since = now
        if not probe:
            self.progress_at = now

    def _back_off(self) -> None:
        self._probe = min(2 * self._probe, self._settings.max_probe_interval)

    async def wait_for_room(self, check: Callable[[], None]) -> bool:
        """Wait until a packet may be written; return True if it goes out as a probe.

        ``check`` runs after every wake-up and raises to abort (a lost link, the toy's ``24 06``).
        A pause (probes included) that lasts ``pause_timeout`` calls ``on_stall``.
        """
        settings = self._settings
        if not self._paused:
            self._paused = True
            self.pauses += 1
            if self._on_stall is not None:
                self._pause_timer = self._loop.call_later(
                    settings.pause_timeout, self._pause_expired
                )
        while not self.may_send:
            if self.blind:  # no acks: an overload only holds the sender for a moment
                await asyncio.sleep(settings.max_probe_interval)
                check()
                self.overloaded = False
                break
            self._wake.clear()
            wait = self._probe
            if self._unanswered_since is not None:  # wake up when the silence is long enough
                silence = self._loop.time() - self._unanswered_since
                wait = max(min(wait, settings.no_ack_timeout - silence), 0.0)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._wake.wait()
            check()
            if self.may_send or self._wake.is_set():
                continue  # relief, or news to look at again
            unanswered = self._unanswered_since
            if unanswered is not None and self._loop.time() - unanswered >= settings.no_ack_timeout:
                self._go_blind()
                break
            if self._probe_baseline is not None:
                self._back_off()  # the last probe drew no ack at all
            self._probe_baseline = self.reported + self.sent_since_ack
            self.probes += 1
            return True
        self._end_pause()
        self.progress_at = self._loop.time()
        return False

    def _end_pause(self) -> None:
        self._paused = False
        if self._pause_timer is not None:
            self._pause_timer.cancel()
            self._pause_timer = None

    def _pause_expired(self) -> None:
        """Report a pause that lasted ``pause_timeout``: the toy takes no data."""
        self._pause_timer = None
        if self._paused and self._on_stall is not None:
            self._on_stall()

    def cancel(self) -> None:
        """Cancel the pause timer (the stream ended)."""
        self._end_pause()

    def _go_blind(self) -> None:
        """No acks come: pace by the fixed spacing alone (bluefluff's way)."""
        self.blind = True
        self.went_blind += 1
        self.overloaded = False
        self._probe_baseline = None

    def describe(self) -> str:
        """Say what the flow control last saw (for error messages)."""
        if self.acks == 0:
            return f"no ack from the toy, {self.sent_since_ack} packets sent"
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
