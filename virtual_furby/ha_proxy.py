"""Attach virtual Furbies to Home Assistant's bluetooth stack, the way Bluetooth proxies attach.

A habluetooth ``BaseHaRemoteScanner`` feeds the toys' advertisements to HA; its connector's client
is :class:`~virtual_furby.bleak_backend.VirtualBleakClient`, so the integration's own
``bleak_retry_connector.establish_connection`` reaches the toy through ``HaBleakClientWrapper``
with nothing patched (docs/home_assistant.md §6.1). Works on habluetooth 3.37 (HA 2025.4) and 7.x
(HA 2026).

Build the scanner only after the ``bluetooth`` integration is set up: its constructor needs HA's
bluetooth manager.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Final, cast

from bleak.backends.client import BaseBleakClient
from bluetooth_data_tools import monotonic_time_coarse
from habluetooth import BaseHaRemoteScanner, HaBluetoothConnector
from homeassistant.components import bluetooth
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_time_interval

from custom_components.furby_connect.protocol import gatt

from .bleak_backend import VirtualBleakClient
from .toy import VirtualFurby

DEFAULT_PROXY_SOURCE: Final = "02:00:00:F0:0B:01"
DEFAULT_PROXY_NAME: Final = "Virtual Furby proxy"
READVERTISE_INTERVAL: Final = timedelta(seconds=10)
"""Re-advertise well inside habluetooth's 90 s watchdog and 195 s staleness limits (pitfall 7)."""


class VirtualProxyScanner(BaseHaRemoteScanner):
    """A remote scanner that hears virtual Furbies and connects to them."""

    def __init__(
        self,
        source: str = DEFAULT_PROXY_SOURCE,
        name: str = DEFAULT_PROXY_NAME,
        *,
        connectable: bool = True,
        can_connect: Callable[[], bool] = lambda: True,
    ) -> None:
        """Create the scanner (needs HA's bluetooth manager to exist)."""
        backend = partial(VirtualBleakClient, resolver=self._resolve)
        connector = HaBluetoothConnector(
            client=cast(type[BaseBleakClient], backend), source=source, can_connect=can_connect
        )
        # Positional: the keyword names differ between habluetooth 3.x and 7.x.
        super().__init__(source, name, connector, connectable)
        self._peripherals: dict[str, VirtualFurby] = {}

    def _resolve(self, address: str) -> VirtualFurby | None:
        return self._peripherals.get(address.upper())

    @property
    def peripherals(self) -> dict[str, VirtualFurby]:
        """The toys this proxy can reach, by upper-case address."""
        return dict(self._peripherals)

    def add_peripheral(self, furby: VirtualFurby) -> None:
        """Put ``furby`` in this proxy's range (it is heard at the next advertisement)."""
        self._peripherals[furby.address] = furby

    def remove_peripheral(self, furby: VirtualFurby) -> None:
        """Take ``furby`` out of this proxy's range."""
        self._peripherals.pop(furby.address, None)

    def advertise(self, furby: VirtualFurby) -> bool:
        """Feed one advertisement of ``furby`` to HA; False when the toy is not advertising."""
        if not furby.advertising or furby.address not in self._peripherals:
            return False
        self._async_on_advertisement(
            furby.address,
            furby.rssi,
            furby.name,
            [gatt.FLUFF_SERVICE],
            {},
            {},
            None,
            {},
            monotonic_time_coarse(),
        )
        return True

    def advertise_all(self) -> int:
        """Advertise every toy that is advertising; return how many were heard."""
        return sum(self.advertise(furby) for furby in list(self._peripherals.values()))


class VirtualProxy:
    """A registered :class:`VirtualProxyScanner` plus its re-advertising timer."""

    def __init__(self, scanner: VirtualProxyScanner, cancels: list[CALLBACK_TYPE]) -> None:
        """Wrap a registered scanner and the callbacks that undo its registration."""
        self.scanner = scanner
        self._cancels = cancels

    def __await__(self) -> Generator[Any, None, VirtualProxy]:
        """Allow ``await async_attach_virtual_proxy(...)`` as well as a plain call."""
        return self._itself().__await__()

    async def _itself(self) -> VirtualProxy:
        return self

    @property
    def furbies(self) -> list[VirtualFurby]:
        """The toys attached to this proxy."""
        return list(self.scanner.peripherals.values())

    def add(self, furby: VirtualFurby, *, advertise: bool = True) -> VirtualFurby:
        """Attach another toy and (by default) advertise it at once."""
        self.scanner.add_peripheral(furby)
        if advertise:
            self.scanner.advertise(furby)
        return furby

    def advertise_all(self) -> int:
        """Advertise every attached toy now."""
        return self.scanner.advertise_all()

    @callback
    def cancel(self) -> None:
        """Stop re-advertising and unregister the scanner (idempotent)."""
        while self._cancels:
            self._cancels.pop()()

    async def async_unload(self) -> None:
        """Unregister, like :meth:`cancel`, for callers that ``await``."""
        self.cancel()


@callback
def async_attach_virtual_proxy(
    hass: HomeAssistant,
    *furbies: VirtualFurby,
    source: str = DEFAULT_PROXY_SOURCE,
    name: str = DEFAULT_PROXY_NAME,
    connectable: bool = True,
    readvertise_interval: timedelta = READVERTISE_INTERVAL,
) -> VirtualProxy:
    """Register a virtual proxy with HA, attach ``furbies``, advertise them, keep re-advertising."""
    scanner = VirtualProxyScanner(source, name, connectable=connectable)
    for furby in furbies:
        scanner.add_peripheral(furby)
    cancels = [bluetooth.async_register_scanner(hass, scanner), scanner.async_setup()]

    @callback
    def _readvertise(now: datetime) -> None:
        scanner.advertise_all()

    cancels.append(async_track_time_interval(hass, _readvertise, readvertise_interval))
    scanner.advertise_all()
    return VirtualProxy(scanner, cancels)
