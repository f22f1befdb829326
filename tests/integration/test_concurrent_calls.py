"""100 service calls to one Furby at the same time (issue 13's concurrency check).

All calls are started before any of them runs. Each must complete or fail cleanly (a translated
``HomeAssistantError``), they reach the toy in the order they were made, and no command's bytes
are split or mixed with another's: every write the virtual Furby logs is one whole command.
"""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.furby_connect.protocol import gatt
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .conftest import async_wait_until
from .entity_helpers import FurbyView, WriteLog

CALLS = 100
ANTENNA = 0x14
MOOD = 0x23


def call_data(number: int) -> tuple[str, dict[str, Any], bytes]:
    """Call ``number``: an antenna colour or (every third) a mood, and the bytes it sends."""
    if number % 3 == 2:
        value = number % 101
        return "set_mood", {"meter": "fullness", "value": value}, bytes([MOOD, 0x01, 3, value])
    colour = (number, 255 - number, number // 2)
    data = dict(zip(("red", "green", "blue"), colour, strict=True))
    return "set_antenna", data, bytes([ANTENNA, *colour])


async def start_all(view: FurbyView) -> list[asyncio.Task[Any]]:
    """Start every call before any of them gets a loop turn."""
    return [asyncio.ensure_future(view.call(*call_data(number)[:2])) for number in range(CALLS)]


def command_writes(log: WriteLog) -> list[bytes]:
    """The antenna and mood commands the toy received (slot queries etc. left out)."""
    return [data for data in log.gp() if data[0] in (ANTENNA, MOOD)]


async def test_100_concurrent_calls_run_one_at_a_time_in_order(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """100 calls at once all complete, and the toy receives each command whole, in call order,
    with nothing else in between on the command characteristic.
    """
    log = WriteLog(furby)
    expected = [call_data(number)[2] for number in range(CALLS)]
    calls = await start_all(furby_view)
    results = await asyncio.gather(*calls, return_exceptions=True)
    assert [r for r in results if isinstance(r, BaseException)] == []
    await async_wait_until(hass, lambda: len(command_writes(log)) >= CALLS)
    assert command_writes(log) == expected
    assert all(uuid == gatt.GENERALPLUS_WRITE for uuid, _ in log.all())


async def test_100_concurrent_calls_through_a_link_drop_end_cleanly(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """The link drops after 150 bytes of the 100 calls: every call still ends, either done or
    with a translated error; what reached the toy is whole commands in call order, and the
    Furby works again afterwards.
    """
    log = WriteLog(furby)
    expected = [call_data(number)[2] for number in range(CALLS)]
    furby.faults.drop_link_after_bytes(150)
    calls = await start_all(furby_view)
    results = await asyncio.gather(*calls, return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors, "the drop failed no call"
    assert all(
        isinstance(error, HomeAssistantError) and error.translation_key for error in errors
    ), errors
    received = command_writes(log)
    positions = [expected.index(data) for data in received]
    assert positions == sorted(positions)  # in call order, each whole
    assert len(set(positions)) == len(positions)

    await async_wait_until(hass, lambda: furby_view.connected)
    await furby_view.call("set_antenna", {"red": 7, "green": 7, "blue": 7})
    await async_furby_link_idle(hass)
    await async_wait_until(hass, lambda: furby.antenna == (7, 7, 7))
