"""One central's connection to the virtual Furby: GATT operations carried by the radio.

The session talks to the host through :class:`Central` and to the toy through
:class:`Peripheral`; it holds neither side's internals.
"""

from __future__ import annotations

from typing import Protocol

from .clock import Clock
from .errors import GattError, LinkLostError
from .gatt_table import READ, WRITE, WRITE_NO_RESPONSE, GattTable, VirtualCharacteristic
from .radio import PAYLOAD_SIZE, HeldBack, NotifyPayload, Radio, RadioConditions, RadioModel


class Central(Protocol):
    """What the toy calls back on the connected host (the bleak backend implements it)."""

    def on_notification(self, uuid: str, data: bytes) -> None:
        """Receive a notification on characteristic ``uuid``."""

    def on_link_lost(self) -> None:
        """Learn that the toy or the radio dropped the link."""


class SessionFaults(RadioConditions, Protocol):
    """The injected faults a session obeys (``Faults`` implements them)."""

    def gatt_error_for(self, uuid: str, operation: str) -> int | None:
        """Return the ATT error code for ``operation`` on ``uuid``, or None."""

    def stack_failure_for(self, uuid: str, operation: str) -> Exception | None:
        """Return the exception the host's stack raises for ``operation`` on ``uuid``, or None."""

    def count_bytes(self, nbytes: int) -> bool:
        """Count host bytes that reached the toy; True when the link must drop now."""


class Peripheral(Protocol):
    """What a session needs from the toy (``VirtualFurby`` implements it)."""

    @property
    def gatt(self) -> GattTable:
        """The toy's GATT table."""

    def on_host_write(self, uuid: str, data: bytes) -> bool:
        """Act on a write that reached the toy; False when the toy cannot take it yet."""

    def on_subscribed(self, session: Session, uuid: str) -> None:
        """Notifications on ``uuid`` were enabled."""

    def close_session(self, session: Session, *, unsolicited: bool) -> None:
        """End ``session``."""

    def drop_connection(self) -> None:
        """Drop the link from the toy's side."""


class Session:
    """A live connection: reads, writes and subscriptions, each carried by the radio."""

    def __init__(
        self,
        peripheral: Peripheral,
        central: Central,
        *,
        radio: RadioModel,
        clock: Clock,
        faults: SessionFaults,
    ) -> None:
        """Bind ``central`` to ``peripheral`` over a new radio."""
        self.peripheral = peripheral
        self.central = central
        self.faults = faults
        self.radio = Radio(
            radio, clock, to_toy=self._receive, to_host=self._deliver, conditions=faults
        )
        self.connected = True
        self.subscribed: set[str] = set()
        self.bytes_received = 0
        self.snapshot_sent = False
        self._gatt = peripheral.gatt

    def _lookup(self, uuid: str) -> VirtualCharacteristic:
        if not self.connected:
            raise LinkLostError("not connected")
        try:
            return self._gatt.characteristic(uuid)
        except KeyError:
            raise GattError(0x01, f"no characteristic {uuid}") from None

    def _stack_failure(self, uuid: str, operation: str) -> None:
        """Fail as the host's own stack does (``Faults.stack_failure``): nothing goes on air."""
        failure = self.faults.stack_failure_for(uuid, operation)
        if failure is not None:
            raise failure

    def _injected_error(self, uuid: str, operation: str) -> None:
        code = self.faults.gatt_error_for(uuid, operation)
        if code is not None:
            raise GattError(code, f"injected {operation} error on {uuid}")

    async def read(self, uuid: str) -> bytes:
        """Read a characteristic (an ATT request)."""
        char = self._lookup(uuid)
        self._stack_failure(char.uuid, "read")
        if not char.supports(READ):
            raise GattError(GattError.READ_NOT_PERMITTED, f"{uuid} is not readable")

        def perform() -> bytes:
            self._injected_error(char.uuid, "read")
            return char.value

        return await self.radio.request(perform)

    async def write(self, uuid: str, data: bytes, *, response: bool) -> None:
        """Write a characteristic, with response (ATT request) or without (ATT command)."""
        char = self._lookup(uuid)
        self._stack_failure(char.uuid, "write")
        if not char.supports(WRITE if response else WRITE_NO_RESPONSE):
            kind = "write" if response else "write without response"
            raise GattError(GattError.WRITE_NOT_PERMITTED, f"{uuid} does not accept {kind}")
        if len(data) > PAYLOAD_SIZE:
            raise GattError(
                GattError.INVALID_ATTRIBUTE_VALUE_LENGTH,
                f"{len(data)} bytes is more than the {PAYLOAD_SIZE} an ATT MTU of 23 allows",
            )
        if response:
            payload = bytes(data)

            def perform() -> None:
                self._injected_error(char.uuid, "write")
                if not self._receive(char.uuid, payload):
                    raise HeldBack  # the radio resends the request in the next event

            await self.radio.request(perform)
            return
        self._injected_error(char.uuid, "write")
        await self.radio.send_command(char.uuid, bytes(data))

    def _receive(self, uuid: str, data: bytes) -> bool:
        """Hand a host packet to the toy; return False when the toy cannot take it yet."""
        if not self.connected:
            return True
        if not self.peripheral.on_host_write(uuid, data):
            return False
        self._gatt.characteristic(uuid).value = data
        self.bytes_received += len(data)
        if self.faults.count_bytes(len(data)) and self.connected:
            self.peripheral.drop_connection()
        return True

    async def subscribe(self, uuid: str) -> None:
        """Enable notifications (a CCCD write request)."""
        char = self._lookup(uuid)
        self._stack_failure(char.uuid, "notify")
        if not char.can_notify:
            raise GattError(GattError.REQUEST_NOT_SUPPORTED, f"{uuid} cannot notify")

        def perform() -> None:
            self._injected_error(char.uuid, "notify")
            self.subscribed.add(char.uuid)
            self.peripheral.on_subscribed(self, char.uuid)

        await self.radio.request(perform)

    async def unsubscribe(self, uuid: str) -> None:
        """Disable notifications (a CCCD write request)."""
        char = self._lookup(uuid)
        await self.radio.request(lambda: self.subscribed.discard(char.uuid))

    async def disconnect(self) -> None:
        """End the connection from the host side."""
        self.peripheral.close_session(self, unsolicited=False)

    def notify(self, uuid: str, payload: NotifyPayload) -> bool:
        """Send a notification if the host subscribed; return whether it was queued."""
        if not self.connected or uuid not in self.subscribed:
            return False
        self.radio.notify(uuid, payload)
        return True

    def _deliver(self, uuid: str, data: bytes) -> None:
        """Hand a notification to the host."""
        self._gatt.characteristic(uuid).value = data
        self.central.on_notification(uuid, data)
