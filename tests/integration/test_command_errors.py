"""How a command's failures on the link reach the user: each a translated error of its own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.clock import ManualClock
from virtual_furby.toy import VirtualFurby

from .entity_helpers import FurbyView

REQUEST_TIMEOUT = 5.0
"""Seconds a command waits for the toy's reply."""


async def test_a_toy_that_does_not_answer_gives_no_reply(
    hass: HomeAssistant, timed: FurbyView, timed_furby: VirtualFurby, furby_clock: ManualClock
) -> None:
    """The toy's clock stands still, so it never answers the eyes command: once the reply wait
    has passed, the call fails with the translated ``no_reply`` naming the Furby.
    """
    command = hass.async_create_task(
        hass.services.async_call(
            "switch", "turn_off", {"entity_id": timed.entity_id("switch", "eyes")}, blocking=True
        )
    )
    await async_furby_link_idle(hass)
    assert not command.done()
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=REQUEST_TIMEOUT + 1))
    with pytest.raises(HomeAssistantError) as raised:
        await command
    assert raised.value.translation_key == "no_reply"
    assert raised.value.translation_placeholders == {"name": timed.entry.title}
