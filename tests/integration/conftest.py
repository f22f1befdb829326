"""Fixtures for integration tests: config entries of virtual Furbies set up in Home Assistant.

Tests act through Home Assistant (service calls, entity states, events, registries,
diagnostics) and the virtual Furby; nothing here reaches into the integration's objects.

- ``storage_writes``: list of storage keys, one item per file write (on top of ``hass_storage``).
- ``furby_entry``: a ``MockConfigEntry`` for the ``furby`` fixture's toy (stay connected), added
  to ``hass`` but not set up; ``on_demand_entry`` the same with "connect on demand" (60 s idle).
- ``setup_entry`` / ``connected_entry``: ``furby_entry`` set up; the second also waits until its
  Connected sensor is on.
- ``furby_view``: the ``FurbyView`` (``entity_helpers.py``) of ``furby_entry``.
- ``timed_furby`` / ``timed``: a second toy on ``manual_furby_clock`` (only the test moves its
  clock, with ``async_drive_clock(clock, awaitable)`` and ``async_drive_clock_until(clock,
  predicate)``) and the ``FurbyView`` of its entry, set up and connected; for tests that act
  in the middle of a transfer.
- ``allowed``: a folder Home Assistant may read (``allowlist_external_dirs``), for uploads.
- helpers ``async_setup(hass, entry)``, ``async_wait_until(hass, predicate)`` (re-checked each
  time the loop and the toys' link settle), ``async_advance(hass, freezer, seconds)`` (frozen
  time moved on in small steps, every due timer fired) and ``async_drive(hass, freezer,
  awaitable)`` (runs an awaitable while moving frozen time on, for code that sleeps, such as
  bleak-retry-connector's pauses between connect attempts).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from pathlib import Path
from typing import Any
from unittest.mock import patch

# Diagnostics import the hassio integration (and with it aiohasupervisor's models) on their first
# request; that import fails under a frozen clock (``freezer``), so it happens here, up front.
import homeassistant.components.hassio  # noqa: F401
import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_ADDRESS
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.storage import Store
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_fire_time_changed_exact,
)

from custom_components.furby_connect.const import (
    CONF_IDLE_TIMEOUT,
    CONF_STAY_CONNECTED,
    DOMAIN,
)
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.clock import ManualClock
from virtual_furby.toy import VirtualFurby

from .entity_helpers import FurbyView
from .state_writes import StateWrites

HANG_GUARD = 60.0
"""Seconds of real time after which a stuck wait fails the test (never a timing check).

Uploads take real time even on the virtual clock: the sender keeps its FileWrite packets 5 ms
apart by the event loop's clock, so a 20 kB upload takes at least 5 s, more on a busy machine.
"""


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


async def async_setup(hass: HomeAssistant, entry: MockConfigEntry) -> FurbyView:
    """Set the entry up and return how Home Assistant shows its Furby."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return FurbyView(hass, entry)


async def async_wait_until(hass: HomeAssistant, predicate: Callable[[], bool]) -> None:
    """Wait until ``predicate()`` holds, re-checking whenever the loop and the link settle.

    The guard only catches a hang; it is not a timing check.
    """
    async with asyncio.timeout(HANG_GUARD):
        while not predicate():
            await async_furby_link_idle(hass)


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
    are not Home Assistant time: see ``furby_clock_driver``). Fails if it has not finished
    after ``limit`` virtual seconds.
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
def allowed(hass: HomeAssistant, tmp_path: Path) -> Path:
    """A folder Home Assistant may read files from (in ``allowlist_external_dirs``)."""
    folder = tmp_path / "allowed"
    folder.mkdir()
    hass.config.allowlist_external_dirs = {str(folder)}
    return folder


@pytest.fixture
def furby_entry(hass: HomeAssistant, furby: VirtualFurby) -> MockConfigEntry:
    """A stay-connected entry for the virtual ``furby``, added but not set up."""
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def on_demand_entry(hass: HomeAssistant, furby: VirtualFurby) -> MockConfigEntry:
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
def furby_view(hass: HomeAssistant, furby_entry: MockConfigEntry) -> FurbyView:
    """How Home Assistant shows the ``furby`` toy (its entity ids, states and services)."""
    return FurbyView(hass, furby_entry)


@pytest.fixture
def timed_furby(
    furby_factory: Callable[..., VirtualFurby], manual_furby_clock: ManualClock
) -> VirtualFurby:
    """A toy with the default link model on ``furby_clock``, which only the test moves."""
    return furby_factory("F1:23:45:67:89:CD")


@pytest.fixture
async def timed(
    hass: HomeAssistant, timed_furby: VirtualFurby, furby_clock: ManualClock
) -> AsyncGenerator[FurbyView]:
    """``timed_furby`` set up and connected (the clock is moved while it connects).

    At the end the entry is unloaded while the clock moves, so the disconnect's GATT requests
    are answered instead of timing out.
    """
    entry = make_entry(timed_furby.address)
    entry.add_to_hass(hass)
    view = await async_drive_clock(furby_clock, async_setup(hass, entry))
    await async_drive_clock_until(furby_clock, lambda: view.connected)
    yield view
    if entry.state is ConfigEntryState.LOADED:
        await async_drive_clock(furby_clock, hass.config_entries.async_unload(entry.entry_id))


async def async_drive_clock[R](clock: ManualClock, work: Awaitable[R], step: float = 0.015) -> R:
    """Await ``work`` while moving the toy's manual clock one connection interval at a time."""
    task = asyncio.ensure_future(work)
    async with asyncio.timeout(HANG_GUARD):
        while not task.done():
            await clock.advance(step)
    return task.result()


async def async_drive_clock_until(
    clock: ManualClock, predicate: Callable[[], bool], tick: Callable[[], None] | None = None
) -> None:
    """Move the toy's manual clock one connection interval at a time until ``predicate()``.

    ``tick`` runs before each step (to fire a Home Assistant timer, for instance).
    """
    async with asyncio.timeout(HANG_GUARD):
        while not predicate():
            if tick is not None:
                tick()
            await clock.advance(0.015)


@pytest.fixture
async def connected_entry(
    hass: HomeAssistant, setup_entry: MockConfigEntry, furby_view: FurbyView
) -> MockConfigEntry:
    """``furby_entry`` set up and connected to the virtual Furby."""
    await async_wait_until(hass, lambda: furby_view.connected)
    return setup_entry


ALL_ENTITIES = 18
"""Entities of one Furby, the two disabled by default included."""
DISABLED_BY_DEFAULT = (("sensor", "signal_strength"), ("button", "debug_screen"))


@pytest.fixture
async def every_entity(
    hass: HomeAssistant, furby_factory: Any, entity_registry: er.EntityRegistry
) -> tuple[VirtualFurby, FurbyView, StateWrites]:
    """A connected Furby (advertising while connected) with every entity enabled, and a record
    of every state write of its entities (targeted updates, and the benchmark's state writes).
    """
    furby: VirtualFurby = furby_factory(advertises_while_connected=True)
    entry: MockConfigEntry = make_entry(furby.address)
    entry.add_to_hass(hass)
    for platform, key in DISABLED_BY_DEFAULT:
        entity_registry.async_get_or_create(
            platform, DOMAIN, f"{furby.address}_{key}", config_entry=entry, disabled_by=None
        )
    view = await async_setup(hass, entry)
    await async_wait_until(hass, lambda: view.connected)
    entities = {
        item.entity_id
        for item in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    }
    assert len(entities) == ALL_ENTITIES
    return furby, view, StateWrites(hass, entities)
