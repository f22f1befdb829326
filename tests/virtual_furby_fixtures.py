"""Pytest fixtures that put virtual Furbies into Home Assistant through a virtual BLE proxy.

Registered for the whole suite by ``pytest_plugins`` in ``tests/conftest.py``.

* ``virtual_proxy``: a :class:`~virtual_furby.ha_proxy.VirtualProxy` registered with ``hass``'s
  bluetooth stack (re-advertises every 10 s; ``async_fire_time_changed`` drives it).
* ``furby_clock``: the :class:`~virtual_furby.clock.ManualClock` the toys run on.
* ``furby_clock_driver``: a :class:`~virtual_furby.clock.ClockDriver` moving ``furby_clock`` by
  itself whenever the event loop has nothing else to do, over gaps of at most
  ``furby_clock_max_jump`` (0.25 s unless a module overrides that fixture): radio delays cost no
  real time but keep their order. The toy's longer timers (held sensors, upload
  timeout, scheduled faults) still wait for ``await furby_clock.advance(seconds)``, which takes
  precedence over the driver. It keeps running while ``hass`` unloads the entries at teardown
  (their disconnects go over the link) and stops when Home Assistant closes.
* ``manual_furby_clock``: ``furby_clock`` with the driver stopped: only explicit advances move
  it (request it before anything connects; the test then drives every link delay itself).
* ``furby_factory(address=..., *, radio=..., intake=..., acks=..., clock=..., advertise=True,
  **toy_options)``: more toys on the proxy. The default is the realistic radio and intake
  (``RadioModel()``, ``IntakeModel()``: docs/simulator.md), or instant ones in a test marked
  ``@pytest.mark.instant_link`` (say why next to the mark: radio timing must not be what the test
  is about); a toy given its own ``clock`` is not driven. ``link=`` (the earlier combined
  ``LinkModel``) is still accepted.
* ``furby``: one toy at ``F1:23:45:67:89:AB``, advertised (so the integration's bluetooth
  discovery flow starts in the background).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any

import pytest
from homeassistant.const import EVENT_HOMEASSISTANT_CLOSE
from homeassistant.core import Event, HomeAssistant, callback

from virtual_furby.clock import Clock, ClockDriver, ManualClock
from virtual_furby.ha_proxy import VirtualProxy, async_attach_virtual_proxy
from virtual_furby.intake import IntakeModel
from virtual_furby.link import LinkModel
from virtual_furby.radio import RadioModel
from virtual_furby.toy import DEFAULT_ADDRESS, VirtualFurby

type FurbyFactory = Callable[..., VirtualFurby]

CLOCK_DRIVER_KEY = "virtual_furby_clock_driver"
"""``hass.data`` key of the running ``furby_clock_driver`` (for helpers that wait on the link)."""


async def async_furby_link_idle(hass: HomeAssistant) -> None:
    """Let the loop run until the toys' link has nothing due soon (one loop turn at least)."""
    driver: ClockDriver | None = hass.data.get(CLOCK_DRIVER_KEY)
    if driver is None:
        await asyncio.sleep(0)
        return
    await driver.idle()


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``instant_link`` marker."""
    config.addinivalue_line(
        "markers", "instant_link: furby_factory's toys default to an instant radio (say why)"
    )


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
def furby_clock_max_jump() -> float:
    """Longest gap of toy time ``furby_clock_driver`` jumps over by itself (override per module).

    0.25 s covers the radio's connection events, the file intake and the connect delay; a module
    whose toys pause for seconds (flash writes) overrides it.
    """
    return 0.25


@pytest.fixture
async def furby_clock_driver(
    hass: HomeAssistant, furby_clock: ManualClock, furby_clock_max_jump: float
) -> AsyncGenerator[ClockDriver]:
    """Drive ``furby_clock`` whenever the event loop is idle, until Home Assistant closes."""
    driver = ClockDriver(furby_clock, max_jump=furby_clock_max_jump)
    driver.start()
    hass.data[CLOCK_DRIVER_KEY] = driver

    @callback
    def on_close(_: Event) -> None:
        hass.data.pop(CLOCK_DRIVER_KEY, None)
        driver.stop()

    # The hass fixture unloads every entry after this teardown; the link must still run then.
    hass.bus.async_listen_once(EVENT_HOMEASSISTANT_CLOSE, on_close)
    yield driver
    driver.check()


@pytest.fixture
def manual_furby_clock(furby_clock: ManualClock, furby_clock_driver: ClockDriver) -> ManualClock:
    """``furby_clock`` without the driver: it moves only when the test advances it."""
    furby_clock_driver.stop()
    return furby_clock


@pytest.fixture
def furby_factory(
    request: pytest.FixtureRequest,
    virtual_proxy: VirtualProxy,
    furby_clock: ManualClock,
    furby_clock_driver: ClockDriver,
) -> Generator[FurbyFactory]:
    """Create virtual Furbies attached to ``virtual_proxy`` (``furby_clock`` is being driven)."""
    created: list[VirtualFurby] = []
    instant = request.node.get_closest_marker("instant_link") is not None

    def make(
        address: str = DEFAULT_ADDRESS,
        *,
        radio: RadioModel | None = None,
        intake: IntakeModel | None = None,
        link: LinkModel | None = None,
        clock: Clock | None = None,
        advertise: bool = True,
        **options: Any,
    ) -> VirtualFurby:
        if link is not None:
            radio, intake = radio or link.radio, intake or link.intake
        elif instant:
            radio, intake = radio or RadioModel.instant(), intake or IntakeModel.instant()
        toy = VirtualFurby(
            address,
            clock=clock if clock is not None else furby_clock,
            radio=radio,
            intake=intake,
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
