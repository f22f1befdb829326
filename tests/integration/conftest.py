"""Fixtures for integration tests: config entries of virtual Furbies set up in Home Assistant.

Usable by every integration test module (this folder's ``conftest.py``):

- ``storage_writes``: list of storage keys, one item per file write (on top of ``hass_storage``).
- ``furby_entry``: a ``MockConfigEntry`` for the ``furby`` fixture's toy (stay connected), added
  to ``hass`` but not set up.
- ``on_demand_entry``: the same with the "connect on demand" policy (idle timeout 60 s).
- ``setup_entry`` / ``connected_entry``: ``furby_entry`` set up; the second also waits until the
  coordinator is connected.
- helpers ``async_setup(hass, entry)``, ``async_wait_for(coordinator, predicate)``,
  ``async_wait_connected(coordinator)``, ``async_advance(hass, freezer, seconds)`` (frozen time
  moved on in small steps, every due timer fired) and
  ``async_drive(hass, freezer, awaitable)`` (runs an awaitable while moving frozen time on, for
  code that sleeps, such as bleak-retry-connector's pauses between connect attempts). Both let
  the toys' link settle (``furby_clock_driver``) before each step of frozen time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Generator
from typing import Any
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_fire_time_changed_exact,
)

from custom_components.furby_connect.const import (
    CONF_ADDRESS,
    CONF_IDLE_TIMEOUT,
    CONF_STAY_CONNECTED,
    DOMAIN,
)
from custom_components.furby_connect.coordinator import FurbyCoordinator
from tests.virtual_furby_fixtures import async_furby_link_idle

HANG_GUARD = 10.0
"""Seconds after which a wait that should finish at once fails the test (never a timing check)."""


@pytest.fixture
def storage_writes(hass_storage: dict[str, Any]) -> Generator[list[str]]:
    """Record the key of every write of this integration's storage files.

    The writes still land in ``hass_storage``; other integrations' files are not recorded.
    """
    writes: list[str] = []
    write = Store._async_write_data

    async def counting_write(store: Store[Any], *args: Any) -> None:
        # (path, data) on HA 2025.4, (data,) on HA 2026.x
        if store.key.startswith(f"{DOMAIN}."):
            writes.append(store.key)
        await write(store, *args)

    with patch.object(Store, "_async_write_data", counting_write):
        yield writes


def make_entry(address: str, **options: Any) -> MockConfigEntry:
    """A config entry as the config flow creates it."""
    return MockConfigEntry(
        domain=DOMAIN,
        unique_id=address,
        title=f"Furby ({address.replace(':', '')[-4:]})",
        data={CONF_ADDRESS: address},
        options=options,
    )


async def async_setup(hass: HomeAssistant, entry: MockConfigEntry) -> FurbyCoordinator:
    """Set the entry up and return its coordinator."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    coordinator: FurbyCoordinator = entry.runtime_data
    return coordinator


async def async_wait_for(coordinator: FurbyCoordinator, predicate: Callable[[], bool]) -> None:
    """Wait until ``predicate()`` holds, re-checking whenever the coordinator notifies."""
    if predicate():
        return
    done = asyncio.Event()

    def check() -> None:
        if predicate():
            done.set()

    remove = coordinator.async_add_listener(check)
    try:
        async with asyncio.timeout(HANG_GUARD):
            await done.wait()
    finally:
        remove()


async def async_drive[T](
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    awaitable: Awaitable[T],
    *,
    step: float = 1.0,
    limit: float = 3600.0,
) -> T:
    """Await ``awaitable`` while frozen time moves on ``step`` s whenever the loop is idle.

    Idle means no ready callbacks and no link delay due on the toys' clock (the link's delays
    are not Home Assistant time: see ``furby_clock_driver``).

    Fails if it has not finished after ``limit`` virtual seconds.
    """
    task = asyncio.ensure_future(awaitable)
    elapsed = 0.0
    while not task.done():
        assert elapsed <= limit, f"still running after {limit} virtual seconds"
        await async_furby_link_idle(hass)  # loop turns (and link delays), no wall-clock time
        freezer.tick(step)
        elapsed += step
        async_fire_time_changed(hass)
    return task.result()


async def async_wait_connected(coordinator: FurbyCoordinator) -> None:
    """Wait until the coordinator's link is up."""
    await async_wait_for(coordinator, lambda: coordinator.connected)


async def async_advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float, step: float = 0.1
) -> None:
    """Move frozen time on by ``seconds`` in ``step``s, firing due timers and letting tasks run.

    After each step the toys' link also settles (its delays are not Home Assistant time).
    """
    for _ in range(round(seconds / step)):
        freezer.tick(step)
        async_fire_time_changed_exact(hass)
        await hass.async_block_till_done()
        await async_furby_link_idle(hass)


@pytest.fixture
def furby_entry(hass: HomeAssistant, furby: Any) -> MockConfigEntry:
    """A stay-connected entry for the virtual ``furby``, added but not set up."""
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def on_demand_entry(hass: HomeAssistant, furby: Any) -> MockConfigEntry:
    """A connect-on-demand entry (60 s idle timeout) for the virtual ``furby``."""
    entry = make_entry(furby.address, **{CONF_STAY_CONNECTED: False, CONF_IDLE_TIMEOUT: 60})
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
async def setup_entry(hass: HomeAssistant, furby_entry: MockConfigEntry) -> MockConfigEntry:
    """``furby_entry`` set up (it may still be connecting)."""
    await async_setup(hass, furby_entry)
    return furby_entry


@pytest.fixture
async def connected_entry(hass: HomeAssistant, setup_entry: MockConfigEntry) -> MockConfigEntry:
    """``furby_entry`` set up and connected to the virtual Furby."""
    await async_wait_connected(setup_entry.runtime_data)
    return setup_entry
