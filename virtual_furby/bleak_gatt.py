"""Bleak GATT objects for the virtual table, on bleak 0.22 (abstract classes) and 1.x+ (concrete).

bleak 0.22's ``BleakGATTService``/``Characteristic``/``Descriptor`` are ABCs that each backend
subclasses; from bleak 1.0 they are concrete classes taking ``(obj, handle, uuid, ...)``. The
collection's ``add_characteristic``/``add_descriptor`` attach children to their parent in both,
so the parents' own ``add_*`` are never called here (docs/home_assistant.md §6.4).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any
from uuid import UUID

from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.uuids import normalize_uuid_str

from .gatt_table import GattTable, VirtualCharacteristic

CCCD_UUID = "00002902-0000-1000-8000-00805f9b34fb"
"""Client Characteristic Configuration descriptor."""

LEGACY_BLEAK_GATT = inspect.isabstract(BleakGATTService)
"""True on bleak 0.22, whose GATT classes must be subclassed."""


class _LegacyService(BleakGATTService):
    """A bleak 0.22 service."""

    def __init__(self, handle: int, uuid: str) -> None:
        base_init: Any = BleakGATTService.__init__
        base_init(self, None)
        self._v_handle = handle
        self._v_uuid = uuid
        self._v_characteristics: list[BleakGATTCharacteristic] = []

    @property
    def handle(self) -> int:
        """The service's handle."""
        return self._v_handle

    @property
    def uuid(self) -> str:
        """The service's UUID."""
        return self._v_uuid

    @property
    def characteristics(self) -> list[BleakGATTCharacteristic]:
        """The service's characteristics."""
        return self._v_characteristics

    def add_characteristic(self, characteristic: BleakGATTCharacteristic) -> None:
        """Attach a characteristic (called by the collection)."""
        self._v_characteristics.append(characteristic)


class _LegacyCharacteristic(BleakGATTCharacteristic):
    """A bleak 0.22 characteristic."""

    def __init__(
        self,
        obj: VirtualCharacteristic,
        handle: int,
        service: BleakGATTService,
        max_write: Callable[[], int],
    ) -> None:
        base_init: Any = BleakGATTCharacteristic.__init__
        base_init(self, obj, max_write)
        self._v_handle = handle
        self._v_service = service
        self._v_descriptors: list[BleakGATTDescriptor] = []

    @property
    def service_uuid(self) -> str:
        """UUID of the owning service."""
        return self._v_service.uuid

    @property
    def service_handle(self) -> int:
        """Handle of the owning service."""
        return self._v_service.handle

    @property
    def handle(self) -> int:
        """The characteristic's handle."""
        return self._v_handle

    @property
    def uuid(self) -> str:
        """The characteristic's UUID."""
        virtual: VirtualCharacteristic = self.obj
        return virtual.uuid

    @property
    def properties(self) -> list[Any]:
        """Property names such as ``read`` and ``write-without-response``."""
        virtual: VirtualCharacteristic = self.obj
        return list(virtual.properties)

    @property
    def descriptors(self) -> list[BleakGATTDescriptor]:
        """The characteristic's descriptors."""
        return self._v_descriptors

    def get_descriptor(self, specifier: int | str | UUID) -> BleakGATTDescriptor | None:
        """Return a descriptor by handle or UUID."""
        for descriptor in self._v_descriptors:
            if isinstance(specifier, int):
                if descriptor.handle == specifier:
                    return descriptor
            elif descriptor.uuid == normalize_uuid_str(str(specifier)):
                return descriptor
        return None

    def add_descriptor(self, descriptor: BleakGATTDescriptor) -> None:
        """Attach a descriptor (called by the collection)."""
        self._v_descriptors.append(descriptor)


class _LegacyDescriptor(BleakGATTDescriptor):
    """A bleak 0.22 descriptor."""

    def __init__(self, handle: int, uuid: str, characteristic: BleakGATTCharacteristic) -> None:
        base_init: Any = BleakGATTDescriptor.__init__
        base_init(self, None)
        self._v_handle = handle
        self._v_uuid = uuid
        self._v_characteristic = characteristic

    @property
    def characteristic_uuid(self) -> str:
        """UUID of the owning characteristic."""
        return self._v_characteristic.uuid

    @property
    def characteristic_handle(self) -> int:
        """Handle of the owning characteristic."""
        return self._v_characteristic.handle

    @property
    def uuid(self) -> str:
        """The descriptor's UUID."""
        return self._v_uuid

    @property
    def handle(self) -> int:
        """The descriptor's handle."""
        return self._v_handle


def _service(handle: int, uuid: str) -> BleakGATTService:
    if LEGACY_BLEAK_GATT:
        return _LegacyService(handle, uuid)
    factory: Any = BleakGATTService
    service: BleakGATTService = factory(None, handle, uuid)
    return service


def _characteristic(
    obj: VirtualCharacteristic, handle: int, service: BleakGATTService, max_write: Callable[[], int]
) -> BleakGATTCharacteristic:
    if LEGACY_BLEAK_GATT:
        return _LegacyCharacteristic(obj, handle, service, max_write)
    factory: Any = BleakGATTCharacteristic
    char: BleakGATTCharacteristic = factory(
        obj, handle, obj.uuid, list(obj.properties), max_write, service
    )
    return char


def make_descriptor(
    handle: int, uuid: str, characteristic: BleakGATTCharacteristic
) -> BleakGATTDescriptor:
    """Return a bleak descriptor object for either bleak version."""
    if LEGACY_BLEAK_GATT:
        return _LegacyDescriptor(handle, uuid, characteristic)
    factory: Any = BleakGATTDescriptor
    descriptor: BleakGATTDescriptor = factory(None, handle, uuid, characteristic)
    return descriptor


def build_service_collection(table: GattTable, mtu: int) -> BleakGATTServiceCollection:
    """Return the services a central discovers, with a CCCD on each notifying characteristic."""
    collection = BleakGATTServiceCollection()
    handle = 0
    for virtual_service in table.services:
        handle += 1
        service = _service(handle, virtual_service.uuid)
        collection.add_service(service)
        for virtual_char in virtual_service.characteristics:
            handle += 2  # declaration, then value
            char = _characteristic(virtual_char, handle, service, lambda: mtu - 3)
            collection.add_characteristic(char)
            if virtual_char.can_notify:
                handle += 1
                collection.add_descriptor(make_descriptor(handle, CCCD_UUID, char))
    return collection
