"""Diagnostics: useful content, nothing that identifies the toy."""

from __future__ import annotations

import json

# Imported before the test freezes time: the diagnostics view imports it on first use, which
# fails under a frozen clock.
import aiohasupervisor  # noqa: F401
import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from virtual_furby.toy import VirtualFurby

from .conftest import async_drive, async_setup, make_entry
from .entity_helpers import FurbyView

REDACTED = "**REDACTED**"


async def test_diagnostics_redact_the_address(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """Diagnostics hold the link, the advertisement and the state, but no address or serial."""
    await furby_view.call("set_antenna", {"red": 1, "green": 2, "blue": 3})

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, connected_entry)

    text = json.dumps(diagnostics)
    for secret in (furby.address, furby.address.lower(), "89AB", "0000000001"):
        assert secret not in text
    assert diagnostics["entry"]["unique_id"] == REDACTED
    assert diagnostics["entry"]["title"] == REDACTED
    assert diagnostics["entry"]["data"] == {"address": REDACTED}
    assert diagnostics["advertisement"]["address"] == REDACTED
    assert diagnostics["advertisement"]["rssi"] == furby.rssi
    assert diagnostics["state"]["device_info"]["serial_number"] == REDACTED
    assert diagnostics["state"]["device_info"]["manufacturer"] == "Hasbro"
    assert diagnostics["state"]["antenna"] == [1, 2, 3]
    assert diagnostics["state"]["orientation"] == "upright"
    assert diagnostics["connection"]["connected"] is True
    assert diagnostics["connection"]["stay_connected"] is True
    assert diagnostics["connection"]["last_error"] is None
    assert diagnostics["state"]["counters"]["actions_sent"] == 1
    assert diagnostics["state"]["counters"]["connects"] == 1
    assert diagnostics["state"]["upload"] is None


async def test_diagnostics_without_an_advertisement(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
) -> None:
    """Without an advertisement the diagnostics say so and why the toy is not connected."""
    entry = make_entry("F1:23:45:67:89:99")
    entry.add_to_hass(hass)
    await async_setup(hass, entry)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert diagnostics["advertisement"] is None
    assert diagnostics["connection"]["connected"] is False
    assert diagnostics["connection"]["last_error"] == "it is not advertising"
    assert diagnostics["state"]["device_info"] is None
    assert "89:99" not in json.dumps(diagnostics)


async def test_diagnostics_redact_an_address_inside_any_text(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    furby_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    """An address inside a message is redacted wherever it appears, whatever its case:
    bleak-retry-connector names the device in its errors, and that becomes ``last_error``.
    """
    furby.faults.refuse_connections()
    view = await async_setup(hass, furby_entry)
    with pytest.raises(HomeAssistantError) as refused:
        await async_drive(
            hass, freezer, view.call("set_antenna", {"red": 1, "green": 2, "blue": 3})
        )
    assert furby.address in str(refused.value)  # the message the link gave names the toy

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, furby_entry)

    text = json.dumps(diagnostics)
    assert furby.address not in text
    assert furby.address.lower() not in text
    assert furby.address.replace(":", "-") not in text
    assert "refused the connection" in diagnostics["connection"]["last_error"]
    assert REDACTED in diagnostics["connection"]["last_error"]
