"""Storage through an entry's life: what a stored file gives after setup, what is written back,
coalesced delayed writes, and files that are broken or of another version (never fatal).

The format itself (every field's checks) is unit-tested in ``tests/test_storage_format.py``.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_fire_time_changed_exact,
)

from custom_components.furby_connect.const import STORAGE_MINOR_VERSION, STORAGE_VERSION
from custom_components.furby_connect.storage import storage_key
from virtual_furby.toy import VirtualFurby

from .conftest import async_setup, async_wait_until
from .entity_helpers import FurbyView

GOOD: dict[str, Any] = {
    "antenna": [9, 9, 9],
    "antenna_last_on": [9, 9, 9],
    "eyes_on": False,
    "name_id": 21,
    "moods": {"wellness": 80},
    "slots": None,
    "device_info": None,
    "counters": {"actions_sent": 1, "events_received": 2, "connects": 3},
}


def stored(key: str, data: Any, version: int = STORAGE_VERSION, minor: int = 2) -> dict[str, Any]:
    """A storage file as ``hass_storage`` holds it."""
    return {"version": version, "minor_version": minor, "key": key, "data": data}


async def _writes_after_setup(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, storage_writes: list[str], key: str
) -> int:
    """Let the writes that follow setting up land; return how many writes ``key`` has had."""
    freezer.tick(5)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    return storage_writes.count(key)


async def test_a_burst_of_changes_is_written_at_most_a_second_after_a_change(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    storage_writes: list[str],
) -> None:
    """A steady burst (a change every 0.5 s for 5 s) is coalesced into one write per second,
    each with the latest state, so the file is never more than a second behind: a crash in the
    middle of a burst loses at most a second (scripts/chaos's kill -9 found bursts never written).
    """
    key = storage_key(connected_entry.entry_id)
    before = await _writes_after_setup(hass, freezer, storage_writes, key)

    behind = []
    for red in range(10):
        await furby_view.call("set_antenna", {"red": red, "green": 0, "blue": 0})
        freezer.tick(0.5)
        async_fire_time_changed_exact(hass)
        await hass.async_block_till_done()
        antenna = hass_storage[key]["data"]["antenna"] if key in hass_storage else None
        saved = antenna[0] if antenna else -1
        behind.append(red - saved)  # changes made since the stored one, 0.5 s apart
    assert max(behind) <= 2  # at most a second behind
    assert 4 <= storage_writes.count(key) - before <= 6  # about one write per second, not 10

    freezer.tick(1.1)
    async_fire_time_changed_exact(hass)
    await hass.async_block_till_done()
    assert hass_storage[key]["data"]["antenna"] == [9, 0, 0]


async def test_a_short_burst_is_written_once(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    storage_writes: list[str],
) -> None:
    """Ten changes within the delay give one write, a second after the first, with the last."""
    key = storage_key(connected_entry.entry_id)
    before = await _writes_after_setup(hass, freezer, storage_writes, key)

    for red in range(10):
        await furby_view.call("set_antenna", {"red": red, "green": 0, "blue": 0})
    assert storage_writes.count(key) == before
    for _ in range(3):
        freezer.tick(1.1)
        async_fire_time_changed_exact(hass)
        await hass.async_block_till_done()
    assert storage_writes.count(key) == before + 1
    assert hass_storage[key]["data"]["antenna"] == [9, 0, 0]


async def test_unload_writes_at_once_and_cancels_the_pending_write(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    storage_writes: list[str],
) -> None:
    """Unloading writes the state now; the delayed write it replaced never comes."""
    key = storage_key(connected_entry.entry_id)
    await furby_view.call("set_name", {"name_id": 5})
    before = storage_writes.count(key)
    assert await hass.config_entries.async_unload(connected_entry.entry_id)
    assert storage_writes.count(key) == before + 1
    assert hass_storage[key]["data"]["name_id"] == 5
    assert hass_storage[key]["minor_version"] == STORAGE_MINOR_VERSION
    for _ in range(2):
        freezer.tick(5)
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    assert storage_writes.count(key) == before + 1


@pytest.mark.parametrize(
    ("file", "warning", "name_shown", "rewritten"),
    [
        pytest.param({"data": {}}, "could not be read", "unknown", False, id="unreadable"),
        pytest.param("not an object", "the whole file", "unknown", True, id="not-an-object"),
        pytest.param(
            {**GOOD, "antenna": [999, 0, 0]}, "antenna", "Dah-Boh", True, id="one-bad-field"
        ),
        pytest.param(
            {**GOOD, "antenna": "pink", "counters": {"connects": "many"}},
            "antenna, counters",
            "Dah-Boh",
            True,
            id="two-bad-fields",
        ),
        pytest.param(stored("", GOOD, version=0), "old version", "Dah-Boh", True, id="older"),
        pytest.param(
            stored("", ["not", "a", "dict"], version=0),
            "old version",
            "unknown",
            True,
            id="older-not-an-object",
        ),
    ],
)
async def test_a_broken_or_foreign_file_never_fails_setup(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    furby_entry: MockConfigEntry,
    furby: VirtualFurby,
    caplog: pytest.LogCaptureFixture,
    file: Any,
    warning: str,
    name_shown: str,
    rewritten: bool,
) -> None:
    """Whatever the file holds, the entry loads: usable fields show, the rest take defaults,
    a warning names the problem, and a repaired file is written back in the current version.
    (Time is frozen: Store's delayed write checks the event loop's clock.)
    """
    key = storage_key(furby_entry.entry_id)
    if isinstance(file, dict) and "version" in file:
        hass_storage[key] = {**file, "key": key}
    elif isinstance(file, dict) and set(file) == {"data"}:
        hass_storage[key] = file  # no version: the store cannot read it
    else:
        hass_storage[key] = stored(key, file)
    with caplog.at_level(logging.WARNING):
        view = await async_setup(hass, furby_entry)
    assert warning in caplog.text
    await async_wait_until(hass, lambda: view.connected)
    assert view.state("select", "name").state == name_shown
    for _ in range(2):  # a delayed write that was moved re-arms its timer once
        freezer.tick(5)
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    if rewritten:
        assert hass_storage[key]["version"] == STORAGE_VERSION
        assert hass_storage[key]["minor_version"] == STORAGE_MINOR_VERSION
        assert hass_storage[key]["data"]["counters"]["connects"] >= 1


async def test_version_1_1_is_migrated_to_1_2(
    hass: HomeAssistant, hass_storage: dict[str, Any], furby_entry: MockConfigEntry
) -> None:
    """A 1.1 file gains ``antenna_last_on`` (from a lit antenna) and is written back as 1.2."""
    key = storage_key(furby_entry.entry_id)
    old = {key: value for key, value in GOOD.items() if key != "antenna_last_on"}
    hass_storage[key] = stored(key, {**old, "antenna": [0, 40, 0]}, minor=1)
    view = await async_setup(hass, furby_entry)
    await async_wait_until(hass, lambda: view.connected)
    assert (hass_storage[key]["version"], hass_storage[key]["minor_version"]) == (1, 2)
    assert hass_storage[key]["data"]["antenna_last_on"] == [0, 40, 0]
    assert hass_storage[key]["data"]["name_id"] == 21


async def test_version_1_1_with_the_antenna_off_has_no_last_colour(
    hass: HomeAssistant, hass_storage: dict[str, Any], furby_entry: MockConfigEntry
) -> None:
    """A 1.1 file with a black antenna migrates to no last colour (it was not stored)."""
    key = storage_key(furby_entry.entry_id)
    old = {key: value for key, value in GOOD.items() if key != "antenna_last_on"}
    hass_storage[key] = stored(key, {**old, "antenna": [0, 0, 0]}, minor=1)
    await async_setup(hass, furby_entry)
    assert hass_storage[key]["minor_version"] == 2
    assert hass_storage[key]["data"]["antenna_last_on"] is None


async def test_a_newer_minor_version_keeps_what_it_knows(
    hass: HomeAssistant, hass_storage: dict[str, Any], furby_entry: MockConfigEntry
) -> None:
    """A file of a newer minor version (more fields) loads; the unknown field is ignored."""
    key = storage_key(furby_entry.entry_id)
    hass_storage[key] = stored(key, {**GOOD, "future_field": 1}, minor=STORAGE_MINOR_VERSION + 1)
    view = await async_setup(hass, furby_entry)
    await async_wait_until(hass, lambda: view.connected)
    assert view.state("select", "name").state == "Dah-Boh"


async def test_a_file_of_a_newer_version_is_left_untouched(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    furby_entry: MockConfigEntry,
    storage_writes: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A file written by a newer release (after a downgrade) is never written over: the entry
    runs on defaults in memory with a warning, and neither a change, the delayed write, the
    unload nor Home Assistant's final write touches the file.
    """
    key = storage_key(furby_entry.entry_id)
    newer = stored(key, {**GOOD, "future_field": 1}, version=STORAGE_VERSION + 1)
    hass_storage[key] = copy.deepcopy(newer)
    with caplog.at_level(logging.WARNING):
        view = await async_setup(hass, furby_entry)
    assert "newer version" in caplog.text
    await async_wait_until(hass, lambda: view.connected)
    assert view.state("select", "name").state == "unknown"  # defaults, not the newer data

    await view.call("set_antenna", {"red": 1, "green": 2, "blue": 3})
    for _ in range(2):
        freezer.tick(5)
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(furby_entry.entry_id)
    await hass.async_block_till_done()

    assert storage_writes.count(key) == 0
    assert hass_storage[key] == newer
