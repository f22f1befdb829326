"""The name select: 129 names, ``21 NN`` then the Furby says it, last sent restored."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components.select import (
    ATTR_OPTION,
    ATTR_OPTIONS,
    SERVICE_SELECT_OPTION,
)
from homeassistant.components.select import (
    DOMAIN as SELECT_DOMAIN,
)
from homeassistant.const import ATTR_ASSUMED_STATE, ATTR_ENTITY_ID, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.furby_connect.models import FurbyState
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .conftest import async_setup, async_wait_until
from .entity_helpers import WriteLog, entity_id, store_state


async def test_offers_the_129_names_in_id_order(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    """The select offers the 129 names in name-id order (no Tay-Tah), unknown until set."""
    state = hass.states.get(entity_id(hass, "select", "name", furby.address))
    assert state is not None
    assert state.state == STATE_UNKNOWN
    assert state.attributes[ATTR_ASSUMED_STATE] is True
    options = state.attributes[ATTR_OPTIONS]
    assert len(options) == 129
    assert len(set(options)) == 129
    assert options[0] == "Ah-Bay"
    assert options[107] == "Tay-Koh"  # Tay-Tah does not exist (docs/protocol.md §7.3)
    assert options[108] == "Tay-Toh"
    assert options[128] == "Way-Toh"


async def test_selecting_renames_and_says_the_name(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    """Selecting a name writes ``21 NN``, the toy says it, and the state shows it."""
    select = entity_id(hass, "select", "name", furby.address)
    log = WriteLog(furby)
    await hass.services.async_call(
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: select, ATTR_OPTION: "Way-Toh"},
        blocking=True,
    )
    await async_furby_link_idle(hass)
    sent = log.gp()
    assert sent[0] == bytes.fromhex("21 80")
    assert bytes.fromhex("13 00 21 00 00 80") in sent
    assert furby.name_id == 128
    assert furby.played_actions[-1] == (33, 0, 0, 128)
    state = hass.states.get(select)
    assert state is not None
    assert state.state == "Way-Toh"


async def test_an_option_that_is_not_a_name_is_refused(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    """An option that is not a name is refused before anything is sent."""
    log = WriteLog(furby)
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            SELECT_DOMAIN,
            SERVICE_SELECT_OPTION,
            {ATTR_ENTITY_ID: entity_id(hass, "select", "name", furby.address), ATTR_OPTION: "Bob"},
            blocking=True,
        )
    assert log.all() == []


async def test_restored_from_storage(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    furby_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    """The stored name shows after a restart and nothing is sent to the toy."""
    store_state(hass_storage, furby_entry, FurbyState(name_id=21))
    view = await async_setup(hass, furby_entry)
    await async_wait_until(hass, lambda: view.connected)
    state = hass.states.get(entity_id(hass, "select", "name", furby.address))
    assert state is not None
    assert state.state == "Dah-Boh"
    assert state.attributes[ATTR_ASSUMED_STATE] is True
    assert furby.name_id is None
