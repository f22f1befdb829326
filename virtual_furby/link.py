"""The BLE link between a host and the virtual Furby: connection events, ATT serialisation, pacing.

A connection is a train of *connection events*, one every ``connection_interval`` seconds. Each
event carries at most ``packets_per_event`` host-to-toy packets and as many toy-to-host packets.

* A write without response (an ATT command) takes a place in the first event that has room.
  The host's ``write_gatt_char`` returns once the packet has a place in the *next* event to
  happen, so a host that writes in a loop is paced by the link: it can run at most one event
  ahead of the radio, as with a real controller's small transmit buffer.
* Reads, writes with response and CCCD writes are ATT requests: one outstanding at a time (they
  queue behind each other); the request goes out in an event and the response comes back in a
  later one, so each costs at least one connection interval.
* Notifications take a place in the first event with room in the toy-to-host direction.

Timing comes from an injected :class:`~virtual_furby.clock.Clock`, never from wall-clock sleeps.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from .clock import Clock, LoopClock, ManualClock, TimerHandle, settle
from .errors import LinkLostError

__all__ = [
    "Clock",
    "Link",
    "LinkConditions",
    "LinkModel",
    "LoopClock",
    "ManualClock",
    "TimerHandle",
    "settle",
]

_T = TypeVar("_T")

PAYLOAD_SIZE = 20
"""Bytes per write: the ATT MTU is never raised above 23 (PROTOCOL.md §2, §8)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkModel:
    """Timing of the link and of the toy's file intake (PROTOCOL.md §5.3).

    Defaults: a 15 ms connection interval with 4 packets per event gives the link
    ~267 packets/s (5.3 kB/s of 20-byte writes); the toy consumes FileWrite packets at 200/s
    (4.0 kB/s, the "~4 kB/s realistic" of bluefluff ``doc/bluetooth.md``) and buffers at most
    32 of them. So the toy, not the radio, is the bottleneck: a host that writes as fast as the
    link lets it overruns the buffer within about half a second and gets ``0a`` (overload), while
    bluefluff's one write per 5 ms (200/s) or FurBLE's pause-while-``09 NN``-is-above-10 keep up.
    A 1 129 942-byte DLC (``tu003410.dlc``, 56 498 writes) then takes at best 282.5 s (4 min 42 s),
    inside the 3-5 minutes reported by bluefluff ``doc/flashdlc.md``.
    """

    connection_interval: float = 0.015
    """Seconds between connection events (0 = instant: no link timing at all)."""
    packets_per_event: int = 4
    """Packets per connection event in each direction."""
    file_packets_per_second: float = 200.0
    """How fast the toy consumes FileWrite packets (``math.inf`` = at once)."""
    toy_buffer_packets: int = 32
    """FileWrite packets the toy holds unprocessed; one more is lost and answered with ``0a``."""
    connect_seconds: float = 0.1
    """Time from the connection request to a usable link (0 = at once)."""

    def __post_init__(self) -> None:
        """Reject nonsense parameters with a message naming the field."""
        if not (self.connection_interval >= 0 and math.isfinite(self.connection_interval)):
            raise ValueError("connection_interval must be a finite number >= 0")
        if self.packets_per_event < 1:
            raise ValueError("packets_per_event must be at least 1")
        if not self.file_packets_per_second > 0:
            raise ValueError("file_packets_per_second must be > 0 (math.inf for instant)")
        if self.toy_buffer_packets < 1:
            raise ValueError("toy_buffer_packets must be at least 1")
        if not (self.connect_seconds >= 0 and math.isfinite(self.connect_seconds)):
            raise ValueError("connect_seconds must be a finite number >= 0")

    @classmethod
    def instant(cls) -> LinkModel:
        """Return a link without timing: every operation completes at once (fast HA tests)."""
        return cls(
            connection_interval=0.0,
            file_packets_per_second=math.inf,
            connect_seconds=0.0,
        )

    @property
    def is_instant(self) -> bool:
        """True when the link adds no delay (connection interval 0)."""
        return self.connection_interval == 0

    @property
    def link_packets_per_second(self) -> float:
        """Host-to-toy packets per second the radio can carry."""
        if self.is_instant:
            return math.inf
        return self.packets_per_event / self.connection_interval

    def theoretical_min_seconds(self, nbytes: int) -> float:
        """Return the least time any host can take to deliver and have the toy consume ``nbytes``.

        The bound is the larger of the link's limit (the packets need ``ceil(n / per_event)``
        connection events, the first of which may be immediate) and the toy's consumption limit
        (``n / file_packets_per_second``); handshakes are not counted.
        """
        if nbytes < 0:
            raise ValueError("nbytes must be >= 0")
        packets = math.ceil(nbytes / PAYLOAD_SIZE)
        if packets == 0:
            return 0.0
        consume = packets / self.file_packets_per_second
        if self.is_instant:
            return consume if math.isfinite(consume) else 0.0
        events = math.ceil(packets / self.packets_per_event)
        return max(consume, (events - 1) * self.connection_interval)


class LinkConditions(Protocol):
    """Live link quality, usually the toy's fault settings."""

    @property
    def slowdown(self) -> float:
        """Factor applied to the connection interval (1 = nominal)."""

    def lose_packet(self) -> bool:
        """Return True when the next host packet is lost on air and must be sent again."""


@dataclass(eq=False, slots=True)
class _Event:
    """One scheduled connection event and what it carries."""

    time: float
    host: list[Callable[[], None]] = field(default_factory=list)
    toy: list[Callable[[], None]] = field(default_factory=list)
    waiters: list[asyncio.Future[None]] = field(default_factory=list)
    host_slots: int = 0
    toy_slots: int = 0
    handle: TimerHandle | None = None


class Link:
    """The live link of one connection, scheduled on ``clock`` per ``model``."""

    def __init__(
        self, model: LinkModel, clock: Clock, conditions: LinkConditions | None = None
    ) -> None:
        """Open a link whose first connection event is due now."""
        self.model = model
        self.clock = clock
        self._conditions = conditions
        self._origin = clock.now()
        self._last_fired = self._origin - 1.0
        self._events: deque[_Event] = deque()
        self._att_lock = asyncio.Lock()
        self._closed = False
        self._firing: _Event | None = None
        self.events_fired = 0
        self.host_packets = 0
        self.lost_packets = 0

    @property
    def is_open(self) -> bool:
        """False once the link has been closed."""
        return not self._closed

    def _interval(self) -> float:
        slowdown = self._conditions.slowdown if self._conditions is not None else 1.0
        return self.model.connection_interval * slowdown

    def _ensure_open(self) -> None:
        if self._closed:
            raise LinkLostError("not connected")

    def _new_event(self) -> _Event:
        interval = self._interval()
        now = self.clock.now()
        last = self._events[-1].time if self._events else self._last_fired
        when = self._origin + math.ceil((now - self._origin) / interval - 1e-9) * interval
        if when <= last + interval * 1e-6:
            when = last + interval
        event = _Event(when)
        event.handle = self.clock.call_later(when - now, lambda: self._fire_through(event))
        self._events.append(event)
        return event

    def _reserve(self, *, host: bool) -> _Event:
        capacity = self.model.packets_per_event
        for event in self._events:
            used = event.host_slots if host else event.toy_slots
            if used < capacity:
                break
        else:
            event = self._new_event()
        if host:
            event.host_slots += 1
        else:
            event.toy_slots += 1
        return event

    def _reserve_host_packet(self) -> _Event:
        while self._conditions is not None and self._conditions.lose_packet():
            self._reserve(host=True)
            self.lost_packets += 1
        self.host_packets += 1
        return self._reserve(host=True)

    def _fire_through(self, event: _Event) -> None:
        """Run every event up to and including ``event``, in order."""
        while self._events and not self._closed:
            head = self._events.popleft()
            self._fire(head)
            if head is event:
                return

    def _fire(self, event: _Event) -> None:
        if event.handle is not None:
            event.handle.cancel()
        self._last_fired = event.time
        self.events_fired += 1
        self._firing = event
        try:
            for deliver in (*event.host, *event.toy):
                if self._closed:
                    break
                deliver()
        finally:
            self._firing = None
        if self._closed:
            return
        for waiter in event.waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def _wait_fired(self, event: _Event) -> None:
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        event.waiters.append(waiter)
        await waiter

    async def send_command(self, deliver: Callable[[], None]) -> None:
        """Queue a write without response; return once it has a place in the next event.

        ``deliver`` runs when the packet reaches the toy (never if the link drops first).
        """
        self._ensure_open()
        if self.model.is_instant:
            self.host_packets += 1
            deliver()
            await asyncio.sleep(0)
            return
        event = self._reserve_host_packet()
        event.host.append(deliver)
        position = self._events.index(event)
        if position > 0:
            await self._wait_fired(self._events[position - 1])

    async def request(self, perform: Callable[[], _T]) -> _T:
        """Run an ATT request: ``perform`` runs at the toy; its result returns one event later.

        Requests queue behind each other. An exception raised by ``perform`` (an ATT error) is
        raised here after the round trip.
        """
        self._ensure_open()
        async with self._att_lock:
            self._ensure_open()
            if self.model.is_instant:
                await asyncio.sleep(0)
                self._ensure_open()
                self.host_packets += 1
                return perform()
            outcome: list[_T] = []
            failure: list[BaseException] = []

            def run() -> None:
                try:
                    outcome.append(perform())
                except Exception as err:  # handed back to the requester
                    failure.append(err)

            event = self._reserve_host_packet()
            event.host.append(run)
            await self._wait_fired(event)
            await self._wait_fired(self._reserve(host=False))
            if failure:
                raise failure[0]
            return outcome[0]

    def notify(self, deliver: Callable[[], None]) -> None:
        """Send a toy-to-host packet; ``deliver`` runs when it reaches the host."""
        if self._closed:
            return
        if self.model.is_instant:
            asyncio.get_running_loop().call_soon(self._deliver_if_open, deliver)
            return
        self._reserve(host=False).toy.append(deliver)

    def _deliver_if_open(self, deliver: Callable[[], None]) -> None:
        if not self._closed:
            deliver()

    def close(self) -> None:
        """Drop the link: pending packets are lost and every waiter gets ``LinkLostError``."""
        if self._closed:
            return
        self._closed = True
        events = list(self._events)
        if self._firing is not None:
            events.append(self._firing)
        for event in events:
            if event.handle is not None:
                event.handle.cancel()
            for waiter in event.waiters:
                if not waiter.done():
                    waiter.set_exception(LinkLostError("link lost"))
        self._events.clear()
