"""The toy's side of a DLC upload: announce, FileWrite intake, acks, overload, outcome.

docs/protocol.md §5.1 (announce ``50 00 S2 S1 S0 02 <12-char name> 00 00``), §5.2 (steps), §4.3
(``24 MM`` statuses, ``09 NN`` acks, ``0a`` overload); docs/simulator.md "File intake".

* The announce is read in the layout that works (size after ``50 00``). Like the real toy, it is
  answered ``24 02`` even when malformed (a wrong size then makes the upload fail later). The
  "slot" byte is ignored: the toy picks the slot. ``24 01`` (already exists) answers a name
  that a finished slot already holds (inferred from FurBLE renaming test files) or a full store;
  a toy made with ``refuse_duplicate_names=False`` writes such a file over that slot instead.
* FileWrite bytes are accumulated until the announced size; then, once the toy has processed its
  buffer and written the last flash block, it answers ``24 05`` (or ``24 06`` when data was lost
  or too many bytes came).
* The intake (``intake.py``) sets the pace, the buffer and the flash pauses; a packet that finds
  the buffer full is lost with ``0a`` or held back on the radio. The acks follow the toy's
  :class:`~virtual_furby.acks.AckModel`.
* When the toy has waited ``file_timeout`` seconds for a packet (counted from when it last had
  work: the last packet or the end of its processing) it gives up with ``24 03``.

The transfer reaches the rest of the toy only through what it is given: the clock, the slot
store, a notifier for its replies and the faults it obeys.
"""

from __future__ import annotations

import zlib
from typing import Final, Protocol

from .acks import AckModel, AckReporter
from .clock import Clock, TimerHandle
from .intake import FullBuffer, Intake, IntakeModel
from .slots import SlotState, SlotStore, stored_name
from .state import Notifier

ALREADY_EXISTS: Final = 0x01
READY_TO_RECEIVE: Final = 0x02
TIMEOUT: Final = 0x03
RECEIVED_OK: Final = 0x05
RECEIVED_ERROR: Final = 0x06
OVERLOAD: Final = b"\x0a"


class TransferFaults(Protocol):
    """The injected faults a transfer obeys (``Faults`` implements them)."""

    @property
    def error_after_ok(self) -> bool:
        """Follow ``24 05`` with ``24 06``."""

    def consume_ack(self) -> bool:
        """Return True (and count it) when one more ``09`` ack may be sent."""


def parse_announce(data: bytes) -> tuple[int, bytes]:
    """Return (size, filename bytes) from a ``50`` announce, tolerating malformed ones."""
    size = int.from_bytes(data[2:5], "big") if len(data) >= 5 else 0
    filename = data[6:].split(b"\x00", 1)[0]
    return size, filename


class FileTransfer:
    """The upload in progress on one toy (at most one at a time)."""

    def __init__(
        self,
        *,
        clock: Clock,
        slots: SlotStore,
        notifier: Notifier,
        faults: TransferFaults,
        intake: IntakeModel,
        acks: AckModel,
        file_timeout: float,
        refuse_duplicate_names: bool = True,
        seed: int = 0,
    ) -> None:
        """Create an idle transfer."""
        self._clock = clock
        self._slots = slots
        self._notifier = notifier
        self._faults = faults
        self.intake = Intake(intake, seed)
        self.acks = AckReporter(acks, notifier, faults, self.buffered)
        self.file_timeout = file_timeout
        self.refuse_duplicate_names = refuse_duplicate_names
        self.active = False
        self.slot: int | None = None
        self.size = 0
        self.received = 0
        self.lost_packets = 0
        self.overloads = 0
        self._adler = 1
        self._last_packet_at = 0.0
        self._complete = False
        self._timeout_handle: TimerHandle | None = None
        self._finish_handle: TimerHandle | None = None
        self._drain_handle: TimerHandle | None = None
        self._overload_queued = False
        self._overload = self._overload_payload

    @property
    def intake_model(self) -> IntakeModel:
        """How the toy takes in packets."""
        return self.intake.model

    @intake_model.setter
    def intake_model(self, model: IntakeModel) -> None:
        self.intake.model = model

    # Announce -------------------------------------------------------------------------------

    def announce(self, data: bytes) -> None:
        """Handle a ``50`` announce: pick a slot and answer ``24 02`` (or ``24 01``)."""
        size, filename = parse_announce(data)
        name = stored_name(filename)
        if self.active:
            self._abort()
        slots = self._slots
        same_name = slots.find_complete(name)
        slot = same_name if same_name is not None else slots.free_slot()
        if slot is None or (self.refuse_duplicate_names and same_name is not None):
            self._notifier.notify_gp(bytes([0x24, ALREADY_EXISTS]))
            return
        target = slots[slot]
        target.clear()
        target.state = SlotState.INCOMPLETE
        target.name = name
        self.active = True
        self.slot = slot
        self.size = size
        self.received = 0
        self.lost_packets = 0
        self._adler = 1
        now = self._clock.now()
        self.intake.start(now)
        self._last_packet_at = now
        self._complete = False
        self._arm_timeout(self.file_timeout)
        self._notifier.notify_gp(bytes([0x24, READY_TO_RECEIVE]))

    # Intake ---------------------------------------------------------------------------------

    def buffered(self) -> int:
        """Return the FileWrite packets received but not yet processed."""
        return self.intake.buffered(self._clock.now())

    def can_take(self) -> bool:
        """Return False while a packet would find the buffer full and the toy holds it back."""
        if not self.active or self._complete:
            return True
        intake = self.intake
        return intake.model.when_full is FullBuffer.DROP or not intake.is_full(self._clock.now())

    def on_packet(self, data: bytes) -> None:
        """Take one FileWrite packet (ignored when no upload was announced)."""
        if not self.active or self._complete:
            return
        now = self._clock.now()
        intake = self.intake
        self._last_packet_at = now
        self.received += len(data)
        if intake.is_full(now):
            self.lost_packets += 1
            self.overloads += 1
            self._queue_overload()
        else:
            intake.accept(len(data), now)
            self._adler = zlib.adler32(data, self._adler)
        self.acks.on_received()
        if self._drain_handle is None and self.acks.acks_on_drain and self.acks.enabled:
            self._arm_drain_ack(now)
        if self.received >= self.size:
            self._complete = True
            self._cancel_timeout()
            intake.finish()
            self._finish_at(intake.busy_until)

    def _finish_at(self, when: float) -> None:
        delay = when - self._clock.now()
        if delay <= 0:
            self._finish()
        elif delay != float("inf"):
            self._finish_handle = self._clock.call_later(delay, self._finish)

    def _arm_drain_ack(self, now: float) -> None:
        delay = self.intake.busy_until - now
        if 0 < delay != float("inf"):
            self._drain_handle = self._clock.call_later(delay, self._drain_ack)

    def _drain_ack(self) -> None:
        self._drain_handle = None
        self.acks.on_drained()
        if self.buffered():
            self._arm_drain_ack(self._clock.now())

    def _queue_overload(self) -> None:
        if not self._overload_queued:
            self._overload_queued = self._notifier.notify_nordic(self._overload)

    def _overload_payload(self) -> bytes:
        self._overload_queued = False
        return OVERLOAD

    # Faults -----------------------------------------------------------------------------------

    def stall_intake(self) -> None:
        """Stop processing packets (``Faults.stall_intake``)."""
        self.intake.stall(self._clock.now())
        self._cancel_drain_ack()
        if self._finish_handle is not None:
            self._finish_handle.cancel()
            self._finish_handle = None

    def resume_intake(self) -> None:
        """Process packets again after a stall."""
        now = self._clock.now()
        self.intake.resume(now)
        if self.active and self._complete and self._finish_handle is None:
            self._finish_at(self.intake.busy_until)
        elif self.active and self.acks.acks_on_drain and self.acks.enabled:
            self._arm_drain_ack(now)

    # Outcome ----------------------------------------------------------------------------------

    def _finish(self) -> None:
        self._finish_handle = None
        assert self.slot is not None  # set by the announce that started this upload
        slot = self._slots[self.slot]
        self.active = False
        notify = self._notifier.notify_gp
        if self.lost_packets or self.received != self.size:
            notify(bytes([0x24, RECEIVED_ERROR]))
            return
        slot.state = SlotState.DOWNLOADED
        slot.length = self.size
        slot.adler32 = self._adler
        notify(bytes([0x24, RECEIVED_OK]))
        if self._faults.error_after_ok:
            notify(bytes([0x24, RECEIVED_ERROR]))

    def _arm_timeout(self, delay: float) -> None:
        self._timeout_handle = self._clock.call_later(delay, self._check_timeout)

    def _check_timeout(self) -> None:
        """Give up with ``24 03`` once the toy has waited ``file_timeout`` with nothing to do."""
        self._timeout_handle = None
        waiting_since = max(self._last_packet_at, self.intake.busy_until)
        remaining = waiting_since + self.file_timeout - self._clock.now()
        if remaining > 1e-9:
            self._arm_timeout(remaining if remaining != float("inf") else self.file_timeout)
            return
        self._abort()
        self._notifier.notify_gp(bytes([0x24, TIMEOUT]))

    def _cancel_timeout(self) -> None:
        if self._timeout_handle is not None:
            self._timeout_handle.cancel()
            self._timeout_handle = None

    def _abort(self) -> None:
        """Stop the upload; its slot stays at state 1 (incomplete) until deleted."""
        self._cancel_timeout()
        if self._finish_handle is not None:
            self._finish_handle.cancel()
            self._finish_handle = None
        self._cancel_drain_ack()
        self.active = False
        self._complete = False

    def _cancel_drain_ack(self) -> None:
        if self._drain_handle is not None:
            self._drain_handle.cancel()
            self._drain_handle = None

    def on_disconnect(self) -> None:
        """Abandon an unfinished upload when the link goes down (its slot stays at 1)."""
        if self.active and not self._complete:
            self._abort()
        self._cancel_drain_ack()
        self.acks.reset()
        self.acks.enabled = False
        self._overload_queued = False

    def stop(self) -> None:
        """Cancel every timer (the toy is being shut down)."""
        self._abort()

    @property
    def adler32(self) -> int:
        """Adler-32 of the bytes consumed so far."""
        return self._adler
