"""Helpers for the automation, blueprint, intent and LLM tests: devices, waits, config files."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from homeassistant.core import (
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_track_state_change_event
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .conftest import HANG_GUARD

ROOT = Path(__file__).parents[2]
BLUEPRINTS = ROOT / "blueprints" / "automation" / "furby_connect"
SENTENCES = ROOT / "custom_sentences" / "en" / "furby_connect.yaml"
TRANSLATIONS = json.loads(
    (ROOT / "custom_components" / "furby_connect" / "translations" / "en.json").read_text(
        encoding="utf-8"
    )
)


def message(key: str, **placeholders: str) -> str:
    """The English text of an ``exceptions`` key, as it should be spoken."""
    text: str = TRANSLATIONS["exceptions"][key]["message"]
    return text.format(**placeholders)


def device_of(hass: HomeAssistant, entry: MockConfigEntry) -> dr.DeviceEntry:
    """The one device of a Furby entry."""
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert len(devices) == 1
    return devices[0]


async def async_wait_state(
    hass: HomeAssistant, entity_id: str, predicate: Callable[[State | None], bool]
) -> State | None:
    """Wait until the entity's state satisfies ``predicate`` (the guard only catches a hang)."""
    if predicate(state := hass.states.get(entity_id)):
        return state
    done = asyncio.Event()

    @callback
    def check(event: Event[EventStateChangedData]) -> None:
        if predicate(event.data["new_state"]):
            done.set()

    remove = async_track_state_change_event(hass, [entity_id], check)
    try:
        async with asyncio.timeout(HANG_GUARD):
            await done.wait()
    finally:
        remove()
    return hass.states.get(entity_id)


class BusRecorder:
    """Records the data of every bus event of one type; waits for a number of them."""

    def __init__(self, hass: HomeAssistant, event_type: str) -> None:
        self.data: list[dict[str, Any]] = []
        self._changed = asyncio.Event()

        @callback
        def record(event: Event) -> None:
            self.data.append(dict(event.data))
            self._changed.set()

        self.remove = hass.bus.async_listen(event_type, record)

    async def wait_for(self, count: int) -> list[dict[str, Any]]:
        """Wait until ``count`` events were recorded."""
        async with asyncio.timeout(HANG_GUARD):
            while len(self.data) < count:
                self._changed.clear()
                await self._changed.wait()
        return self.data


def use_config_dir(hass: HomeAssistant, config_dir: Path) -> None:
    """Point Home Assistant's configuration folder at ``config_dir`` (a test's tmp_path).

    Blueprints and custom sentences are read from there, as from a user's ``config`` folder.
    """
    hass.config.config_dir = str(config_dir)


def install_blueprints(config_dir: Path) -> Path:
    """Copy the repository's blueprints where Home Assistant looks for automation blueprints."""
    target = config_dir / "blueprints" / "automation" / "furby_connect"
    shutil.copytree(BLUEPRINTS, target)
    return target


def install_sentences(config_dir: Path) -> Path:
    """Copy the custom sentences file as README tells users to."""
    target = config_dir / "custom_sentences" / "en" / SENTENCES.name
    target.parent.mkdir(parents=True)
    shutil.copy(SENTENCES, target)
    return target
