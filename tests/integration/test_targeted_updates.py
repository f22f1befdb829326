"""Targeted updates: each entity writes its state only when what it shows changes.

Writes are counted per entity through Home Assistant's state events (``state_writes.py``) with
all 18 entities enabled. Before this was built, one upload progress tick and one change of the
signal strength each wrote all 18 entities (README, "Entities").
"""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import bluetooth
from homeassistant.core import HomeAssistant

from tests.protocol.dlc_factory import build_dlc
from virtual_furby.toy import VirtualFurby

from .conftest import async_advance, async_wait_until
from .entity_helpers import FurbyView
from .state_writes import StateWrites
from .test_link import expired_advertisements
from .upload_helpers import async_upload_end, write_file


def only(view: FurbyView, writes: dict[str, int], *shown: tuple[str, str]) -> None:
    """Assert that exactly the ``shown`` entities wrote, once each."""
    expected = {view.entity_id(platform, key) for platform, key in shown}
    assert {entity: count for entity, count in writes.items() if count} == dict.fromkeys(
        expected, 1
    )


async def test_one_upload_progress_tick_writes_only_the_upload_sensor(
    hass: HomeAssistant,
    every_entity: tuple[VirtualFurby, FurbyView, StateWrites],
    allowed: Path,
) -> None:
    """Between two consecutive upload reports nothing but the upload sensor writes (before:
    all 18 entities per report).
    """
    _furby, view, writes = every_entity
    upload_sensor = view.entity_id("sensor", "upload_progress")
    path = write_file(allowed, "chilli.dlc", build_dlc(20_000))
    start = writes.mark()
    await view.call("upload_dlc", {"path": path, "activate": False})
    assert (await async_upload_end(hass, view))["phase"] == "done"

    reports = [
        i for i, (entity, _) in enumerate(writes.log) if entity == upload_sensor and i >= start
    ]
    ticks = [
        (earlier, later)
        for earlier, later in itertools.pairwise(reports)
        if writes.log[later][1]["phase"] in ("announcing", "transferring")
    ]
    assert len(ticks) >= 2
    for earlier, later in ticks:
        only(view, writes.since(earlier + 1, later + 1), ("sensor", "upload_progress"))


async def test_one_change_of_the_signal_strength_writes_only_its_sensor(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    every_entity: tuple[VirtualFurby, FurbyView, StateWrites],
    virtual_proxy: Any,
) -> None:
    """An advertisement with a new RSSI writes the signal strength sensor only (before: all 18).

    Home Assistant passes an advertisement on when its data changed or the toy was gone; the
    toy (still connected) stops advertising until it counts as gone, then comes back weaker.
    """
    furby, view, writes = every_entity
    furby.faults.stop_advertising()
    with expired_advertisements():
        await async_advance(hass, freezer, 301, step=1.0)
    assert not bluetooth.async_address_present(hass, furby.address, True)
    furby.rssi = -71
    furby.faults.resume_advertising()
    start = writes.mark()
    virtual_proxy.advertise_all()
    await async_wait_until(hass, lambda: view.state("sensor", "signal_strength").state == "-71")
    await hass.async_block_till_done()
    only(view, writes.since(start), ("sensor", "signal_strength"))


CHANGES: dict[str, tuple[Callable[[VirtualFurby, FurbyView], Any], tuple[str, str]]] = {
    "orientation": (
        lambda furby, _view: furby.set_orientation("upside_down"),
        ("sensor", "orientation"),
    ),
    "eyes": (lambda furby, _view: furby.notify_gp(b"\x20\x18"), ("switch", "eyes")),
    "press": (lambda furby, _view: furby.press("tongue"), ("event", "interaction")),
    "antenna": (
        lambda _furby, view: view.call("set_antenna", {"red": 1, "green": 2, "blue": 3}),
        ("light", "antenna"),
    ),
    "name": (lambda _furby, view: view.call("set_name", {"name_id": 7}), ("select", "name")),
    "mood": (
        lambda _furby, view: view.call("set_mood", {"meter": "fullness", "value": 9}),
        ("number", "fullness"),
    ),
    "slots": (
        lambda _furby, view: view.call("get_dlc_slots", response=True),
        ("sensor", "active_slot"),
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
async def test_a_change_of_the_toy_writes_only_the_entity_showing_it(
    hass: HomeAssistant,
    every_entity: tuple[VirtualFurby, FurbyView, StateWrites],
    change: str,
) -> None:
    """A sensor packet, a confirmation or a command writes only the entity that shows it."""
    furby, view, writes = every_entity
    act, shown = CHANGES[change]
    start = writes.mark()
    result = act(furby, view)
    if inspect.isawaitable(result):
        await result
    await async_wait_until(hass, lambda: writes.since(start)[view.entity_id(*shown)] > 0)
    await hass.async_block_till_done()
    only(view, writes.since(start), shown)


async def test_a_change_of_the_link_writes_every_entity_that_depends_on_it(
    hass: HomeAssistant, every_entity: tuple[VirtualFurby, FurbyView, StateWrites]
) -> None:
    """A dropped link writes every entity once (all show availability), except the upload
    sensor, which is always available.
    """
    furby, view, writes = every_entity
    start = writes.mark()
    furby.faults.go_out_of_range()
    await async_wait_until(hass, lambda: not view.connected)
    await hass.async_block_till_done()
    counts = writes.since(start)
    assert counts.pop(view.entity_id("sensor", "upload_progress")) == 0
    assert set(counts.values()) == {1}
