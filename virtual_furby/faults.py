"""Fault injection for the virtual Furby (the failures of docs/protocol.md §4.3, §5.2 and §8).

Every fault is set with a method, so the toy can act on it at once (a drop that is due now, a toy
going out of range while connected). ``furby.faults.clear()`` removes them all.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable

GATT_OPERATIONS = frozenset({"read", "write", "notify"})
"""Operations a GATT error can be attached to (``notify`` = enabling notifications)."""


class Faults:
    """The faults currently injected into one virtual Furby."""

    def __init__(self, seed: int = 0) -> None:
        """Start with no fault; ``seed`` makes the lossy link reproducible."""
        self._rng = random.Random(seed)
        self._on_change: Callable[[], None] | None = None
        self.clear()

    def _bind(self, on_change: Callable[[], None]) -> None:
        """Let the toy react when a fault changes (called by the toy only)."""
        self._on_change = on_change

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change()

    def clear(self) -> None:
        """Remove every fault."""
        # Host bytes the link still carries before it drops (one-shot), or None.
        self.drop_after_bytes: int | None = None
        # Clock time at which the link drops (one-shot), or None.
        self.drop_at: float | None = None
        self.advertising_stopped = False
        self.out_of_range = False
        self._refusals: float = 0
        self._gatt_errors: dict[str, tuple[frozenset[str], int]] = {}
        self._stack_failures: dict[str, tuple[frozenset[str], type[Exception]]] = {}
        self.error_after_ok = False
        self._slowdown = 1.0
        self.loss_rate = 0.0
        self._acks_left: float = math.inf
        self.intake_stalled = False
        self._changed()

    # Link drops -------------------------------------------------------------------------

    def drop_link_after_bytes(self, nbytes: int) -> None:
        """Drop the link once it has carried ``nbytes`` more bytes from the host to the toy.

        Counted from now on the current connection (or from the next one when disconnected).
        """
        if nbytes < 0:
            raise ValueError("nbytes must be >= 0")
        self.drop_after_bytes = nbytes
        self._changed()

    def count_bytes(self, nbytes: int) -> bool:
        """Count host bytes that reached the toy; True when ``drop_link_after_bytes`` is due."""
        if self.drop_after_bytes is None:
            return False
        remaining = self.drop_after_bytes - nbytes
        self.drop_after_bytes = remaining if remaining > 0 else None
        return remaining <= 0

    def drop_link_at(self, when: float) -> None:
        """Drop the link when the toy's clock reaches ``when`` (if connected then)."""
        self.drop_at = when
        self._changed()

    # Radio presence ------------------------------------------------------------------------

    def stop_advertising(self) -> None:
        """Stop advertising (the toy is asleep or switched off) but keep any connection."""
        self.advertising_stopped = True
        self._changed()

    def resume_advertising(self) -> None:
        """Advertise again."""
        self.advertising_stopped = False
        self._changed()

    def go_out_of_range(self) -> None:
        """Leave radio range: no advertisements, connections fail, a live link drops."""
        self.out_of_range = True
        self._changed()

    def come_into_range(self) -> None:
        """Come back into radio range."""
        self.out_of_range = False
        self._changed()

    def refuse_connections(self, count: int | None = None) -> None:
        """Refuse the next ``count`` connection attempts (all of them when None).

        Models the toy that refuses connections after an unclean disconnect (docs/protocol.md §8).
        """
        if count is not None and count < 0:
            raise ValueError("count must be >= 0 or None")
        self._refusals = math.inf if count is None else count
        self._changed()

    def allow_connections(self) -> None:
        """Accept connections again."""
        self._refusals = 0
        self._changed()

    def consume_refusal(self) -> bool:
        """Return True (and count it) when this connection attempt must be refused."""
        if self._refusals > 0:
            self._refusals -= 1
            return True
        return False

    # GATT -----------------------------------------------------------------------------------

    def gatt_error(
        self, uuid: str, *, ops: Iterable[str] = GATT_OPERATIONS, code: int = 0x0E
    ) -> None:
        """Make ``ops`` on characteristic ``uuid`` fail with ATT error ``code``."""
        operations = frozenset(ops)
        if not operations or not operations <= GATT_OPERATIONS:
            raise ValueError(f"ops must be a non-empty subset of {sorted(GATT_OPERATIONS)}")
        if not 0 < code <= 0xFF:
            raise ValueError("code must be an ATT error code 0x01-0xff")
        self._gatt_errors[uuid.lower()] = (operations, code)
        self._changed()

    def clear_gatt_errors(self) -> None:
        """Remove every GATT error and every stack failure."""
        self._gatt_errors.clear()
        self._stack_failures.clear()
        self._changed()

    def gatt_error_for(self, uuid: str, operation: str) -> int | None:
        """Return the ATT error code for ``operation`` on ``uuid``, or None."""
        entry = self._gatt_errors.get(uuid.lower())
        if entry is None or operation not in entry[0]:
            return None
        return entry[1]

    def stack_failure(
        self, uuid: str, error: type[Exception], *, ops: Iterable[str] = GATT_OPERATIONS
    ) -> None:
        """Make the host's Bluetooth stack itself fail ``ops`` on ``uuid`` by raising ``error``.

        Not a failure of the toy or of the link: a backend or proxy bug that raises an exception
        of its own (``ValueError``, ``RuntimeError``...) instead of one of bleak's. Nothing reaches
        the toy. The integration must report it as the unexpected failure it is.
        """
        operations = frozenset(ops)
        if not operations or not operations <= GATT_OPERATIONS:
            raise ValueError(f"ops must be a non-empty subset of {sorted(GATT_OPERATIONS)}")
        if not issubclass(error, Exception):
            raise ValueError("error must be an Exception subclass")
        self._stack_failures[uuid.lower()] = (operations, error)
        self._changed()

    def stack_failure_for(self, uuid: str, operation: str) -> Exception | None:
        """Return a new exception the stack raises for ``operation`` on ``uuid``, or None."""
        entry = self._stack_failures.get(uuid.lower())
        if entry is None or operation not in entry[0]:
            return None
        return entry[1](f"injected failure of the Bluetooth stack: {operation} on {uuid}")

    # File transfer ---------------------------------------------------------------------------

    def send_error_after_ok(self, enabled: bool = True) -> None:
        """Follow ``24 05`` (received OK) with ``24 06`` (error), as FurBLE saw (§4.3)."""
        self.error_after_ok = enabled
        self._changed()

    def stop_acks(self, after: int = 0) -> None:
        """Stop sending ``09 NN`` acks after ``after`` more of them (the link looks dead)."""
        if after < 0:
            raise ValueError("after must be >= 0")
        self._acks_left = after
        self._changed()

    def resume_acks(self) -> None:
        """Send acks again."""
        self._acks_left = math.inf
        self._changed()

    def consume_ack(self) -> bool:
        """Return True (and count it) when the toy may send one more ``09`` ack."""
        if self._acks_left <= 0:
            return False
        self._acks_left -= 1
        return True

    def stall_intake(self) -> None:
        """Make the toy stop processing FileWrite packets (it takes no more data) until resumed."""
        self.intake_stalled = True
        self._changed()

    def resume_intake(self) -> None:
        """Let the toy process FileWrite packets again."""
        self.intake_stalled = False
        self._changed()

    # Link quality ----------------------------------------------------------------------------

    def slow_link(self, factor: float) -> None:
        """Stretch the connection interval by ``factor`` (>= 1 slows down; 1 = nominal)."""
        if not (factor > 0 and math.isfinite(factor)):
            raise ValueError("factor must be a positive finite number")
        self._slowdown = factor
        self._changed()

    def lossy_link(self, rate: float, *, seed: int | None = None) -> None:
        """Lose each host packet on air with probability ``rate``; the link layer resends it.

        BLE retransmits lost packets, so a lossy link costs connection-event slots (time), not
        data. ``seed`` restarts the reproducible random sequence.
        """
        if not 0 <= rate < 1:
            raise ValueError("rate must be in [0, 1)")
        self.loss_rate = rate
        if seed is not None:
            self._rng.seed(seed)
        self._changed()

    @property
    def slowdown(self) -> float:
        """Factor applied to the connection interval."""
        return self._slowdown

    def lose_packet(self) -> bool:
        """Return True when the next host packet is lost on air (and must be resent)."""
        return self.loss_rate > 0 and self._rng.random() < self.loss_rate
