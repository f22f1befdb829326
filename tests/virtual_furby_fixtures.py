"""Pytest fixtures that put virtual Furbies into Home Assistant through a virtual BLE proxy.

Registered for the whole suite by ``pytest_plugins`` in ``tests/conftest.py``.

* ``virtual_proxy``: a :class:`~virtual_furby.ha_proxy.VirtualProxy` registered with ``hass``'s
  bluetooth stack (re-advertises every 10 s; ``async_fire_time_changed`` drives it).
* ``furby_clock``: the :class:`~virtual_furby.clock.ManualClock` the toys run on; the toy's own
  timers (sensor stream, upload timeout, held sensors) move only with ``await
  furby_clock.advance(seconds)``.
* ``furby_factory(address=..., *, link=..., clock=..., advertise=True, **toy_options)``: more
  toys on the proxy. The default link is ``LinkModel.instant()`` (no radio timing, the toy
  consumes file packets at once); pass ``link=LinkModel()`` for realistic pacing and advance
  ``furby_clock`` while the upload task runs.
* ``furby``: one toy at ``F1:23:45:67:89:AB``, advertised (so the integration's bluetooth
  discovery flow starts in the background).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any

import pytest
from homeassistant.core import HomeAssistant

from virtual_furby.clock import Clock, ManualClock
from virtual_furby.ha_proxy import VirtualProxy, async_attach_virtual_proxy
from virtual_furby.link import LinkModel
from virtual_furby.toy import DEFAULT_ADDRESS, VirtualFurby

type FurbyFactory = Callable[..., VirtualFurby]


@pytest.fixture
async def virtual_proxy(hass: HomeAssistant) -> AsyncGenerator[VirtualProxy]:
    """A virtual Bluetooth proxy registered with Home Assistant's bluetooth stack."""
    proxy = async_attach_virtual_proxy(hass)
    yield proxy
    proxy.cancel()


@pytest.fixture
def furby_clock() -> ManualClock:
    """The virtual clock every toy from ``furby_factory`` runs on (unless told otherwise)."""
    return ManualClock()


@pytest.fixture
def furby_factory(virtual_proxy: VirtualProxy, furby_clock: ManualClock) -> Generator[FurbyFactory]:
    """Create virtual Furbies attached to ``virtual_proxy``."""
    created: list[VirtualFurby] = []

    def make(
        address: str = DEFAULT_ADDRESS,
        *,
        link: LinkModel | None = None,
        clock: Clock | None = None,
        advertise: bool = True,
        **options: Any,
    ) -> VirtualFurby:
        toy = VirtualFurby(
            address,
            clock=clock if clock is not None else furby_clock,
            link=link if link is not None else LinkModel.instant(),
            **options,
        )
        virtual_proxy.add(toy, advertise=advertise)
        created.append(toy)
        return toy

    yield make
    for toy in created:
        virtual_proxy.scanner.remove_peripheral(toy)


@pytest.fixture
def furby(furby_factory: FurbyFactory) -> VirtualFurby:
    """One advertised virtual Furby on the virtual proxy."""
    return furby_factory()
