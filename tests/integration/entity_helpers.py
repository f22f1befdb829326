"""Helpers for the integration tests: a Furby as Home Assistant shows it, the toy's write log,
stored state.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_DEVICE_ID, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import Context, HomeAssistant, State
from homeassistant.helpers import device_registry as dr
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


class FurbyView:
    """One Furby as Home Assistant shows it: registry entries, states, its service actions."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
        self.hass = hass
        self.entry = entry
        assert entry.unique_id is not None
        self.address: str = entry.unique_id

    def entity_id(self, platform: str, key: str) -> str:
        """The entity id of ``key`` on ``platform``."""
        return entity_id(self.hass, platform, key, self.address)

    def state(self, platform: str, key: str) -> State:
        """The current state object of ``key`` on ``platform``."""
        state = self.hass.states.get(self.entity_id(platform, key))
        assert state is not None, f"no state for {platform} {key}"
        return state

    @property
    def connected(self) -> bool:
        """Whether the Connected sensor is on."""
        return self.state("binary_sensor", "connected").state == STATE_ON

    @property
    def available(self) -> bool:
        """Whether the toy's entities are available (the name select stands for them)."""
        return self.state("select", "name").state != STATE_UNAVAILABLE

    @property
    def upload(self) -> dict[str, Any]:
        """The upload sensor's attributes (phase, bytes, error, ...), its state as ``percent``."""
        state = self.state("sensor", "upload_progress")
        return {**state.attributes, "percent": state.state}

    @property
    def device(self) -> dr.DeviceEntry:
        """The Furby's device registry entry."""
        devices = dr.async_entries_for_config_entry(dr.async_get(self.hass), self.entry.entry_id)
        assert len(devices) == 1
        return devices[0]

    @property
    def device_id(self) -> str:
        """The Furby's device id (what every service action names it by)."""
        return self.device.id

    async def call(
        self,
        service: str,
        data: dict[str, Any] | None = None,
        *,
        response: bool = False,
        context: Context | None = None,
    ) -> Any:
        """Call ``furby_connect.<service>`` for this Furby and wait for it."""
        return await self.hass.services.async_call(
            DOMAIN,
            service,
            {ATTR_DEVICE_ID: self.device_id, **(data or {})},
            blocking=True,
            return_response=response,
            context=context,
        )


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
