"""``FurbyTransport``: the GATT session with one connected Furby over a bleak client.

Subscriptions, writes, request/reply, keep-alive and a wire trace. This is the transport half of
``FurbyClient`` (``client.py`` adds the toy's commands on top).
The caller (the Home Assistant coordinator) owns the connection: it connects, passes the
``BleakClient`` in, calls ``start()``, forwards bleak's disconnected callback to
``handle_disconnect()`` and calls ``stop()`` when done. One instance serves one connection; after
a disconnect or ``stop()`` it is closed for good and the caller builds a new one for the next
connection. It never scans or connects.

What it does (docs/protocol.md section numbers):

- subscribes to GeneralPlusListen and NordicListen (§2, §5.2 step 1), decodes every notification
  (§4) and fans it out to listeners; a listener that raises is logged and the others still run;
- writes one packet at a time (an ``asyncio.Lock``), always write-without-response on the three
  write characteristics, as every working client does (§2), at most 20 bytes (§2, §8); bleak
  errors become ``FurbyConnectionError``;
- sends the keep-alive ``20 06`` after 3 s without any write, held back by
  ``keepalive_paused()`` during file transfers (§3.2, §8; see ``keepalive.py``);
- request/reply: the waiter is registered before the write, so a fast reply is never missed; each
  notification goes to the oldest waiter that accepts it; no reply in time is a
  ``FurbyTimeoutError``; a disconnect fails every waiter at once with ``FurbyConnectionError``;
- a wire trace for the live log: ``add_trace_listener(callback)`` calls
  ``callback(direction, characteristic_uuid, data)`` with ``"tx"`` for every write (FileWrite
  packets included) and ``"rx"`` for every notification, raw bytes before decoding. With no trace
  listener it costs one truth test per packet.

The three write characteristics are looked up in the client's service collection once, at
``start()``, and the characteristic objects are written to afterwards: bleak would otherwise search
the collection by UUID string on every write (each FileWrite packet of an upload).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Final, Literal, cast

from bleak import BleakClient
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.exc import BleakError

from . import commands
from .device_info import DeviceInformation, read_device_information
from .errors import FurbyConnectionError, FurbyTimeoutError
from .gatt import (
    FILE_WRITE,
    GENERALPLUS_LISTEN,
    GENERALPLUS_WRITE,
    MAX_WRITE_SIZE,
    NORDIC_LISTEN,
    NORDIC_WRITE,
)
from .keepalive import KeepAlive
from .notifications import (
    FurbyMessage,
    Notification,
    Packet,
    decode_generalplus,
    decode_nordic,
)

_LOGGER = logging.getLogger(__name__)

WRITE_CHARACTERISTICS: Final = frozenset({GENERALPLUS_WRITE, NORDIC_WRITE, FILE_WRITE})
"""The characteristics ``write`` accepts; all three take write-without-response (§2)."""

LINK_ERRORS: Final = (BleakError, TimeoutError, OSError, EOFError)
"""What bleak and its backends raise when a GATT operation or the link fails."""

type Listener = Callable[[Notification], None]
"""Receives every decoded notification."""

type Match = Callable[[Notification], bool]
"""Decides whether a notification is the reply a request waits for."""

type Direction = Literal["tx", "rx"]
"""``"tx"``: written to the toy; ``"rx"``: notified by the toy."""

type TraceListener = Callable[[Direction, str, bytes], None]
"""Receives every packet on the wire: direction, characteristic UUID, raw bytes."""


@dataclass(eq=False, slots=True)
class _Waiter:
    """One pending reply: the predicate and the future the reply resolves."""

    match: Match
    future: asyncio.Future[Notification] = field(repr=False)


class FurbyTransport:
    """The GATT session with one connected Furby (see the module docstring for the behaviour)."""

    def __init__(
        self,
        client: BleakClient,
        *,
        keepalive_interval: float = 3.0,
        request_timeout: float = 5.0,
    ) -> None:
        """Wrap a connected ``BleakClient``; nothing is sent before ``start()``."""
        if request_timeout <= 0:
            raise ValueError(f"request_timeout must be positive, got {request_timeout}")
        self._client = client
        self._request_timeout = request_timeout
        self._keepalive = KeepAlive(self._send_keepalive, keepalive_interval)
        self._write_lock = asyncio.Lock()
        self._listeners: list[Listener] = []
        self._tracers: list[TraceListener] = []
        self._targets: dict[str, BleakGATTCharacteristic | str] = {}
        self._waiters: list[_Waiter] = []
        self._subscribed: list[str] = []
        self._running = False
        self._closed = False
        self._link_lost = False

    # ----------------------------------------------------------------------------- lifecycle

    @property
    def is_running(self) -> bool:
        """Whether the client is started and its link is still up."""
        return self._running and self._client.is_connected

    @property
    def request_timeout(self) -> float:
        """Default seconds a request waits for its reply."""
        return self._request_timeout

    async def start(self) -> None:
        """Subscribe to both listen characteristics and start the keep-alive (idempotent).

        Raises ``FurbyConnectionError`` if the link is down, the client was closed, or a
        subscription fails (any subscription already made is undone).
        """
        if self._running:
            return
        self._check_open()
        callbacks = {GENERALPLUS_LISTEN: self._on_generalplus, NORDIC_LISTEN: self._on_nordic}
        try:
            for uuid, callback in callbacks.items():
                await self._client.start_notify(uuid, callback)
                self._subscribed.append(uuid)
        except LINK_ERRORS as err:
            await self._unsubscribe()
            raise FurbyConnectionError(f"Subscribing to the Furby failed: {err!r}") from err
        self._check_open()  # the link may have dropped while subscribing
        self._targets = {uuid: self._resolve(uuid) for uuid in WRITE_CHARACTERISTICS}
        self._running = True
        self._keepalive.start()

    def _resolve(self, uuid: str) -> BleakGATTCharacteristic | str:
        """Return the characteristic object for ``uuid`` if discovered, else the UUID itself."""
        try:
            found = self._client.services.get_characteristic(uuid)
        except (BleakError, AttributeError):  # services not discovered (or a minimal client)
            return uuid
        return found if found is not None else uuid

    async def stop(self) -> None:
        """Close the client: fail pending requests, stop the keep-alive, unsubscribe.

        Idempotent, also after ``handle_disconnect()``; when it returns no task of the client is
        left. Unsubscribing is best effort and skipped when the link is gone.
        """
        self._close(FurbyConnectionError("The Furby client was stopped"))
        await self._keepalive.stop()
        if self._link_lost:
            self._subscribed.clear()
        await self._unsubscribe()

    def handle_disconnect(self) -> None:
        """Take note that the link is gone (call from bleak's disconnected callback).

        Every pending request fails at once with ``FurbyConnectionError`` and so does every later
        write; the keep-alive task is cancelled (``stop()`` then waits for it).
        """
        self._link_lost = True
        self._close(FurbyConnectionError("The Furby disconnected"))

    def _close(self, error: FurbyConnectionError) -> None:
        """Mark the client closed, fail every waiter with ``error`` and cancel the keep-alive."""
        self._running = False
        self._closed = True
        self._keepalive.cancel()
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.future.done():
                waiter.future.set_exception(error)

    def _check_open(self) -> None:
        """Raise ``FurbyConnectionError`` unless the link can be used."""
        if self._link_lost:
            raise FurbyConnectionError("The Furby is disconnected")
        if self._closed:
            raise FurbyConnectionError("The Furby client was stopped")
        if not self._client.is_connected:
            raise FurbyConnectionError("The Furby is not connected")

    def _check_running(self) -> None:
        """Raise ``FurbyConnectionError`` unless started and connected."""
        self._check_open()
        if not self._running:
            raise FurbyConnectionError("The Furby client is not started")

    async def _unsubscribe(self) -> None:
        """Stop notifications on what ``start`` subscribed to, ignoring link errors."""
        while self._subscribed:
            uuid = self._subscribed.pop()
            if not self._client.is_connected:
                continue
            try:
                async with asyncio.timeout(self._request_timeout):
                    await self._client.stop_notify(uuid)
            except LINK_ERRORS as err:
                _LOGGER.debug("Unsubscribing from %s failed: %r", uuid, err)

    # ----------------------------------------------------------------------------- listeners

    def add_listener(self, callback: Listener) -> Callable[[], None]:
        """Call ``callback`` with every decoded notification; returns the function to remove it."""
        self._listeners.append(callback)

        def remove() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(callback)

        return remove

    def add_trace_listener(self, callback: TraceListener) -> Callable[[], None]:
        """Call ``callback(direction, characteristic_uuid, data)`` for every packet on the wire.

        ``"tx"`` for every write (FileWrite packets included), ``"rx"`` for every notification,
        with the raw bytes. A callback that raises is logged and the others still run. Returns
        the function that removes it.
        """
        self._tracers.append(callback)

        def remove() -> None:
            with contextlib.suppress(ValueError):
                self._tracers.remove(callback)

        return remove

    def _trace(self, direction: Direction, characteristic: str, data: bytes) -> None:
        """Hand one packet to every trace listener."""
        for tracer in tuple(self._tracers):
            try:
                tracer(direction, characteristic, data)
            except Exception:
                _LOGGER.exception("Furby trace listener %r failed", tracer)

    def _on_generalplus(self, _sender: BleakGATTCharacteristic, data: bytearray) -> None:
        """Bleak callback for GeneralPlusListen."""
        if self._tracers:
            self._trace("rx", GENERALPLUS_LISTEN, bytes(data))
        self._dispatch(decode_generalplus(data))

    def _on_nordic(self, _sender: BleakGATTCharacteristic, data: bytearray) -> None:
        """Bleak callback for NordicListen."""
        if self._tracers:
            self._trace("rx", NORDIC_LISTEN, bytes(data))
        self._dispatch(decode_nordic(data))

    def _dispatch(self, notification: Notification) -> None:
        """Resolve the oldest waiter that accepts ``notification``, then tell every listener."""
        if self._closed:
            return
        for waiter in self._waiters:
            if waiter.future.done():
                continue
            try:
                accepted = waiter.match(notification)
            except Exception:
                _LOGGER.exception("Reply matcher failed on %s", notification)
                continue
            if accepted:
                waiter.future.set_result(notification)
                break
        else:
            if isinstance(notification, FurbyMessage) and notification.is_error:
                _LOGGER.debug("The Furby refused a command: %s", notification)
        for listener in list(self._listeners):
            try:
                listener(notification)
            except Exception:
                _LOGGER.exception("Furby notification listener %r failed", listener)

    # ------------------------------------------------------------------------ writes, requests

    async def write(self, characteristic: str, data: bytes) -> None:
        """Write one packet (write-without-response), one writer at a time.

        ``characteristic`` must be GeneralPlusWrite, NordicWrite or FileWrite and ``data`` 1 to
        20 bytes (``ValueError`` otherwise). A failed write raises ``FurbyConnectionError``. Any
        write counts as activity for the keep-alive.
        """
        if characteristic not in WRITE_CHARACTERISTICS:
            raise ValueError(f"{characteristic} is not a Furby write characteristic")
        if not 1 <= len(data) <= MAX_WRITE_SIZE:
            raise ValueError(f"data must be 1 to {MAX_WRITE_SIZE} bytes, got {len(data)}")
        self._check_running()
        packet = bytes(data)
        async with self._write_lock:
            self._check_running()
            if self._tracers:
                self._trace("tx", characteristic, packet)
            try:
                await self._client.write_gatt_char(
                    self._targets.get(characteristic, characteristic), packet, response=False
                )
            except LINK_ERRORS as err:
                raise FurbyConnectionError(f"Writing to the Furby failed: {err!r}") from err
            finally:
                self._keepalive.touch()

    @contextlib.contextmanager
    def expect(self, match: Match) -> Iterator[asyncio.Future[Notification]]:
        """Wait for a reply across several writes: register ``match`` for the block.

        The yielded future resolves with the first notification ``match`` accepts that no older
        waiter took, or fails with ``FurbyConnectionError`` when the link drops or the client
        stops. Register before writing the command whose reply it is.
        """
        self._check_running()
        waiter = _Waiter(match, asyncio.get_running_loop().create_future())
        self._waiters.append(waiter)
        try:
            yield waiter.future
        finally:
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)
            if waiter.future.done() and not waiter.future.cancelled():
                waiter.future.exception()  # retrieved, even if the block never awaited it
            else:
                waiter.future.cancel()

    async def request(
        self,
        characteristic: str,
        data: bytes,
        match: Match,
        *,
        timeout: float | None = None,  # noqa: ASYNC109 - the reply wait only, not the write
    ) -> Notification:
        """Write ``data`` and return the first notification ``match`` accepts.

        The waiter is registered before the write. Raises ``FurbyTimeoutError`` when no reply
        arrives within ``timeout`` seconds after the write (default ``request_timeout``) and
        ``FurbyConnectionError`` when the link fails or drops meanwhile.
        """
        wait = self._request_timeout if timeout is None else timeout
        if wait <= 0:
            raise ValueError(f"timeout must be positive, got {wait}")
        with self.expect(match) as reply:
            await self.write(characteristic, data)
            try:
                async with asyncio.timeout(wait):
                    return await reply
            except TimeoutError:
                raise FurbyTimeoutError(
                    f"No reply from the Furby to {data.hex(' ')} within {wait:g} s"
                ) from None

    async def _ask[P: Packet](
        self,
        characteristic: str,
        data: bytes,
        kind: type[P],
        accept: Callable[[P], bool] | None = None,
    ) -> P:
        """``request`` whose reply is the first ``kind`` packet that ``accept`` agrees to."""

        def match(notification: Notification) -> bool:
            return isinstance(notification, kind) and (accept is None or accept(notification))

        return cast(P, await self.request(characteristic, data, match))

    # ---------------------------------------------------------------- keep-alive, device info

    @contextlib.asynccontextmanager
    async def keepalive_paused(self) -> AsyncIterator[None]:
        """Hold the keep-alive back inside the block (nestable), e.g. during a file transfer."""
        async with self._keepalive.paused():
            yield

    async def _send_keepalive(self) -> None:
        """Send the keep-alive ``20 06`` (§3.2); the toy answers with ImHere ``22 …``."""
        await self.write(GENERALPLUS_WRITE, commands.keep_alive())

    async def read_device_information(
        self,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - per read, so one slow field cannot fail all
    ) -> DeviceInformation:
        """Read the six Device Information strings in parallel (see ``device_info.py``).

        A field whose read fails or times out is ``None``; a link that is down raises
        ``FurbyConnectionError``.
        """
        self._check_open()
        return await read_device_information(self._client, per_read=timeout)
