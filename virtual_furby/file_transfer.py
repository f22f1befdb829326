"""The toy's side of a DLC upload: announce, FileWrite intake, acks, overload, outcome.

PROTOCOL.md §5.1 (announce ``50 00 S2 S1 S0 02 <12-char name> 00 00``), §5.2 (steps), §4.3
(``24 MM`` statuses, ``09 NN`` acks, ``0a`` overload).

* The announce is read in the layout that works (size after ``50 00``). Like the real toy, it is
  answered ``24 02`` even when malformed (a wrong size then makes the upload fail later). The
  "slot" byte is ignored: the toy picks the slot. ``24 01`` (already exists) answers a name
  that a finished slot already holds (inferred from FurBLE renaming test files) or a full store.
* FileWrite bytes are accumulated until the announced size; then, once the toy has consumed
  its buffer, it answers ``24 05`` (or ``24 06`` when data was lost or too many bytes came).
* The toy consumes ``LinkModel.file_packets_per_second`` packets per second and holds at most
  ``LinkModel.toy_buffer_packets`` unprocessed. A packet beyond that is lost and answered with
  ``0a`` (overload); the upload then ends in ``24 06``.
* While acks are on (``09 01 00``), the toy sends ``09 NN`` with NN = packets received but not yet
  processed (FurBLE's reading): at most one ack is queued at a time, its NN read when it leaves;
  one more goes out when the buffer has drained, so a host that paused on a high NN resumes.
* With no FileWrite packet for ``file_timeout`` seconds the toy gives up with ``24 03``.
"""

from __future__ import annotations

import math
import zlib
from collections import deque
from typing import TYPE_CHECKING

from .clock import TimerHandle
from .slots import SlotState, stored_name

if TYPE_CHECKING:
    from .toy import VirtualFurby

ALREADY_EXISTS = 0x01
READY_TO_RECEIVE = 0x02
TIMEOUT = 0x03
RECEIVED_OK = 0x05
RECEIVED_ERROR = 0x06


def parse_announce(data: bytes) -> tuple[int, bytes]:
    """Return (size, filename bytes) from a ``50`` announce, tolerating malformed ones."""
    size = int.from_bytes(data[2:5], "big") if len(data) >= 5 else 0
    filename = data[6:].split(b"\x00", 1)[0]
    return size, filename


class FileTransfer:
    """The upload in progress on one toy (at most one at a time)."""

    def __init__(self, furby: VirtualFurby) -> None:
        """Create an idle transfer state for ``furby``."""
        self._furby = furby
        self.active = False
        self.slot: int | None = None
        self.size = 0
        self.received = 0
        self.lost_packets = 0
        self.overloads = 0
        self._adler = 1
        self._done_times: deque[float] = deque()
        self._busy_until = 0.0
        self._last_packet_at = 0.0
        self._complete = False
        self._timeout_handle: TimerHandle | None = None
        self._finish_handle: TimerHandle | None = None
        self._drain_handle: TimerHandle | None = None
        self._ack_queued = False
        self._overload_queued = False

    # Announce -------------------------------------------------------------------------------

    def announce(self, data: bytes) -> None:
        """Handle a ``50`` announce: pick a slot and answer ``24 02`` (or ``24 01``)."""
        furby = self._furby
        size, filename = parse_announce(data)
        name = stored_name(filename)
        if self.active:
            self._abort()
        slot = furby.slots.free_slot()
        duplicate = furby.slots.find_complete(name) is not None
        if slot is None or (furby.refuse_duplicate_names and duplicate):
            furby.notify_gp(bytes([0x24, ALREADY_EXISTS]))
            return
        target = furby.slots[slot]
        target.clear()
        target.state = SlotState.INCOMPLETE
        target.name = name
        self.active = True
        self.slot = slot
        self.size = size
        self.received = 0
        self.lost_packets = 0
        self._adler = 1
        self._done_times.clear()
        now = furby.clock.now()
        self._busy_until = now
        self._last_packet_at = now
        self._complete = False
        self._arm_timeout()
        furby.notify_gp(bytes([0x24, READY_TO_RECEIVE]))

    # Intake ---------------------------------------------------------------------------------

    def buffered(self) -> int:
        """Return the FileWrite packets received but not yet processed."""
        now = self._furby.clock.now()
        while self._done_times and self._done_times[0] <= now:
            self._done_times.popleft()
        return len(self._done_times)

    def on_packet(self, data: bytes) -> None:
        """Take one FileWrite packet (ignored when no upload was announced)."""
        if not self.active or self._complete:
            return
        furby = self._furby
        now = furby.clock.now()
        self._last_packet_at = now
        self.received += len(data)
        if self.buffered() >= furby.link_model.toy_buffer_packets:
            self.lost_packets += 1
            self.overloads += 1
            self._queue_overload()
        else:
            rate = furby.link_model.file_packets_per_second
            self._busy_until = max(now, self._busy_until) + (0.0 if math.isinf(rate) else 1 / rate)
            if self._busy_until > now:
                self._done_times.append(self._busy_until)
            self._adler = zlib.adler32(data, self._adler)
        self._queue_ack()
        self._arm_drain_ack()
        if self.received >= self.size:
            self._complete = True
            self._cancel_timeout()
            delay = self._busy_until - now
            if delay <= 0:
                self._finish()
            else:
                self._finish_handle = furby.clock.call_later(delay, self._finish)

    def _arm_drain_ack(self) -> None:
        if self._drain_handle is not None or not self._furby.packet_acks:
            return
        delay = self._busy_until - self._furby.clock.now()
        if delay > 0:
            self._drain_handle = self._furby.clock.call_later(delay, self._drain_ack)

    def _drain_ack(self) -> None:
        self._drain_handle = None
        self._queue_ack()
        if self.buffered():
            self._arm_drain_ack()

    def _queue_ack(self) -> None:
        furby = self._furby
        if self._ack_queued or not furby.packet_acks or not furby.faults.consume_ack():
            return

        def payload() -> bytes:
            self._ack_queued = False
            return bytes([0x09, min(self.buffered(), 0xFF)])

        self._ack_queued = furby.notify_nordic(payload)

    def _queue_overload(self) -> None:
        if self._overload_queued:
            return

        def payload() -> bytes:
            self._overload_queued = False
            return b"\x0a"

        self._overload_queued = self._furby.notify_nordic(payload)

    # Outcome ----------------------------------------------------------------------------------

    def _finish(self) -> None:
        self._finish_handle = None
        furby = self._furby
        assert self.slot is not None  # set by the announce that started this upload
        slot = furby.slots[self.slot]
        self.active = False
        if self.lost_packets or self.received != self.size:
            furby.notify_gp(bytes([0x24, RECEIVED_ERROR]))
            return
        slot.state = SlotState.DOWNLOADED
        slot.length = self.size
        slot.adler32 = self._adler
        furby.notify_gp(bytes([0x24, RECEIVED_OK]))
        if furby.faults.error_after_ok:
            furby.notify_gp(bytes([0x24, RECEIVED_ERROR]))

    def _arm_timeout(self, delay: float | None = None) -> None:
        furby = self._furby
        wait = furby.timing.file_timeout if delay is None else delay
        self._timeout_handle = furby.clock.call_later(wait, self._check_timeout)

    def _check_timeout(self) -> None:
        self._timeout_handle = None
        furby = self._furby
        remaining = self._last_packet_at + furby.timing.file_timeout - furby.clock.now()
        if remaining > 1e-9:
            self._arm_timeout(remaining)
            return
        self._abort()
        furby.notify_gp(bytes([0x24, TIMEOUT]))

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
        self._ack_queued = False
        self._overload_queued = False

    def stop(self) -> None:
        """Cancel every timer (the toy is being shut down)."""
        self._abort()

    @property
    def adler32(self) -> int:
        """Adler-32 of the bytes consumed so far."""
        return self._adler
