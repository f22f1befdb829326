"""The toy's ``09 NN`` packet acks under each reading of the sources (docs/protocol.md §4.3).

No source settles what ``NN`` counts or when an ack is sent, so the virtual Furby offers every
reading, selectable per toy (``VirtualFurby(acks=...)``, docs/simulator.md "Ack models"):

* ``BACKLOG_AND_DRAIN`` (a, the default): NN = packets received but not yet processed (FurBLE's
  reading: it pauses while NN > 10); an ack answers each received packet and one more goes out
  when the buffer has drained.
* ``BACKLOG`` (b): the same count, but acks answer received packets only, never a drain.
* ``SINCE_LAST_REPORT`` (c): NN = packets received since the previous ack (bluefluff's reading:
  Jeija saw ``09 02``, ``09 03`` and guessed "packets since last ACK"). It says nothing about the
  backlog.
* ``NONE`` (d): no acks at all, even after ``09 01 00``.

Acks are sent only after ``09 01 00`` (§3.3). At most one ack is queued on the radio at a time;
its NN is read when it leaves, so it is never stale.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Final, Protocol

ACK_ID: Final = 0x09
ACK_PACKETS: Final = tuple(bytes([ACK_ID, count]) for count in range(256))
"""Every ``09 NN`` packet, made once: sending an ack allocates nothing."""


class AckModel(StrEnum):
    """Which reading of the ``09 NN`` acks the toy follows (a-d in docs/simulator.md)."""

    BACKLOG_AND_DRAIN = "backlog_and_drain"
    BACKLOG = "backlog"
    SINCE_LAST_REPORT = "since_last_report"
    NONE = "none"

    @property
    def letter(self) -> str:
        """The model's letter in issue and docs tables: ``a`` to ``d``."""
        return "abcd"[list(AckModel).index(self)]


class NordicNotifier(Protocol):
    """Sends a packet on NordicListen (the toy implements it)."""

    def notify_nordic(self, payload: bytes | Callable[[], bytes]) -> bool:
        """Queue ``payload`` for the host; return whether the host will get it."""


class AckBudget(Protocol):
    """The fault that silences acks (``Faults.stop_acks``)."""

    def consume_ack(self) -> bool:
        """Return True (and count it) when one more ack may be sent."""


class AckReporter:
    """Sends ``09 NN`` for one toy according to its :class:`AckModel`."""

    def __init__(
        self,
        model: AckModel,
        notifier: NordicNotifier,
        budget: AckBudget,
        backlog: Callable[[], int],
    ) -> None:
        """Report through ``notifier``; ``backlog()`` gives the packets not yet processed."""
        self.model = model
        self.enabled = False
        self.sent = 0
        self._notifier = notifier
        self._budget = budget
        self._backlog = backlog
        self._queued = False
        self._since_report = 0
        self._payload = self._read_payload  # one bound method for every ack

    @property
    def acks_on_drain(self) -> bool:
        """Whether a drained buffer is reported (model a)."""
        return self.model is AckModel.BACKLOG_AND_DRAIN

    def reset(self) -> None:
        """Forget queued acks and counts (the link went down)."""
        self._queued = False
        self._since_report = 0

    def on_received(self) -> None:
        """Report a FileWrite packet that arrived, kept or lost (models a-c)."""
        self._since_report += 1
        self._send()

    def on_drained(self) -> None:
        """Report that the buffer has drained (model a only)."""
        if self.acks_on_drain:
            self._send()

    def _send(self) -> None:
        if (
            self._queued
            or not self.enabled
            or self.model is AckModel.NONE
            or not self._budget.consume_ack()
        ):
            return
        self._queued = self._notifier.notify_nordic(self._payload)

    def _read_payload(self) -> bytes:
        """Return the ack's bytes, read as it leaves the toy."""
        self._queued = False
        self.sent += 1
        if self.model is AckModel.SINCE_LAST_REPORT:
            count, self._since_report = self._since_report, 0
        else:
            count = self._backlog()
        return ACK_PACKETS[min(count, 0xFF)]
