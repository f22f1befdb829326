"""The radio between a host and the virtual Furby: connection events, ATT serialisation, pacing.

A BLE connection is a train of *connection events*, one every ``connection_interval`` seconds.
Each event carries at most ``packets_per_event`` host-to-toy packets and as many toy-to-host ones
(docs/simulator.md "Radio model"; docs/protocol.md §5.3).

* Host packets (writes without response, ATT requests) leave in the order they were queued. A
  write without response (an ATT command) returns once its packet will go in the *next* event, so
  a host that writes in a loop is paced by the radio: it runs at most one event ahead of it, as
  with a real controller's small transmit buffer.
* Link-layer flow control: the toy may decline a packet (its receive buffer is full). Like a
  peripheral that does not acknowledge a packet, the radio then resends it in the next event, and
  nothing queued behind it goes before it; the host's writes wait meanwhile. Nothing is lost.
* Reads, writes with response and CCCD writes are ATT requests: one outstanding at a time; the
  request goes out in an event and the response comes back in a later one, so each costs at least
  one connection interval.
* Notifications take a place in the first event with room in the toy-to-host direction; a reply
  caused by a packet of one event leaves in a later event.

Timing comes from an injected :class:`~virtual_furby.clock.Clock`, never from wall-clock sleeps.
The hot path (one write without response) allocates no closure per packet: the queues hold the
characteristic and the bytes; only a writer that must wait for an event gets a future.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Protocol

from .clock import Clock, TimerHandle
from .errors import LinkLostError

PAYLOAD_SIZE: Final = 20
"""Bytes per write: the ATT MTU is never raised above 23 (docs/protocol.md §2, §8)."""

HOLD_RETRY_SECONDS: Final = 0.001
"""How often an instant radio (no connection events) offers a declined packet again."""

type NotifyPayload = bytes | Callable[[], bytes]
"""A notification's bytes, or a function giving them when the packet leaves (acks)."""

type ToToy = Callable[[str, bytes], bool]
"""Hands a host packet to the toy; ``False`` means "not now" (the radio resends it later)."""

type ToHost = Callable[[str, bytes], None]
"""Hands a notification to the host."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RadioModel:
    """Timing of the radio (docs/simulator.md "Radio model").

    Defaults: a 15 ms connection interval with 4 packets per event carries ~267 packets/s
    (5.3 kB/s of 20-byte writes). ``docs/simulator.md`` lists the range the tests cover: from
    7.5 ms with 6 packets per event (800 packets/s) to 45 ms with 2 (~44 packets/s).
    """

    connection_interval: float = 0.015
    """Seconds between connection events (0 = instant: no radio timing at all)."""
    packets_per_event: int = 4
    """Packets per connection event in each direction."""
    connect_seconds: float = 0.1
    """Time from the connection request to a usable link (0 = at once)."""

    def __post_init__(self) -> None:
        """Reject nonsense parameters with a message naming the field."""
        if not (self.connection_interval >= 0 and math.isfinite(self.connection_interval)):
            raise ValueError("connection_interval must be a finite number >= 0")
        if self.packets_per_event < 1:
            raise ValueError("packets_per_event must be at least 1")
        if not (self.connect_seconds >= 0 and math.isfinite(self.connect_seconds)):
            raise ValueError("connect_seconds must be a finite number >= 0")

    @classmethod
    def instant(cls) -> RadioModel:
        """Return a radio without timing: every operation completes at once (fast HA tests)."""
        return cls(connection_interval=0.0, connect_seconds=0.0)

    @property
    def is_instant(self) -> bool:
        """True when the radio adds no delay (connection interval 0)."""
        return self.connection_interval == 0

    @property
    def packets_per_second(self) -> float:
        """Host-to-toy packets per second the radio can carry."""
        if self.is_instant:
            return math.inf
        return self.packets_per_event / self.connection_interval

    def min_stream_seconds(self, packets: int) -> float:
        """Least time to carry ``packets`` host packets: the first event may be immediate."""
        if packets <= 0 or self.is_instant:
            return 0.0
        return (math.ceil(packets / self.packets_per_event) - 1) * self.connection_interval


class RadioConditions(Protocol):
    """Live radio quality, usually the toy's fault settings."""

    @property
    def slowdown(self) -> float:
        """Factor applied to the connection interval (1 = nominal)."""

    def lose_packet(self) -> bool:
        """Return True when the next host packet is lost on air and must be sent again."""


class HeldBack(Exception):
    """Raised by an ATT request's ``perform`` when the toy cannot take it yet (flow control)."""


class _Request:
    """One ATT request: run at the toy in one event, answered in a later one."""

    __slots__ = ("error", "future", "outcome", "perform")

    def __init__(self, perform: Callable[[], Any], future: asyncio.Future[Any]) -> None:
        self.perform = perform
        self.future = future
        self.outcome: Any = None
        self.error: Exception | None = None

    def run(self) -> bool:
        """Perform the request at the toy; False when the toy held it back."""
        try:
            self.outcome = self.perform()
        except HeldBack:
            return False
        except Exception as err:  # an ATT error, handed back to the requester
            self.error = err
        return True

    def respond(self) -> None:
        if self.future.done():
            return
        if self.error is not None:
            self.future.set_exception(self.error)
        else:
            self.future.set_result(self.outcome)


class Radio:
    """The radio of one live connection, scheduled on ``clock`` per ``model``."""

    def __init__(
        self,
        model: RadioModel,
        clock: Clock,
        *,
        to_toy: ToToy,
        to_host: ToHost,
        conditions: RadioConditions | None = None,
    ) -> None:
        """Open a radio whose first connection event is due now."""
        self.model = model
        self.clock = clock
        self._to_toy = to_toy
        self._to_host = to_host
        self._conditions = conditions
        self._origin = clock.now()
        self._last_fired = self._origin - 1.0
        self._next_at = self._origin
        self._timer: TimerHandle | None = None
        self._host_keys: deque[str | _Request] = deque()
        self._host_data: deque[bytes] = deque()
        self._toy_keys: deque[str | _Request] = deque()
        self._toy_data: deque[NotifyPayload] = deque()
        self._queued = 0
        self._delivered = 0
        self._event_waiters: list[asyncio.Future[None]] = []
        self._att_lock = asyncio.Lock()
        self._closed = False
        self._fire = self._fire_event  # one bound method for every timer
        self.events_fired = 0
        self.host_packets = 0
        self.lost_packets = 0
        self.declined_packets = 0

    @property
    def is_open(self) -> bool:
        """False once the radio has been closed (the link dropped)."""
        return not self._closed

    def _ensure_open(self) -> None:
        if self._closed:
            raise LinkLostError("not connected")

    def _interval(self) -> float:
        slowdown = self._conditions.slowdown if self._conditions is not None else 1.0
        return self.model.connection_interval * slowdown

    def _schedule(self) -> None:
        """Arm the next connection event on the grid, unless one is armed already."""
        if self._timer is not None or self._closed:
            return
        interval = self._interval()
        now = self.clock.now()
        when = self._origin + math.ceil((now - self._origin) / interval - 1e-9) * interval
        if when <= self._last_fired + interval * 1e-6:
            when = self._last_fired + interval
        self._next_at = when
        self._timer = self.clock.call_later(when - now, self._fire)

    def _fire_event(self) -> None:
        """One connection event: host packets first, then the toy's, then wake the writers."""
        self._timer = None
        self._last_fired = self._next_at
        self.events_fired += 1
        capacity = self.model.packets_per_event
        toy_due = min(len(self._toy_keys), capacity)  # replies to this event's packets wait
        keys, data = self._host_keys, self._host_data
        conditions = self._conditions
        slots = capacity
        while slots and keys and not self._closed:
            slots -= 1
            if conditions is not None and conditions.lose_packet():
                self.lost_packets += 1  # not acknowledged on air: resent in the next slot
                continue
            key = keys[0]
            if isinstance(key, _Request):
                if not key.run():
                    self.declined_packets += 1
                    break
                if not self.is_open:
                    return
                keys.popleft()
                data.popleft()
                self._delivered += 1
                self._toy_keys.append(key)
                self._toy_data.append(b"")
                continue
            if not self._to_toy(key, data[0]):
                self.declined_packets += 1  # flow control: resent in the next event
                break
            if not self.is_open:
                return  # the packet made the toy drop the link: the rest is lost
            keys.popleft()
            data.popleft()
            self._delivered += 1
        toy_keys, toy_data = self._toy_keys, self._toy_data
        for _ in range(toy_due):
            if self._closed:
                break
            toy_key = toy_keys.popleft()
            payload = toy_data.popleft()
            if isinstance(toy_key, _Request):
                toy_key.respond()
            else:
                self._to_host(toy_key, payload() if callable(payload) else payload)
        if self._closed:
            return
        if self._event_waiters:
            waiters, self._event_waiters = self._event_waiters, []
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)
        if keys or toy_keys:
            self._schedule()

    def _next_event(self) -> asyncio.Future[None]:
        """Return a future the next connection event resolves (one per waiting writer).

        Not one shared future: cancelling one writer must not cancel the others' wait.
        """
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._event_waiters.append(waiter)
        return waiter

    async def send_command(self, uuid: str, data: bytes) -> None:
        """Queue a write without response; return once it will go in the next event.

        The toy gets it (``to_toy``) when it arrives, never if the link drops first.
        """
        self._ensure_open()
        if self.model.is_instant:
            self.host_packets += 1
            while not self._to_toy(uuid, data):
                self.declined_packets += 1
                await self.clock.sleep(HOLD_RETRY_SECONDS)
                self._ensure_open()
            await asyncio.sleep(0)
            return
        self.host_packets += 1
        position = self._queued
        self._queued += 1
        self._host_keys.append(uuid)
        self._host_data.append(data)
        self._schedule()
        capacity = self.model.packets_per_event
        while position - self._delivered >= capacity:
            await self._next_event()

    async def request[T](self, perform: Callable[[], T]) -> T:
        """Run an ATT request: ``perform`` runs at the toy; its result returns one event later.

        Requests queue behind each other. An exception raised by ``perform`` (an ATT error) is
        raised here after the round trip.
        """
        self._ensure_open()
        async with self._att_lock:
            self._ensure_open()
            self.host_packets += 1
            if self.model.is_instant:
                while True:
                    await asyncio.sleep(0)
                    self._ensure_open()
                    try:
                        return perform()
                    except HeldBack:
                        self.declined_packets += 1
                        await self.clock.sleep(HOLD_RETRY_SECONDS)
            future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
            self._queued += 1
            self._host_keys.append(_Request(perform, future))
            self._host_data.append(b"")
            self._schedule()
            return await future

    def notify(self, uuid: str, payload: NotifyPayload) -> None:
        """Send a toy-to-host packet on ``uuid``; the host gets it when it arrives."""
        if self._closed:
            return
        if self.model.is_instant:
            asyncio.get_running_loop().call_soon(self._deliver_now, uuid, payload)
            return
        self._toy_keys.append(uuid)
        self._toy_data.append(payload)
        self._schedule()

    def _deliver_now(self, uuid: str, payload: NotifyPayload) -> None:
        if not self._closed:
            self._to_host(uuid, payload() if callable(payload) else payload)

    def close(self) -> None:
        """Drop the link: queued packets are lost and every waiter gets ``LinkLostError``."""
        if self._closed:
            return
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        error = LinkLostError("link lost")
        waiters, self._event_waiters = self._event_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_exception(error)
        for key in (*self._host_keys, *self._toy_keys):
            if isinstance(key, _Request) and not key.future.done():
                key.future.set_exception(error)
        self._host_keys.clear()
        self._host_data.clear()
        self._toy_keys.clear()
        self._toy_data.clear()
