"""play_sequence / stop_sequence: host-side steps on HA timers, replace, stop, failure, unload.

The steps' delays are Home Assistant timers, moved on with ``async_fire_time_changed``. A step
has been played when the toy has it; the link settling after that means the runner is waiting
on the next delay's timer.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
import voluptuous as vol
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed_exact,
)

from custom_components.furby_connect.const import DOMAIN
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .conftest import async_setup, async_wait_until, make_entry
from .entity_helpers import WriteLog

GIGGLE = (55, 2, 14, 0)
PUKE = (56, 3, 15, 1)
HICCUP = (16, 0, 0, 0)
CONNECTED = (34, 0, 0, 0)


def _step(code: tuple[int, int, int, int], delay: float | None = None) -> dict[str, Any]:
    step: dict[str, Any] = dict(zip(("input", "index", "subindex", "specific"), code, strict=True))
    if delay is not None:
        step["delay"] = delay
    return step


def _device_id(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    return devices[0].id


async def _play(hass: HomeAssistant, device_id: str, steps: list[dict[str, Any]]) -> None:
    await hass.services.async_call(
        DOMAIN, "play_sequence", {ATTR_DEVICE_ID: device_id, "steps": steps}, blocking=True
    )


async def _stop(hass: HomeAssistant, device_id: str) -> None:
    await hass.services.async_call(
        DOMAIN, "stop_sequence", {ATTR_DEVICE_ID: device_id}, blocking=True
    )


async def _trigger(hass: HomeAssistant, device_id: str, code: tuple[int, int, int, int]) -> None:
    await hass.services.async_call(
        DOMAIN, "trigger_action", {ATTR_DEVICE_ID: device_id, **_step(code)}, blocking=True
    )


def _advance(hass: HomeAssistant, seconds: float) -> None:
    """Fire the Home Assistant timers due within ``seconds`` from now (no rounding up)."""
    async_fire_time_changed_exact(hass, dt_util.utcnow() + timedelta(seconds=seconds))


async def _played(hass: HomeAssistant, furby: VirtualFurby, count: int) -> None:
    """Wait until the toy has played ``count`` actions and the link has settled."""
    await async_wait_until(hass, lambda: len(furby.played_actions) >= count)
    await async_furby_link_idle(hass)
    assert len(furby.played_actions) == count


@pytest.fixture
def device_id(hass: HomeAssistant, connected_entry: MockConfigEntry) -> str:
    return _device_id(hass, connected_entry)


async def test_steps_play_in_order_with_their_delays(
    freezer: FrozenDateTimeFactory, hass: HomeAssistant, device_id: str, furby: VirtualFurby
) -> None:
    """Each step waits for its delay's timer; the last step's delay is not waited.

    Time is frozen, so a timer 0.1 s short of its delay does not fire.
    """
    await _play(hass, device_id, [_step(GIGGLE, 5), {"action": "puke", "delay": 1}, _step(HICCUP)])
    await _played(hass, furby, 1)
    assert furby.played_actions == [GIGGLE]  # the second step waits for the timer

    _advance(hass, 4.9)
    await _played(hass, furby, 1)

    _advance(hass, 5)
    await _played(hass, furby, 2)
    assert furby.played_actions == [GIGGLE, PUKE]

    _advance(hass, 0.9)
    await _played(hass, furby, 2)
    _advance(hass, 1)
    await _played(hass, furby, 3)
    assert furby.played_actions == [GIGGLE, PUKE, HICCUP]


async def test_default_delay_is_two_seconds(
    freezer: FrozenDateTimeFactory, hass: HomeAssistant, device_id: str, furby: VirtualFurby
) -> None:
    """A step without a delay waits 2 s before the next one."""
    await _play(hass, device_id, [_step(GIGGLE), _step(PUKE)])
    await _played(hass, furby, 1)
    _advance(hass, 1.9)
    await _played(hass, furby, 1)
    _advance(hass, 2)
    await _played(hass, furby, 2)
    assert furby.played_actions == [GIGGLE, PUKE]


async def test_zero_delay_plays_the_next_step_at_once(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    device_id: str,
    furby: VirtualFurby,
) -> None:
    """A zero delay plays the next step without waiting for any timer."""
    await _play(hass, device_id, [_step(GIGGLE, 0), _step(PUKE, 0)])
    await hass.async_block_till_done(wait_background_tasks=True)
    assert furby.played_actions == [GIGGLE, PUKE]


async def test_stop_cancels_the_remaining_steps(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby
) -> None:
    """stop_sequence cancels the steps still to come."""
    await _play(hass, device_id, [_step(GIGGLE, 5), _step(PUKE)])
    await _played(hass, furby, 1)
    await _stop(hass, device_id)
    _advance(hass, 10)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert furby.played_actions == [GIGGLE]


async def test_stop_without_a_sequence_is_harmless(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby
) -> None:
    """stop_sequence with nothing playing sends nothing and raises nothing."""
    log = WriteLog(furby)
    await _stop(hass, device_id)
    assert log.all() == []


async def test_a_new_sequence_replaces_the_running_one(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby
) -> None:
    """A new sequence cancels the playing one; its remaining steps never play."""
    await _play(hass, device_id, [_step(GIGGLE, 5), _step(PUKE)])
    await _played(hass, furby, 1)

    await _play(hass, device_id, [_step(HICCUP, 5), _step(CONNECTED)])
    await _played(hass, furby, 2)
    assert furby.played_actions == [GIGGLE, HICCUP]

    _advance(hass, 5)
    await _played(hass, furby, 3)
    _advance(hass, 10)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert furby.played_actions == [GIGGLE, HICCUP, CONNECTED]  # PUKE never played


async def test_a_refused_step_ends_the_sequence(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    device_id: str,
    furby: VirtualFurby,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A step the toy refuses ends the sequence with a warning; later steps do not play."""
    with caplog.at_level(logging.WARNING):
        await _play(hass, device_id, [_step(GIGGLE, 0), _step((0, 0, 0, 0), 0), _step(PUKE)])
        await hass.async_block_till_done(wait_background_tasks=True)
    assert furby.played_actions == [GIGGLE]
    assert "stopped at step 2 of 3" in caplog.text


async def test_unknown_action_in_any_step_sends_nothing(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby
) -> None:
    """An unknown action in any step refuses the whole sequence before anything is sent."""
    log = WriteLog(furby)
    with pytest.raises(ServiceValidationError) as raised:
        await _play(hass, device_id, [_step(GIGGLE), {"action": "zzqx-no-such"}])
    assert raised.value.translation_key == "unknown_action"
    assert log.all() == []


@pytest.mark.parametrize(
    "steps",
    [
        [],
        "giggle",
        [{"delay": 1}],
        [{"input": 55, "subindex": 1}],
        [{"input": 55, "delay": -1}],
        [{"input": 55, "delay": 301}],
        [{"input": 55, "delay": "soon"}],
        [{"input": 55, "action": "giggle"}],
        [{"input": 33, "index": 0, "subindex": 0, "specific": 200}],
        [{"input": 55}] * 101,
        [{"input": 55, "delay": float("nan")}],
    ],
)
async def test_bad_steps_are_refused_by_the_schema(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby, steps: Any
) -> None:
    """Malformed steps are refused by the schema; nothing is sent."""
    log = WriteLog(furby)
    with pytest.raises(vol.Invalid):
        await _play(hass, device_id, steps)
    assert log.all() == []


async def test_a_single_step_mapping_is_accepted(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby
) -> None:
    """A single step given as a mapping (not a list) is played."""
    await _play(hass, device_id, {"action": "giggle"})  # type: ignore[arg-type]
    await hass.async_block_till_done(wait_background_tasks=True)
    assert furby.played_actions == [GIGGLE]


async def test_unloading_the_entry_cancels_its_sequence(
    hass: HomeAssistant, connected_entry: MockConfigEntry, device_id: str, furby: VirtualFurby
) -> None:
    """Unloading the entry cancels its sequence."""
    await _play(hass, device_id, [_step(GIGGLE, 5), _step(PUKE)])
    await _played(hass, furby, 1)
    await hass.config_entries.async_unload(connected_entry.entry_id)
    await hass.async_block_till_done()
    _advance(hass, 10)
    await hass.async_block_till_done()
    assert furby.played_actions == [GIGGLE]


async def test_sequences_on_two_furbies_are_independent(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby, furby_factory: Any
) -> None:
    """Stopping one Furby's sequence leaves the other's playing."""
    other_furby: VirtualFurby = furby_factory("F1:23:45:67:89:AC")
    other_entry = make_entry(other_furby.address)
    other_entry.add_to_hass(hass)
    other = await async_setup(hass, other_entry)
    await async_wait_until(hass, lambda: other.connected)

    await _play(hass, device_id, [_step(GIGGLE, 5), _step(PUKE)])
    await _play(hass, other.device_id, [_step(HICCUP, 5), _step(CONNECTED)])
    await _played(hass, furby, 1)
    await _played(hass, other_furby, 1)

    await _stop(hass, device_id)
    _advance(hass, 5)
    await _played(hass, other_furby, 2)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert furby.played_actions == [GIGGLE]
    assert other_furby.played_actions == [HICCUP, CONNECTED]
