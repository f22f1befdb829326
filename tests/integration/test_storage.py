"""Storage: delayed coalesced writes, flush, removal, and bad files that never fail setup."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.furby_connect.const import STORAGE_VERSION
from custom_components.furby_connect.models import FurbyState, SlotTable
from custom_components.furby_connect.protocol.commands import MoodMeter
from custom_components.furby_connect.protocol.device_info import DeviceInformation
from custom_components.furby_connect.protocol.notifications import SlotInfo
from custom_components.furby_connect.storage import (
    FurbyStore,
    dump_state,
    parse_state,
    storage_key,
)

ENTRY_ID = "entry1"
KEY = storage_key(ENTRY_ID)


def full_state() -> FurbyState:
    return FurbyState(
        antenna=(255, 16, 0),
        eyes_on=False,
        name_id=128,
        moods={MoodMeter.TIREDNESS: 40, MoodMeter.EXCITEDNESS: 100},
        slots=SlotTable(
            filled=frozenset({2, 13}),
            active=frozenset({13}),
            info={13: SlotInfo(slot=13, name="TU002949", length=313690, adler32=0x2754EA15)},
        ),
        device_info=DeviceInformation(manufacturer="Hasbro", model="Furby", serial_number="S1"),
        counters={"actions_sent": 3, "events_received": 7, "connects": 2},
    )


def stored(data: Any, version: int = STORAGE_VERSION, minor: int = 1) -> dict[str, Any]:
    return {"version": version, "minor_version": minor, "key": KEY, "data": data}


def test_dump_then_parse_gives_the_same_state() -> None:
    state = full_state()
    parsed, problems = parse_state(dump_state(state))
    assert problems == []
    assert parsed == state


def test_dump_is_a_snapshot_not_a_view() -> None:
    state = full_state()
    snapshot = dump_state(state)
    state.moods[MoodMeter.TIREDNESS] = 1
    state.counters["connects"] = 99
    assert snapshot["moods"]["tiredness"] == 40
    assert snapshot["counters"]["connects"] == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("antenna", [256, 0, 0]),
        ("antenna", [1, 2]),
        ("antenna", "red"),
        ("antenna", [True, 0, 0]),
        ("eyes_on", "yes"),
        ("name_id", 129),
        ("name_id", -1),
        ("moods", {"grumpiness": 3}),
        ("moods", {"wellness": 101}),
        ("moods", [1, 2]),
        ("slots", {"filled": [14], "active": [], "info": []}),
        ("slots", {"filled": [1], "active": [], "info": [{"slot": 1, "name": 5}]}),
        ("slots", {"filled": [1], "active": [], "info": "x"}),
        ("slots", "all"),
        ("device_info", {"manufacturer": 7}),
        ("device_info", ["Hasbro"]),
        ("counters", {"connects": -1}),
        ("counters", None),
    ],
)
def test_invalid_field_falls_back_to_its_default_only(field: str, value: object) -> None:
    data = dump_state(full_state())
    data[field] = value
    parsed, problems = parse_state(data)
    assert problems == [field]
    assert getattr(parsed, field) == getattr(FurbyState(), field)
    # every other field survives
    for other in ("antenna", "eyes_on", "name_id", "moods", "slots", "device_info", "counters"):
        if other != field:
            assert getattr(parsed, other) == getattr(full_state(), other)


def test_missing_fields_take_defaults_silently() -> None:
    parsed, problems = parse_state({"antenna": [1, 2, 3]})
    assert problems == []
    assert parsed == FurbyState(antenna=(1, 2, 3))


@pytest.mark.parametrize("data", ["garbage", [1, 2], None, 5])
def test_a_file_that_is_not_an_object_is_reported(data: object) -> None:
    parsed, problems = parse_state(data)
    assert problems == ["the whole file"]
    assert parsed == FurbyState()


async def test_a_burst_of_updates_is_written_once(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    storage_writes: list[str],
) -> None:
    store = FurbyStore(hass, ENTRY_ID)
    state = FurbyState()
    for count in range(1000):
        state.counters["actions_sent"] = count + 1
        store.async_schedule_save(state)
        freezer.tick(0.0005)  # the burst takes 0.5 s of (virtual) time
    await hass.async_block_till_done()
    assert storage_writes == []
    assert KEY not in hass_storage

    freezer.tick(0.9)  # 1.4 s after the first update, 0.9 s after the last: not yet
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert storage_writes == []

    freezer.tick(0.2)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert storage_writes == [KEY]
    assert hass_storage[KEY]["data"]["counters"]["actions_sent"] == 1000


async def test_save_writes_now_and_replaces_a_pending_write(
    hass: HomeAssistant, hass_storage: dict[str, Any], storage_writes: list[str]
) -> None:
    store = FurbyStore(hass, ENTRY_ID)
    state = FurbyState(antenna=(1, 1, 1))
    store.async_schedule_save(state)
    state.antenna = (2, 2, 2)
    await store.async_save(state)
    assert storage_writes == [KEY]
    assert hass_storage[KEY]["data"]["antenna"] == [2, 2, 2]

    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=2))
    await hass.async_block_till_done()
    assert storage_writes == [KEY]


async def test_load_returns_what_was_saved(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    await FurbyStore(hass, ENTRY_ID).async_save(full_state())
    assert await FurbyStore(hass, ENTRY_ID).async_load() == full_state()


async def test_remove_deletes_the_file(hass: HomeAssistant, hass_storage: dict[str, Any]) -> None:
    store = FurbyStore(hass, ENTRY_ID)
    await store.async_save(full_state())
    assert KEY in hass_storage
    await store.async_remove()
    assert KEY not in hass_storage


async def test_no_file_gives_defaults(hass: HomeAssistant, hass_storage: dict[str, Any]) -> None:
    assert await FurbyStore(hass, ENTRY_ID).async_load() == FurbyState()


async def test_corrupt_content_gives_defaults_and_a_warning(
    hass: HomeAssistant, hass_storage: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    hass_storage[KEY] = stored("garbage")
    with caplog.at_level(logging.WARNING):
        state = await FurbyStore(hass, ENTRY_ID).async_load()
    assert state == FurbyState()
    assert "the whole file" in caplog.text


async def test_bad_field_is_repaired_in_the_file(
    hass: HomeAssistant, hass_storage: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    data = dump_state(full_state())
    data["antenna"] = [999, 0, 0]
    hass_storage[KEY] = stored(data)
    with caplog.at_level(logging.WARNING):
        state = await FurbyStore(hass, ENTRY_ID).async_load()
    assert state.antenna is None
    assert state.name_id == 128
    assert "antenna" in caplog.text

    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=2))
    await hass.async_block_till_done()
    assert hass_storage[KEY]["data"]["antenna"] is None
    assert hass_storage[KEY]["data"]["name_id"] == 128


async def test_unreadable_file_gives_defaults_and_a_warning(
    hass: HomeAssistant, hass_storage: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    # phcc's storage mock raises ValueError for a file without "version", as a real unreadable
    # file makes Store.async_load raise.
    hass_storage[KEY] = {"data": {}}
    with caplog.at_level(logging.WARNING):
        state = await FurbyStore(hass, ENTRY_ID).async_load()
    assert state == FurbyState()
    assert "could not be read" in caplog.text


async def test_file_of_a_newer_version_gives_defaults(
    hass: HomeAssistant, hass_storage: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    hass_storage[KEY] = stored(dump_state(full_state()), version=STORAGE_VERSION + 1)
    with caplog.at_level(logging.WARNING):
        state = await FurbyStore(hass, ENTRY_ID).async_load()
    assert state == FurbyState()
    # HA 2025.4 hands the file to the migration (which refuses it), 2026.x refuses it itself.
    assert "newer" in caplog.text


async def test_file_of_an_older_version_keeps_what_fits(
    hass: HomeAssistant, hass_storage: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    hass_storage[KEY] = stored({"antenna": [9, 9, 9], "name_id": "Way-Toh"}, version=0)
    with caplog.at_level(logging.WARNING):
        state = await FurbyStore(hass, ENTRY_ID).async_load()
    assert state.antenna == (9, 9, 9)
    assert state.name_id is None
    assert "old version" in caplog.text
    assert "name_id" in caplog.text
    assert hass_storage[KEY]["version"] == STORAGE_VERSION


async def test_old_version_that_is_not_an_object_gives_defaults(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    hass_storage[KEY] = stored(["not", "a", "dict"], version=0)
    assert await FurbyStore(hass, ENTRY_ID).async_load() == FurbyState()
