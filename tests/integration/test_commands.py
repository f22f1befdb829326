"""Commands through Home Assistant: what reaches the toy, what the entities show, the counters,
the slot table, and the translated errors of the link and the toy.
"""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.furby_connect.protocol.commands import MoodMeter
from custom_components.furby_connect.protocol.gatt import GENERALPLUS_WRITE
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.slots import SlotState, SlotStore
from virtual_furby.toy import VirtualFurby

from .conftest import async_setup, async_wait_until, make_entry
from .entity_helpers import FurbyView, WriteLog


async def counters(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, entry: MockConfigEntry
) -> dict[str, int]:
    """The counters, as the entry's diagnostics show them."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    result: dict[str, int] = diagnostics["state"]["counters"]
    return result


async def test_commands_reach_the_toy_update_the_entities_and_are_counted(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """Every kind of command reaches the toy, shows in its entity and counts as one action."""
    await furby_view.call("set_antenna", {"red": 255, "green": 0, "blue": 16})
    await furby_view.call("set_name", {"name_id": 42})
    await furby_view.call("set_mood", {"meter": "tiredness", "value": 30})
    await furby_view.call("set_mood", {"meter": "tiredness", "value": 90, "mode": "add"})
    await furby_view.call("set_mood", {"meter": "wellness", "value": 5, "mode": "add"})
    await furby_view.call("trigger_action", {"action": "giggle"})
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": furby_view.entity_id("switch", "eyes")}, blocking=True
    )
    await async_furby_link_idle(hass)

    assert furby.antenna == (255, 0, 16)
    assert furby_view.state("light", "antenna").state == "on"
    assert furby.name_id == 42
    assert furby_view.state("select", "name").state == "Dee-Boo"
    assert furby.moods[MoodMeter.TIREDNESS] == 100  # capped by the toy
    assert furby_view.state("number", "tiredness").state == "100"  # capped like the meter
    assert furby_view.state("number", "wellness").state == "unknown"  # unknown base stays so
    assert furby.played_actions[-1] == (55, 2, 14, 0)
    assert furby.eyes_on is False
    assert furby_view.state("switch", "eyes").state == "off"
    assert (await counters(hass, hass_client, connected_entry))["actions_sent"] == 7


async def test_slot_commands_reread_the_slot_table(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """Load, activate, deactivate and delete each re-read ``72``/``73`` into the state."""
    slot = furby.slots[13]
    slot.state, slot.name, slot.length, slot.adler32 = (
        SlotState.DOWNLOADED,
        b"TU002949",
        313690,
        0x2754EA15,
    )
    table = await furby_view.call("get_dlc_slots", response=True)
    assert table["slots"][13] == {
        "slot": 13,
        "filled": True,
        "active": False,
        "name": "TU002949",
        "length": 313690,
        "adler32": "2754ea15",
    }
    await furby_view.call("load_dlc", {"slot": 13})
    await furby_view.call("activate_dlc")
    assert furby_view.state("sensor", "active_slot").state == "13"
    await furby_view.call("deactivate_dlc", {"slot": 13})
    assert furby_view.state("sensor", "active_slot").state == "unknown"
    await furby_view.call("delete_dlc", {"slot": 13})
    assert furby_view.state("sensor", "active_slot").attributes["filled_slots"] == []


class SeparateMasksSlotStore(SlotStore):
    """A reading of ``72`` where the filled mask leaves out the active slots (docs/protocol.md
    §4.4 names the two masks, not whether they overlap)."""

    @property
    def filled(self) -> frozenset[int]:
        """Slots holding a DLC that is not active."""
        return super().filled - self.active


async def test_the_slot_table_asks_73_for_every_slot_filled_or_active(
    hass: HomeAssistant, furby_factory: Any
) -> None:
    """With masks that do not overlap, the active slot's details are still read (``73``)."""
    furby: VirtualFurby = furby_factory()
    furby.slots.__class__ = SeparateMasksSlotStore  # the toy's own store, read another way
    furby.slots.install(3, "TU000003.DLC", b"three")
    furby.slots.install(9, "TU000009.DLC", b"nine!", active=True)
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)
    view = await async_setup(hass, entry)
    await async_wait_until(hass, lambda: view.connected)
    log = WriteLog(furby)

    table = await view.call("get_dlc_slots", response=True)
    assert log.gp() == [bytes.fromhex("72"), bytes.fromhex("73 03"), bytes.fromhex("73 09")]
    assert table["active_slot"] == 9
    assert (table["slots"][9]["name"], table["slots"][9]["length"]) == ("TU000009", 5)
    assert table["slots"][3]["name"] == "TU000003"


async def test_an_action_the_toy_refuses_is_a_translated_error_and_not_counted(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """The toy's out-of-range refusal (``20 0f``..) is ``command_refused``; nothing is counted."""
    with pytest.raises(HomeAssistantError) as err:
        await furby_view.call(
            "trigger_action", {"input": 200, "index": 0, "subindex": 0, "specific": 0}
        )
    assert err.value.translation_key == "command_refused"
    assert furby.played_actions == []
    assert (await counters(hass, hass_client, connected_entry))["actions_sent"] == 0


async def test_a_failing_write_is_connection_lost_and_changes_nothing(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """A GATT error on the write is ``connection_lost``; the light keeps its state."""
    furby.faults.gatt_error(GENERALPLUS_WRITE, ops=["write"])
    with pytest.raises(HomeAssistantError) as err:
        await furby_view.call("set_antenna", {"red": 1, "green": 2, "blue": 3})
    assert err.value.translation_key == "connection_lost"
    assert err.value.translation_placeholders is not None
    assert err.value.translation_placeholders["name"] == connected_entry.title
    assert furby_view.state("light", "antenna").state == "unknown"


@pytest.mark.parametrize("error", [ValueError, RuntimeError])
async def test_a_failure_nobody_planned_for_is_unexpected_and_logged(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    caplog: pytest.LogCaptureFixture,
    error: type[Exception],
) -> None:
    """The Bluetooth stack itself raises an error of its own on the write (a backend bug, not
    the user's input): the call fails with the translated ``unexpected_error`` naming the Furby,
    never as an invalid value, the traceback is logged, and the next call works.
    """
    furby.faults.stack_failure(GENERALPLUS_WRITE, error, ops=["write"])
    with pytest.raises(HomeAssistantError) as err:
        await furby_view.call("set_antenna", {"red": 1, "green": 2, "blue": 3})
    assert not isinstance(err.value, ServiceValidationError)
    assert err.value.translation_key == "unexpected_error"
    assert err.value.translation_placeholders is not None
    assert err.value.translation_placeholders["name"] == connected_entry.title
    assert error.__name__ in err.value.translation_placeholders["error"]
    logged = [r for r in caplog.records if "failed unexpectedly" in r.getMessage()]
    assert len(logged) == 1
    assert logged[0].exc_info is not None
    assert isinstance(logged[0].exc_info[1], error)
    assert furby.antenna is None

    furby.faults.clear()
    await furby_view.call("set_antenna", {"red": 1, "green": 2, "blue": 3})
    await async_wait_until(hass, lambda: furby.antenna == (1, 2, 3))
