"""One central's connection to the virtual Furby: GATT operations over the link model."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from .errors import GattError, LinkLostError
from .gatt_table import READ, WRITE, WRITE_NO_RESPONSE, VirtualCharacteristic
from .link import PAYLOAD_SIZE, Link

if TYPE_CHECKING:
    from .toy import VirtualFurby

type NotifyPayload = bytes | Callable[[], bytes]
"""A notification's bytes, or a function giving them when the packet leaves (acks)."""


class Central(Protocol):
    """What the toy calls back on the connected host (the bleak backend implements it)."""

    def on_notification(self, uuid: str, data: bytes) -> None:
        """Receive a notification on characteristic ``uuid``."""

    def on_link_lost(self) -> None:
        """Learn that the toy or the radio dropped the link."""


class Session:
    """A live connection: reads, writes and subscriptions, each carried by the link."""

    def __init__(self, furby: VirtualFurby, central: Central, link: Link) -> None:
        """Bind ``central`` to ``furby`` over ``link``."""
        self.furby = furby
        self.central = central
        self.link = link
        self.connected = True
        self.subscribed: set[str] = set()
        self.bytes_received = 0
        self.snapshot_sent = False

    def _lookup(self, uuid: str) -> VirtualCharacteristic:
        if not self.connected:
            raise LinkLostError("not connected")
        try:
            return self.furby.gatt.characteristic(uuid)
        except KeyError:
            raise GattError(0x01, f"no characteristic {uuid}") from None

    def _injected_error(self, uuid: str, operation: str) -> None:
        code = self.furby.faults.gatt_error_for(uuid, operation)
        if code is not None:
            raise GattError(code, f"injected {operation} error on {uuid}")

    async def read(self, uuid: str) -> bytes:
        """Read a characteristic (an ATT request)."""
        char = self._lookup(uuid)
        if not char.supports(READ):
            raise GattError(GattError.READ_NOT_PERMITTED, f"{uuid} is not readable")

        def perform() -> bytes:
            self._injected_error(char.uuid, "read")
            return char.value

        return await self.link.request(perform)

    async def write(self, uuid: str, data: bytes, *, response: bool) -> None:
        """Write a characteristic, with response (ATT request) or without (ATT command)."""
        char = self._lookup(uuid)
        if not char.supports(WRITE if response else WRITE_NO_RESPONSE):
            kind = "write" if response else "write without response"
            raise GattError(GattError.WRITE_NOT_PERMITTED, f"{uuid} does not accept {kind}")
        if len(data) > PAYLOAD_SIZE:
            raise GattError(
                GattError.INVALID_ATTRIBUTE_VALUE_LENGTH,
                f"{len(data)} bytes is more than the {PAYLOAD_SIZE} an ATT MTU of 23 allows",
            )
        payload = bytes(data)
        if response:

            def perform() -> None:
                self._injected_error(char.uuid, "write")
                self._deliver(char, payload)

            await self.link.request(perform)
            return
        self._injected_error(char.uuid, "write")
        await self.link.send_command(lambda: self._deliver(char, payload))

    def _deliver(self, char: VirtualCharacteristic, payload: bytes) -> None:
        if not self.connected:
            return
        char.value = payload
        self.bytes_received += len(payload)
        self.furby.on_host_write(char.uuid, payload)
        faults = self.furby.faults
        if faults.drop_after_bytes is not None and self.connected:
            remaining = faults.drop_after_bytes - len(payload)
            faults.drop_after_bytes = remaining if remaining > 0 else None
            if remaining <= 0:
                self.furby.drop_connection()

    async def subscribe(self, uuid: str) -> None:
        """Enable notifications (a CCCD write request)."""
        char = self._lookup(uuid)
        if not char.can_notify:
            raise GattError(GattError.REQUEST_NOT_SUPPORTED, f"{uuid} cannot notify")

        def perform() -> None:
            self._injected_error(char.uuid, "notify")
            self.subscribed.add(char.uuid)
            self.furby.on_subscribed(self, char.uuid)

        await self.link.request(perform)

    async def unsubscribe(self, uuid: str) -> None:
        """Disable notifications (a CCCD write request)."""
        char = self._lookup(uuid)
        await self.link.request(lambda: self.subscribed.discard(char.uuid))

    async def disconnect(self) -> None:
        """End the connection from the host side."""
        self.furby.close_session(self, unsolicited=False)

    def notify(self, uuid: str, payload: NotifyPayload) -> bool:
        """Send a notification if the host subscribed; return whether it was queued."""
        if not self.connected or uuid not in self.subscribed:
            return False
        char = self.furby.gatt.characteristic(uuid)

        def deliver() -> None:
            data = payload() if callable(payload) else payload
            char.value = data
            self.central.on_notification(uuid, data)

        self.link.notify(deliver)
        return True
