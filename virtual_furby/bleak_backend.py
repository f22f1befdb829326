"""A bleak backend (``BaseBleakClient``) whose peripheral is a :class:`VirtualFurby`.

Works with bleak 0.22 and 3.x (docs/home_assistant.md §6.2, §6.3): it accepts either version's
constructor keywords, resolves str/UUID/handle specifiers itself (bleak 0.22 passes them through),
and takes an ``int`` handle or a descriptor object for descriptor calls.

The backend finds its toy in one of three ways: ``furby=`` (direct), ``resolver=`` (the HA proxy
looks the address up), or a ``BLEDevice`` whose ``details`` carry the toy under
:data:`DETAILS_KEY` (:func:`virtual_bleak_client` builds one).

Like BlueZ, the disconnected callback runs on every disconnect, requested or not; an unsolicited
drop reaches it from the event loop. ATT errors become bleak 3's ``BleakGATTProtocolError`` where
it exists, else ``BleakError``.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import uuid
from collections.abc import Buffer, Callable, Iterator
from typing import Any

import bleak
import bleak.exc
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient, NotifyCallback
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.device import BLEDevice
from bleak.backends.service import BleakGATTServiceCollection
from bleak.exc import BleakCharacteristicNotFoundError, BleakDeviceNotFoundError, BleakError

from .bleak_gatt import CCCD_UUID, build_service_collection
from .errors import DeviceNotFoundError, GattError, VirtualFurbyError
from .session import Session
from .toy import VirtualFurby

DETAILS_KEY = "virtual_furby"
"""``BLEDevice.details`` key under which :func:`virtual_ble_device` stores the toy."""

ATT_MTU = 23
"""The MTU is never negotiated above the default (docs/protocol.md §8)."""

_BLE_DEVICE_TAKES_RSSI = "rssi" in inspect.signature(BLEDevice.__init__).parameters


def _bleak_error(err: VirtualFurbyError, address: str) -> BleakError:
    if isinstance(err, GattError):
        protocol_error: Any = getattr(bleak.exc, "BleakGATTProtocolError", None)
        if protocol_error is not None:
            mapped: BleakError = protocol_error(err.code)
            return mapped
        return BleakError(f"{address}: {err}")
    if isinstance(err, DeviceNotFoundError):
        return BleakDeviceNotFoundError(address, f"Device with address {address} was not found")
    return BleakError(f"{address}: {err}")


class VirtualBleakClient(BaseBleakClient):
    """Bleak backend talking to a :class:`VirtualFurby` over its radio model."""

    def __init__(
        self,
        address_or_ble_device: BLEDevice | str,
        *,
        furby: VirtualFurby | None = None,
        resolver: Callable[[str], VirtualFurby | None] | None = None,
        **kwargs: object,
    ) -> None:
        """Create the backend; extra keywords of either bleak version are accepted."""
        kwargs.setdefault("disconnected_callback", None)
        kwargs.setdefault("timeout", 10.0)
        super().__init__(address_or_ble_device, **kwargs)
        if furby is None and isinstance(address_or_ble_device, BLEDevice):
            details = address_or_ble_device.details
            candidate = details.get(DETAILS_KEY) if isinstance(details, dict) else None
            if isinstance(candidate, VirtualFurby):
                furby = candidate
        self._furby = furby
        self._resolver = resolver
        self._session: Session | None = None
        self._callbacks: dict[str, NotifyCallback] = {}
        self._callback_due = False

    # Connection -------------------------------------------------------------------------------

    @property
    def furby(self) -> VirtualFurby | None:
        """The toy this backend talks (or will talk) to."""
        return self._furby

    @property
    def name(self) -> str:
        """The toy's GAP name."""
        return self._furby.name if self._furby is not None else self.address

    @property
    def mtu_size(self) -> int:
        """The ATT MTU (always 23)."""
        return ATT_MTU

    @property
    def is_connected(self) -> bool:
        """True while the link is up."""
        return self._session is not None and self._session.connected

    @contextlib.contextmanager
    def _mapped_errors(self) -> Iterator[None]:
        try:
            yield
        except VirtualFurbyError as err:
            raise _bleak_error(err, self.address) from err

    async def connect(self, pair: bool = False, **kwargs: object) -> bool:  # type: ignore[override,unused-ignore]
        """Connect and discover services (``pair`` is ignored: the toy has no pairing)."""
        if self.is_connected:
            return True
        furby = self._furby
        if furby is None and self._resolver is not None:
            furby = self._resolver(self.address)
        if furby is None:
            raise BleakDeviceNotFoundError(
                self.address, f"Device with address {self.address} was not found"
            )
        with self._mapped_errors():
            session = await furby.async_connect(self)
        self._furby = furby
        self._session = session
        self._callbacks.clear()
        self._callback_due = True
        self.services = build_service_collection(furby.gatt, ATT_MTU)
        return True

    async def disconnect(self) -> bool:  # type: ignore[override,unused-ignore]
        """Disconnect; the disconnected callback runs before this returns (as on BlueZ)."""
        session = self._session
        if session is not None and session.connected:
            await session.disconnect()
            self._fire_disconnected()
        return True

    def on_link_lost(self) -> None:
        """Report a drop by the toy or the radio to bleak's owner, from the event loop."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # dropped from synchronous code (a test's teardown)
            self._fire_disconnected()
            return
        loop.call_soon(self._fire_disconnected)

    def _fire_disconnected(self) -> None:
        if not self._callback_due:
            return
        self._callback_due = False
        if self._disconnected_callback is not None:
            self._disconnected_callback()

    async def pair(self, *args: object, **kwargs: object) -> bool:  # type: ignore[override,unused-ignore]
        """No pairing exists on the toy (docs/protocol.md §8); succeeds without doing anything."""
        return True

    async def unpair(self) -> bool:  # type: ignore[override,unused-ignore]
        """Nothing to unpair."""
        return True

    async def clear_cache(self) -> bool:
        """Nothing is cached (habluetooth calls this instead of touching BlueZ)."""
        return True

    async def get_services(self, **kwargs: object) -> BleakGATTServiceCollection:
        """Return the discovered services (bleak 0.22's abstract method)."""
        if self.services is None:
            raise BleakError("Not connected")
        return self.services

    # GATT -------------------------------------------------------------------------------------

    def _live_session(self) -> Session:
        if self._session is None or not self._session.connected:
            raise BleakError(f"{self.address}: Not connected")
        return self._session

    def _characteristic(
        self, specifier: BleakGATTCharacteristic | int | str | uuid.UUID
    ) -> BleakGATTCharacteristic:
        if isinstance(specifier, BleakGATTCharacteristic):
            return specifier
        if self.services is None:
            raise BleakError(f"{self.address}: Not connected")
        found = self.services.get_characteristic(specifier)
        if found is None:
            raise BleakCharacteristicNotFoundError(specifier)
        return found

    def _descriptor(self, specifier: BleakGATTDescriptor | int) -> BleakGATTDescriptor:
        if isinstance(specifier, BleakGATTDescriptor):
            return specifier
        found = self.services.get_descriptor(specifier) if self.services is not None else None
        if found is None:
            raise BleakError(f"{self.address}: no descriptor with handle {specifier}")
        return found

    async def read_gatt_char(  # type: ignore[override,unused-ignore]
        self, char_specifier: BleakGATTCharacteristic | int | str | uuid.UUID, **kwargs: object
    ) -> bytearray:
        """Read a characteristic (an ATT request over the link)."""
        char = self._characteristic(char_specifier)
        session = self._live_session()
        with self._mapped_errors():
            return bytearray(await session.read(char.uuid))

    async def write_gatt_char(
        self, characteristic: BleakGATTCharacteristic, data: Buffer, response: bool
    ) -> None:
        """Write with response (ATT request) or without (paced by connection events)."""
        session = self._live_session()
        with self._mapped_errors():
            await session.write(characteristic.uuid, bytes(data), response=response)

    async def start_notify(
        self, characteristic: BleakGATTCharacteristic, callback: NotifyCallback, **kwargs: object
    ) -> None:
        """Enable notifications; ``callback(bytearray)`` gets each one."""
        session = self._live_session()
        self._callbacks[characteristic.uuid] = callback
        try:
            with self._mapped_errors():
                await session.subscribe(characteristic.uuid)
        except BaseException:
            self._callbacks.pop(characteristic.uuid, None)
            raise

    async def stop_notify(  # type: ignore[override,unused-ignore]
        self, char_specifier: BleakGATTCharacteristic | int | str | uuid.UUID
    ) -> None:
        """Disable notifications."""
        char = self._characteristic(char_specifier)
        session = self._live_session()
        with self._mapped_errors():
            await session.unsubscribe(char.uuid)
        self._callbacks.pop(char.uuid, None)

    def on_notification(self, uuid: str, data: bytes) -> None:
        """Hand a notification from the toy to the subscriber."""
        callback = self._callbacks.get(uuid)
        if callback is not None:
            callback(bytearray(data))

    async def read_gatt_descriptor(  # type: ignore[override,unused-ignore]
        self, handle: BleakGATTDescriptor | int, **kwargs: object
    ) -> bytearray:
        """Read a descriptor: only CCCDs exist (``01 00`` while notifying)."""
        descriptor = self._descriptor(handle)
        session = self._live_session()
        on = descriptor.characteristic_uuid in session.subscribed
        return bytearray(b"\x01\x00" if on else b"\x00\x00")

    async def write_gatt_descriptor(  # type: ignore[override,unused-ignore]
        self, handle: BleakGATTDescriptor | int, data: Buffer
    ) -> None:
        """Write a CCCD (bleak 0.22 allows it): ``01 00`` subscribes, ``00 00`` unsubscribes."""
        descriptor = self._descriptor(handle)
        session = self._live_session()
        if descriptor.uuid != CCCD_UUID:
            raise BleakError(f"{self.address}: descriptor {descriptor.handle} is not writable")
        with self._mapped_errors():
            if bytes(data)[:1] == b"\x00":
                await session.unsubscribe(descriptor.characteristic_uuid)
            else:
                await session.subscribe(descriptor.characteristic_uuid)


def virtual_ble_device(furby: VirtualFurby) -> BLEDevice:
    """Return a ``BLEDevice`` for ``furby`` that :class:`VirtualBleakClient` resolves to it."""
    details = {DETAILS_KEY: furby}
    factory: Any = BLEDevice  # bleak 0.22 also wants the RSSI
    extra = (furby.rssi,) if _BLE_DEVICE_TAKES_RSSI else ()
    device: BLEDevice = factory(furby.address, furby.name, details, *extra)
    return device


def _original_bleak_client() -> type[bleak.BleakClient]:
    """Return bleak's own ``BleakClient`` even while habluetooth has swapped in its wrapper."""
    for cls in bleak.BleakClient.__mro__:
        if cls.__module__ == "bleak" and cls.__name__ == "BleakClient":
            found: type[bleak.BleakClient] = cls
            return found
    return bleak.BleakClient  # pragma: no cover - bleak always defines it


def virtual_bleak_client(
    furby: VirtualFurby,
    *,
    disconnected_callback: Callable[[bleak.BleakClient], None] | None = None,
    timeout: float = 10.0,
) -> bleak.BleakClient:
    """Return a real ``bleak.BleakClient`` whose backend is the virtual one (tests without HA)."""
    client_class = _original_bleak_client()
    return client_class(
        virtual_ble_device(furby),
        disconnected_callback=disconnected_callback,
        timeout=timeout,
        backend=VirtualBleakClient,
    )
