"""Coordinator: commands and state, interactions, errors, reconnects and connect on demand."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import bluetooth
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.furby_connect.const import RECONNECT_BACKOFF
from custom_components.furby_connect.coordinator import FurbyCoordinator
from custom_components.furby_connect.protocol.commands import MoodMeter
from custom_components.furby_connect.protocol.errors import FurbyError
from custom_components.furby_connect.protocol.gatt import GENERALPLUS_WRITE
from custom_components.furby_connect.protocol.notifications import Interaction, Orientation
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.slots import SlotState
from virtual_furby.toy import VirtualFurby

from .conftest import (
    async_advance,
    async_drive,
    async_setup,
    async_wait_connected,
    async_wait_for,
)


def coordinator_of(entry: MockConfigEntry) -> FurbyCoordinator:
    coordinator: FurbyCoordinator = entry.runtime_data
    return coordinator


def record_attempts(furby: VirtualFurby) -> list[float]:
    """Record the (frozen) time of every connection attempt the toy refuses."""
    times: list[float] = []
    refuse = furby.faults.consume_refusal

    def consume() -> bool:
        refused = refuse()
        if refused:
            times.append(time.monotonic())
        return refused

    furby.faults.consume_refusal = consume  # type: ignore[method-assign]
    return times


def group_starts(times: list[float], gap: float = 0.5) -> list[float]:
    """Start times of bursts: bleak-retry-connector tries a few times within one connect."""
    return times[:1] + [
        later for earlier, later in itertools.pairwise(times) if later - earlier > gap
    ]


@contextmanager
def expired_advertisements() -> Iterator[None]:
    """Make habluetooth see every advertisement as older than its staleness limit.

    habluetooth expires devices by its own coarse monotonic clock, which frozen time does not
    move; its periodic checks (scanner every 30 s, manager every 300 s) still need ``advance``.
    """
    later = time.monotonic() + 1000
    with (
        patch("habluetooth.base_scanner.monotonic_time_coarse", return_value=later),
        patch("habluetooth.manager.monotonic_time_coarse", return_value=later),
    ):
        yield


# ------------------------------------------------------------------------------- commands


async def test_commands_reach_the_toy_and_update_state(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    coordinator = coordinator_of(connected_entry)
    changes: list[None] = []
    coordinator.async_add_listener(lambda: changes.append(None))

    await coordinator.async_set_antenna(255, 0, 16)
    await async_furby_link_idle(hass)
    assert furby.antenna == (255, 0, 16)
    assert coordinator.state.antenna == (255, 0, 16)

    await coordinator.async_set_eyes(False)
    await async_furby_link_idle(hass)
    assert furby.eyes_on is False
    assert coordinator.state.eyes_on is False

    await coordinator.async_set_name(42)
    await async_furby_link_idle(hass)
    assert furby.name_id == 42
    assert coordinator.state.name_id == 42

    await coordinator.async_set_mood(MoodMeter.TIREDNESS, 30)
    await async_furby_link_idle(hass)
    assert furby.moods[MoodMeter.TIREDNESS] == 30
    await coordinator.async_set_mood(MoodMeter.TIREDNESS, 90, add=True)
    assert coordinator.state.moods[MoodMeter.TIREDNESS] == 100  # capped like the meter
    await coordinator.async_set_mood(MoodMeter.WELLNESS, 5, add=True)
    assert MoodMeter.WELLNESS not in coordinator.state.moods  # unknown base stays unknown

    await coordinator.async_trigger_action(55, 2, 14, 0)
    await async_furby_link_idle(hass)
    assert furby.played_actions[-1] == (55, 2, 14, 0)

    screen = furby.debug_screen
    await coordinator.async_cycle_debug_screen()
    await async_furby_link_idle(hass)
    assert furby.debug_screen != screen

    assert coordinator.state.counters["actions_sent"] == 8
    assert len(changes) >= 8


async def test_slot_commands_refresh_the_slot_table(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    coordinator = coordinator_of(connected_entry)
    table = await coordinator.async_refresh_slots()
    assert table.filled == frozenset()
    assert coordinator.state.slots == table

    slot = furby.slots[13]
    slot.state, slot.name, slot.length, slot.adler32 = (
        SlotState.DOWNLOADED,
        b"TU002949",
        313690,
        0x2754EA15,
    )
    table = await coordinator.async_refresh_slots()
    assert table.filled == frozenset({13})
    assert table.info[13].name == "TU002949"
    assert table.info[13].length == 313690
    assert table.info[13].adler32 == 0x2754EA15

    await coordinator.async_load_dlc(13)
    await coordinator.async_activate_dlc()
    assert coordinator.state.slots is not None
    assert coordinator.state.slots.active == frozenset({13})
    assert coordinator.state.active_slot == 13

    await coordinator.async_deactivate_dlc(13)
    assert coordinator.state.slots.active == frozenset()
    await coordinator.async_delete_dlc(13)
    assert coordinator.state.slots.filled == frozenset()


async def test_a_refused_action_raises_a_translated_error(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    coordinator = coordinator_of(connected_entry)
    with pytest.raises(HomeAssistantError) as err:
        await coordinator.async_trigger_action(200, 0, 0, 0)
    assert err.value.translation_key == "command_refused"
    assert coordinator.state.counters["actions_sent"] == 0


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("async_set_antenna", (256, 0, 0)),
        ("async_set_name", (129,)),
        ("async_trigger_action", (-1,)),
        ("async_load_dlc", (14,)),
    ],
)
async def test_bad_values_raise_service_validation_errors(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    call: str,
    args: tuple[int, ...],
) -> None:
    coordinator = coordinator_of(connected_entry)
    writes = len(furby.writes)
    with pytest.raises(ServiceValidationError) as err:
        await getattr(coordinator, call)(*args)
    assert err.value.translation_key == "invalid_value"
    assert len(furby.writes) == writes  # nothing was sent


async def test_no_reply_in_time_raises_no_reply(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    coordinator = coordinator_of(connected_entry)
    # ``00`` is the toy's silent no-op (PROTOCOL.md §3.1): it never answers.
    request = coordinator.async_execute(
        lambda client: client.request(GENERALPLUS_WRITE, b"\x00", lambda _n: True, timeout=2)
    )
    with pytest.raises(HomeAssistantError) as err:
        await async_drive(hass, freezer, request, step=0.5)
    assert err.value.translation_key == "no_reply"


async def test_a_failing_write_raises_connection_lost(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    coordinator = coordinator_of(connected_entry)
    furby.faults.gatt_error(GENERALPLUS_WRITE, ops=["write"])
    with pytest.raises(HomeAssistantError) as err:
        await coordinator.async_set_antenna(1, 2, 3)
    assert err.value.translation_key == "connection_lost"
    assert coordinator.state.antenna is None


async def test_other_protocol_errors_raise_communication_error(
    hass: HomeAssistant, connected_entry: MockConfigEntry
) -> None:
    coordinator = coordinator_of(connected_entry)

    async def fail(_client: Any) -> None:
        raise FurbyError("the toy said something odd")

    with pytest.raises(HomeAssistantError) as err:
        await coordinator.async_execute(fail)
    assert err.value.translation_key == "communication_error"
    assert err.value.translation_placeholders == {
        "name": coordinator.name,
        "error": "the toy said something odd",
    }


async def test_commands_wait_for_the_link_then_fail_with_not_connected(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    furby_factory: Any,
) -> None:
    furby = furby_factory(advertise=False)
    furby.faults.stop_advertising()  # asleep: the proxy's periodic advertising skips it too
    entry = MockConfigEntry(domain="furby_connect", unique_id=furby.address, title="Furby")
    entry.add_to_hass(hass)
    coordinator = await async_setup(hass, entry)
    assert not coordinator.connected
    with pytest.raises(HomeAssistantError) as err:
        await async_drive(hass, freezer, coordinator.async_set_antenna(1, 2, 3))
    assert err.value.translation_key == "not_connected"
    assert err.value.translation_placeholders == {
        "name": coordinator.name,
        "error": "it is not advertising",
    }


async def test_commands_run_one_at_a_time(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    coordinator = coordinator_of(connected_entry)
    running: list[int] = []
    overlaps: list[int] = []

    async def job(number: int, client: Any) -> int:
        running.append(number)
        if len(running) > 1:
            overlaps.append(number)
        await client.set_antenna(number, 0, 0)
        await client.get_firmware_version()
        running.remove(number)
        return number

    tasks = [hass.async_create_task(coordinator.async_execute(partial(job, n))) for n in range(5)]
    assert [await task for task in tasks] == [0, 1, 2, 3, 4]
    assert overlaps == []


# ------------------------------------------------------------------------------- events


async def test_one_interaction_callback_per_new_press(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    coordinator = coordinator_of(connected_entry)
    seen: list[Interaction] = []
    remove = coordinator.async_add_interaction_listener(seen.append)

    furby.press("tickle_tummy")
    await async_wait_for(coordinator, lambda: len(seen) == 1)
    assert seen == [Interaction.TICKLE_TUMMY]

    furby.press("tongue")  # the tummy is still held: only the tongue is new
    furby.set_orientation("upside_down")  # a packet with the same presses
    await async_wait_for(
        coordinator,
        lambda: (
            coordinator.state.orientation is not None
            and coordinator.state.orientation != Orientation.UPRIGHT
        ),
    )
    assert seen == [Interaction.TICKLE_TUMMY, Interaction.TONGUE]
    assert coordinator.state.orientation is Orientation.UPSIDE_DOWN
    assert coordinator.state.active_interactions == {Interaction.TICKLE_TUMMY, Interaction.TONGUE}

    furby.release("tickle_tummy", "tongue")
    await async_wait_for(coordinator, lambda: not coordinator.state.active_interactions)
    assert len(seen) == 2

    furby.press("tickle_tummy")
    await async_wait_for(coordinator, lambda: len(seen) == 3)
    assert seen[-1] is Interaction.TICKLE_TUMMY
    assert coordinator.state.counters["events_received"] == 3

    remove()
    furby.release("tickle_tummy")
    furby.press("tail_pull")
    await async_wait_for(
        coordinator, lambda: coordinator.state.active_interactions == {Interaction.TAIL_PULL}
    )
    assert len(seen) == 3


async def test_held_sensors_are_forgotten_when_the_link_drops(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    coordinator = coordinator_of(connected_entry)
    seen: list[Interaction] = []
    coordinator.async_add_interaction_listener(seen.append)
    furby.press("tail_pull")
    await async_wait_for(coordinator, lambda: len(seen) == 1)

    furby.faults.refuse_connections()
    furby.drop_connection()
    await async_wait_for(coordinator, lambda: not coordinator.connected)
    assert coordinator.state.active_interactions == frozenset()
    furby.release("tail_pull")  # unseen: the link is down
    furby.faults.allow_connections()
    furby.press("tail_pull")
    # a command waits for the reconnect (and cuts the loop's pause short)
    await async_drive(hass, freezer, coordinator.async_set_eyes(True), step=0.1)
    await async_wait_for(coordinator, lambda: len(seen) == 2)
    assert seen == [Interaction.TAIL_PULL, Interaction.TAIL_PULL]


async def test_eyes_messages_from_the_toy_update_state(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    coordinator = coordinator_of(connected_entry)
    furby.notify_gp(b"\x20\x18")
    await async_wait_for(coordinator, lambda: coordinator.state.eyes_on is False)
    furby.notify_gp(b"\x20\x17")
    await async_wait_for(coordinator, lambda: coordinator.state.eyes_on is True)


async def test_advertisements_update_rssi(
    hass: HomeAssistant,
    furby_factory: Any,
    virtual_proxy: Any,
) -> None:
    furby = furby_factory(rssi=-70)
    entry = MockConfigEntry(domain="furby_connect", unique_id=furby.address, title="Furby")
    entry.add_to_hass(hass)
    coordinator = await async_setup(hass, entry)
    # the callback replays the last advertisement at registration
    assert coordinator.state.rssi == -70
    await hass.config_entries.async_unload(entry.entry_id)


# ------------------------------------------------------------------------------- the link


async def test_drop_makes_unavailable_and_reconnects_at_once(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    caplog: pytest.LogCaptureFixture,
) -> None:
    coordinator = coordinator_of(connected_entry)
    await async_advance(hass, freezer, 61)  # the link has been up for a while
    availability: list[bool] = []
    coordinator.async_add_listener(lambda: availability.append(coordinator.available))
    caplog.set_level(logging.INFO)

    furby.drop_connection()
    # frozen time stands still here: the reconnect needs no pause
    await async_wait_for(coordinator, lambda: coordinator.connected and furby.is_connected)
    assert availability[0] is False
    assert availability[-1] is True
    assert furby.connect_count == 2
    assert coordinator.state.counters["connects"] == 2
    assert caplog.text.count("is unavailable") == 1
    assert caplog.text.count("is available again") == 1


async def test_a_link_that_drops_right_away_reconnects_after_a_pause(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    coordinator = coordinator_of(connected_entry)
    furby.drop_connection()  # within a minute of connecting: maybe a flapping toy
    await async_wait_for(coordinator, lambda: not coordinator.connected)
    await async_advance(hass, freezer, RECONNECT_BACKOFF[0] - 0.2)
    assert not furby.is_connected
    await async_advance(hass, freezer, 0.3)
    await async_wait_connected(coordinator)  # no more time needed, only event-loop turns
    assert furby.connect_count == 2


async def test_reconnect_backs_off_and_never_storms(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    virtual_proxy: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    coordinator = coordinator_of(connected_entry)
    await async_advance(hass, freezer, 61)  # a stable link: the first retry comes at once
    caplog.set_level(logging.INFO)
    attempts = record_attempts(furby)
    furby.faults.refuse_connections()
    dropped_at = time.monotonic()
    furby.drop_connection()
    await async_wait_for(coordinator, lambda: not coordinator.available)

    # advertisements keep coming; they must not cut the pauses short
    for _ in range(6):
        await async_advance(hass, freezer, 10)
        virtual_proxy.advertise_all()
    starts = [start - dropped_at for start in group_starts(attempts)]
    # the first try at once, then pauses of 1, 2, 5, 10 and 30 s; each gap also holds the
    # previous try itself (bleak-retry-connector's few quick attempts, well under 1 s)
    assert starts[0] == pytest.approx(0.0, abs=0.05)
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert len(gaps) == 5
    for gap, pause in zip(gaps, RECONNECT_BACKOFF, strict=False):
        assert pause <= gap <= pause + 1.0
    assert coordinator.connection.failed_attempts == len(starts)
    assert caplog.text.count("is unavailable") == 1

    furby.faults.allow_connections()
    await async_advance(hass, freezer, RECONNECT_BACKOFF[5] + 1)
    assert coordinator.connected
    assert caplog.text.count("is available again") == 1


async def test_a_command_cuts_the_pause_short_without_a_second_loop(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    coordinator = coordinator_of(connected_entry)
    await async_advance(hass, freezer, 61)
    attempts = record_attempts(furby)
    furby.faults.refuse_connections()
    furby.drop_connection()
    await async_advance(hass, freezer, 5)  # tries at 0, 1.3 and 3.6 s; now pausing 5 s
    assert len(group_starts(attempts)) == 3

    furby.faults.allow_connections()
    calls = [hass.async_create_task(coordinator.async_set_antenna(n, n, n)) for n in range(5)]
    await hass.async_block_till_done()
    await async_furby_link_idle(hass)
    assert all(call.done() and call.exception() is None for call in calls)
    assert furby.antenna == (4, 4, 4)
    assert len(group_starts(attempts)) == 3  # one connect served all five commands
    assert furby.connect_count == 2


async def test_advertisement_loss_while_connected_stays_available(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    coordinator = coordinator_of(connected_entry)
    changes: list[bool] = []
    coordinator.async_add_listener(lambda: changes.append(coordinator.available))
    furby.faults.stop_advertising()  # the toy also stops by itself while connected
    with expired_advertisements():
        await async_advance(hass, freezer, 301)
    assert not bluetooth.async_address_present(hass, furby.address, True)
    assert coordinator.available
    assert coordinator.connected
    assert False not in changes


# ------------------------------------------------------------------------------- on demand


async def test_connect_on_demand_connects_for_a_command_and_idles_out(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    on_demand_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    coordinator = await async_setup(hass, on_demand_entry)
    # not connected, but advertising, so a command can connect: available
    assert (coordinator.connected, furby.is_connected, coordinator.available) == (
        False,
        False,
        True,
    )

    await coordinator.async_set_antenna(9, 9, 9)
    await async_furby_link_idle(hass)
    assert coordinator.connected
    assert furby.antenna == (9, 9, 9)

    await async_advance(hass, freezer, 50)
    await coordinator.async_set_eyes(False)  # restarts the idle time
    await async_advance(hass, freezer, 50)
    assert coordinator.connected
    await async_advance(hass, freezer, 11)
    assert (coordinator.connected, furby.is_connected) == (False, False)
    assert not coordinator.connection.reconnecting
    assert furby.disconnect_count == 1

    await coordinator.async_set_name(3)
    await async_furby_link_idle(hass)
    assert furby.connect_count == 2
    assert furby.name_id == 3
    await hass.config_entries.async_unload(on_demand_entry.entry_id)


async def test_connect_on_demand_is_unavailable_when_not_advertising(
    hass: HomeAssistant, furby_factory: Any
) -> None:
    furby = furby_factory(advertise=False)
    furby.faults.stop_advertising()
    entry = MockConfigEntry(
        domain="furby_connect",
        unique_id=furby.address,
        title="Furby",
        options={"stay_connected": False, "idle_timeout": 60},
    )
    entry.add_to_hass(hass)
    coordinator = await async_setup(hass, entry)
    assert not coordinator.available
    await hass.config_entries.async_unload(entry.entry_id)


async def test_connect_on_demand_follows_the_advertisements(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    on_demand_entry: MockConfigEntry,
    furby: VirtualFurby,
    virtual_proxy: Any,
) -> None:
    coordinator = await async_setup(hass, on_demand_entry)
    was_available = coordinator.available
    furby.faults.stop_advertising()
    with expired_advertisements():
        await async_advance(hass, freezer, 301)
    assert (was_available, coordinator.available) == (True, False)

    furby.faults.resume_advertising()
    virtual_proxy.advertise_all()
    await async_wait_for(coordinator, lambda: coordinator.available)
    assert not coordinator.connected
    await hass.config_entries.async_unload(on_demand_entry.entry_id)


async def test_connect_on_demand_gives_up_with_the_command(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    on_demand_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    coordinator = await async_setup(hass, on_demand_entry)
    furby.faults.refuse_connections()
    with pytest.raises(HomeAssistantError) as err:
        await async_drive(hass, freezer, coordinator.async_set_antenna(1, 1, 1))
    assert err.value.translation_key == "not_connected"
    assert "refused the connection" in (err.value.translation_placeholders or {})["error"]
    # nothing wants the link any more: the connect loop ends after its pause
    await async_advance(hass, freezer, 61)
    assert not coordinator.connection.reconnecting
    attempts = coordinator.connection.failed_attempts
    await async_advance(hass, freezer, 120)
    assert coordinator.connection.failed_attempts == attempts
    await hass.config_entries.async_unload(on_demand_entry.entry_id)


async def test_commands_after_unload_fail_cleanly(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    coordinator = coordinator_of(connected_entry)
    assert await hass.config_entries.async_unload(connected_entry.entry_id)
    with pytest.raises(HomeAssistantError) as err:
        await coordinator.async_set_antenna(1, 1, 1)
    assert err.value.translation_key == "not_connected"
    assert not furby.is_connected
