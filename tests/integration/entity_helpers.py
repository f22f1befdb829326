"""Helpers for the entity and service tests: entity ids, the toy's write log, stored state."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.furby_connect.const import DOMAIN, STORAGE_MINOR_VERSION, STORAGE_VERSION
from custom_components.furby_connect.models import FurbyState
from custom_components.furby_connect.protocol import gatt
from custom_components.furby_connect.storage import dump_state, storage_key
from virtual_furby.toy import VirtualFurby

KEEP_ALIVE = bytes.fromhex("2006")


def entity_id(hass: HomeAssistant, platform: str, key: str, address: str) -> str:
    """Return the entity id of the Furby entity ``key`` on ``platform``."""
    found = er.async_get(hass).async_get_entity_id(platform, DOMAIN, f"{address}_{key}")
    assert found is not None, f"no {platform} entity {key}"
    return found


class WriteLog:
    """What the host wrote to the toy since the last ``mark()`` (keep-alives left out)."""

    def __init__(self, furby: VirtualFurby) -> None:
        self._furby = furby
        self._start = 0
        self.mark()

    def mark(self) -> None:
        """Forget everything written so far."""
        self._start = len(self._furby.writes)

    def all(self) -> list[tuple[str, bytes]]:
        """Every write since the mark, on any characteristic, except the ``20 06`` keep-alive."""
        writes = list(self._furby.writes)[self._start :]
        return [(write.uuid, write.data) for write in writes if write.data != KEEP_ALIVE]

    def gp(self) -> list[bytes]:
        """GeneralPlusWrite commands since the mark, except the keep-alive."""
        return [data for uuid, data in self.all() if uuid == gatt.GENERALPLUS_WRITE]


def store_state(hass_storage: dict[str, Any], entry: MockConfigEntry, state: FurbyState) -> None:
    """Put ``state`` in the entry's storage file, as a previous run would have left it."""
    key = storage_key(entry.entry_id)
    hass_storage[key] = {
        "version": STORAGE_VERSION,
        "minor_version": STORAGE_MINOR_VERSION,
        "key": key,
        "data": dump_state(state),
    }
