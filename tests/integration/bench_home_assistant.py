"""Benchmarks that need a running Home Assistant (``scripts/bench`` runs them; not tests).

The file name does not match ``test_*.py``, so the test command never collects it; ``scripts/bench``
runs ``pytest tests/integration/bench_home_assistant.py`` with ``FURBY_BENCH_OUT`` naming a JSON
file each function merges its figures into. They use the same fixtures as the integration tests
(Home Assistant from pytest-homeassistant-custom-component, the virtual Furby on a virtual
bluetooth proxy with its realistic radio), so they measure the integration as Home Assistant runs
it. Each function still asserts what it relies on, so a broken measurement fails loudly instead of
printing a wrong figure.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import bluetooth
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component

from custom_components.furby_connect.const import DOMAIN
from custom_components.furby_connect.protocol.gatt import DEVICE_INFORMATION_FIELDS
from tests.protocol.dlc_factory import build_dlc
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .conftest import async_advance, async_setup, async_wait_until, make_entry
from .entity_helpers import FurbyView
from .state_writes import StateWrites
from .test_link import expired_advertisements
from .test_targeted_updates import ALL_ENTITIES, DISABLED_BY_DEFAULT
from .upload_helpers import skip_result_grace, upload_ended, write_file

DEVICE_INFO_UUIDS = frozenset(uuid.lower() for uuid in DEVICE_INFORMATION_FIELDS.values())
UPLOAD_GUARD = 120.0
"""Real seconds an upload may take on a busy machine before the benchmark gives up."""


@pytest.fixture
async def every_entity(
    hass: HomeAssistant, furby_factory: Any, entity_registry: er.EntityRegistry
) -> tuple[VirtualFurby, FurbyView, StateWrites]:
    """A connected Furby (advertising while connected) with all 18 entities enabled, and a record
    of every state write of its entities (as in ``test_targeted_updates.py``).
    """
    furby: VirtualFurby = furby_factory(advertises_while_connected=True)
    entry = make_entry(furby.address)
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


def record(section: str, figures: dict[str, Any]) -> None:
    """Merge ``figures`` under ``section`` into the file ``FURBY_BENCH_OUT`` names."""
    out = os.environ.get("FURBY_BENCH_OUT")
    if not out:
        return
    path = Path(out)
    data = json.loads(path.read_text()) if path.exists() else {}
    data[section] = figures
    path.write_text(json.dumps(data))


def count_device_info_reads(furby: VirtualFurby) -> Counter[str]:
    """Count the toy's Device Information reads from now on (at its fault hook, per read)."""
    reads: Counter[str] = Counter()
    faults = furby.faults
    original = faults.gatt_error_for

    def counting(uuid: str, operation: str) -> int | None:
        if operation == "read" and uuid.lower() in DEVICE_INFO_UUIDS:
            reads["reads"] += 1
        return original(uuid, operation)

    faults.gatt_error_for = counting  # type: ignore[method-assign]
    return reads


async def test_device_information_is_read_once(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    furby: VirtualFurby,
) -> None:
    """Row 1: Device Information reads at the first contact and on a reconnect."""
    reads = count_device_info_reads(furby)
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)
    view = await async_setup(hass, entry)
    await async_wait_until(hass, lambda: view.connected)
    first = reads["reads"]
    furby.drop_connection()
    await async_wait_until(hass, lambda: not view.connected)
    await async_advance(hass, freezer, 1.5)  # the pause after a short-lived link
    await async_wait_until(hass, lambda: view.connected)
    assert furby.connect_count == 2
    assert first == len(DEVICE_INFO_UUIDS)
    record(
        "device_info",
        {"reads_first_contact": first, "reads_on_reconnect": reads["reads"] - first},
    )


async def test_state_writes_per_upload_tick(
    hass: HomeAssistant,
    every_entity: tuple[VirtualFurby, FurbyView, StateWrites],
    allowed: Path,
) -> None:
    """Row 3: state writes of all 18 entities per upload progress tick and per upload."""
    _furby, view, writes = every_entity
    upload_sensor = view.entity_id("sensor", "upload_progress")
    path = write_file(allowed, "chilli.dlc", build_dlc(20_000))
    start = writes.mark()
    await view.call("upload_dlc", {"path": path, "activate": True})
    async with asyncio.timeout(UPLOAD_GUARD):
        while not upload_ended(view):
            skip_result_grace(hass, view)
            await async_furby_link_idle(hass)
    assert view.upload["phase"] == "done"
    await hass.async_block_till_done()
    reports = [
        i for i, (entity, _) in enumerate(writes.log) if entity == upload_sensor and i >= start
    ]
    ticks = [
        (earlier, later)
        for earlier, later in itertools.pairwise(reports)
        if writes.log[later][1]["phase"] in ("announcing", "transferring")
    ]
    assert ticks
    per_tick = [sum(writes.since(earlier + 1, later + 1).values()) for earlier, later in ticks]
    whole = writes.since(start)
    record(
        "state_writes_upload",
        {
            "entities": len(writes.entity_ids),
            "ticks": len(ticks),
            "writes_per_tick_max": max(per_tick),
            "writes_per_tick_mean": sum(per_tick) / len(per_tick),
            "upload_reports": len(reports),
            "writes_whole_upload": sum(whole.values()),
            "writes_whole_upload_by_entity": {k: v for k, v in whole.items() if v},
        },
    )


async def test_state_writes_per_advertisement(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    every_entity: tuple[VirtualFurby, FurbyView, StateWrites],
    virtual_proxy: Any,
) -> None:
    """Row 3: state writes of all 18 entities for one advertisement with a new signal strength."""
    furby, view, writes = every_entity
    furby.faults.stop_advertising()
    with expired_advertisements():
        await async_advance(hass, freezer, 301, step=1.0)
    assert not bluetooth.async_address_present(hass, furby.address, True)
    furby.rssi = -71
    furby.faults.resume_advertising()
    start = writes.mark()
    virtual_proxy.advertise_all()
    await async_wait_until(hass, lambda: view.state("sensor", "signal_strength").state == "-71")
    await hass.async_block_till_done()
    counts = writes.since(start)
    record(
        "state_writes_advertisement",
        {
            "entities": len(writes.entity_ids),
            "writes": sum(counts.values()),
            "by_entity": {k: v for k, v in counts.items() if v},
        },
    )


async def test_setup_with_the_toy_absent(hass: HomeAssistant) -> None:
    """Row 8: setting up an entry whose toy is nowhere returns at once, loaded."""
    entry = make_entry("F1:23:45:67:89:EF")
    entry.add_to_hass(hass)
    start = time.perf_counter()
    assert await hass.config_entries.async_setup(entry.entry_id)
    returned = time.perf_counter() - start
    await hass.async_block_till_done()
    settled = time.perf_counter() - start
    assert entry.state is ConfigEntryState.LOADED
    record("setup_absent", {"setup_returned_ms": returned * 1000, "settled_ms": settled * 1000})


async def test_setup_with_the_toy_present_until_connected(
    hass: HomeAssistant, furby: VirtualFurby
) -> None:
    """Row 8 baseline: what a setup that waited for the toy would cost at best (toy present)."""
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)
    start = time.perf_counter()
    view = await async_setup(hass, entry)
    returned = time.perf_counter() - start
    await async_wait_until(hass, lambda: view.connected)
    connected = time.perf_counter() - start
    record(
        "setup_present",
        {"setup_returned_ms": returned * 1000, "connected_ms": connected * 1000},
    )


async def _start_time(hass: HomeAssistant, with_integration: bool, address: str) -> float:
    """Seconds from setting the component up to Home Assistant being idle."""
    if with_integration:
        make_entry(address).add_to_hass(hass)
    start = time.perf_counter()
    assert await async_setup_component(hass, "homeassistant", {})
    if with_integration:
        assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
    return time.perf_counter() - start


async def test_start_without_the_integration(hass: HomeAssistant) -> None:
    """Row 8: Home Assistant's core set up with bluetooth and no Furby entry."""
    seconds = await _start_time(hass, False, "")
    record("start_without", {"seconds": seconds})


async def test_start_with_the_integration(hass: HomeAssistant, furby: VirtualFurby) -> None:
    """Row 8: the same with one Furby entry (its toy present; connecting runs in the background)."""
    seconds = await _start_time(hass, True, furby.address)
    record("start_with", {"seconds": seconds})
