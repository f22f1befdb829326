"""The link to the toy as Home Assistant shows it: drops, reconnects, back-off, connect on demand.

Connection attempts are counted on the virtual Furby; the link's health (failed attempts, the
connect loop) is read from the entry's diagnostics.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import bluetooth
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_state_change_event
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.furby_connect.const import (
    CONF_IDLE_TIMEOUT,
    CONF_STAY_CONNECTED,
    RECONNECT_BACKOFF,
)
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .conftest import async_advance, async_drive, async_setup, async_wait_until, make_entry
from .entity_helpers import FurbyView


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


def availability_log(hass: HomeAssistant, view: FurbyView) -> list[bool]:
    """Record each change of the Furby's availability (as its name select shows it)."""
    seen: list[bool] = []

    @callback
    def record(event: Event[EventStateChangedData]) -> None:
        old, new = event.data["old_state"], event.data["new_state"]
        if old is not None and new is not None:
            was, now = old.state != STATE_UNAVAILABLE, new.state != STATE_UNAVAILABLE
            if was != now:
                seen.append(now)

    async_track_state_change_event(hass, [view.entity_id("select", "name")], record)
    return seen


async def link_health(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, entry: MockConfigEntry
) -> dict[str, Any]:
    """The ``connection`` part of the entry's diagnostics."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    health: dict[str, Any] = diagnostics["connection"]
    return health


# ------------------------------------------------------------------------------- stay connected


async def test_drop_makes_unavailable_and_reconnects_at_once(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """After a stable link, a drop makes the entities unavailable and reconnects at once.

    "Unavailable" and "available again" are each logged once.
    """
    await async_advance(hass, freezer, 61)  # the link has been up for a while
    availability = availability_log(hass, furby_view)
    caplog.set_level(logging.INFO)

    furby.drop_connection()
    # frozen time stands still here: the reconnect needs no pause
    await async_wait_until(hass, lambda: availability == [False, True] and furby.is_connected)
    assert furby.connect_count == 2
    assert caplog.text.count("is unavailable") == 1
    assert caplog.text.count("is available again") == 1


async def test_a_link_that_drops_right_away_reconnects_after_a_pause(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """A link that dropped within a minute of connecting waits the first back-off pause."""
    furby.drop_connection()  # within a minute of connecting: maybe a flapping toy
    await async_wait_until(hass, lambda: not furby_view.connected)
    await async_advance(hass, freezer, RECONNECT_BACKOFF[0] - 0.2)
    assert not furby.is_connected
    await async_advance(hass, freezer, 0.3)
    await async_wait_until(hass, lambda: furby_view.connected)  # only event-loop turns needed
    assert furby.connect_count == 2


async def test_reconnect_backs_off_and_never_storms(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    virtual_proxy: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A refusing toy is retried at once, then after 1, 2, 5, 10 and 30 s; advertisements
    do not cut the pauses short, and the failure is logged once.
    """
    await async_advance(hass, freezer, 61)  # a stable link: the first retry comes at once
    caplog.set_level(logging.INFO)
    attempts = record_attempts(furby)
    furby.faults.refuse_connections()
    dropped_at = time.monotonic()
    furby.drop_connection()
    await async_wait_until(hass, lambda: not furby_view.available)

    for _ in range(6):
        await async_advance(hass, freezer, 10)
        virtual_proxy.advertise_all()
    starts = [start - dropped_at for start in group_starts(attempts)]
    # each gap also holds the previous try itself (bleak-retry-connector's few quick attempts)
    assert starts[0] == pytest.approx(0.0, abs=0.05)
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert len(gaps) == 5
    for gap, pause in zip(gaps, RECONNECT_BACKOFF, strict=False):
        assert pause <= gap <= pause + 1.0
    health = await link_health(hass, hass_client, connected_entry)
    assert health["failed_attempts"] == len(starts)
    assert health["reconnecting"] is True
    assert caplog.text.count("is unavailable") == 1

    furby.faults.allow_connections()
    await async_advance(hass, freezer, RECONNECT_BACKOFF[5] + 1)
    assert furby_view.connected
    assert caplog.text.count("is available again") == 1


async def test_a_command_cuts_the_pause_short_without_a_second_loop(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """Five commands during a back-off pause connect once, at once, and all run."""
    await async_advance(hass, freezer, 61)
    attempts = record_attempts(furby)
    furby.faults.refuse_connections()
    furby.drop_connection()
    await async_advance(hass, freezer, 5)  # tries at 0, 1.3 and 3.6 s; now pausing 5 s
    assert len(group_starts(attempts)) == 3

    furby.faults.allow_connections()
    calls = [
        hass.async_create_task(furby_view.call("set_antenna", {"red": n, "green": n, "blue": n}))
        for n in range(5)
    ]
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
    furby_view: FurbyView,
) -> None:
    """A connected toy that stops advertising stays connected and available."""
    availability = availability_log(hass, furby_view)
    furby.faults.stop_advertising()  # the toy also stops by itself while connected
    with expired_advertisements():
        await async_advance(hass, freezer, 301)
    assert not bluetooth.async_address_present(hass, furby.address, True)
    assert furby_view.available
    assert furby_view.connected
    assert availability == []


async def test_commands_wait_for_the_link_then_fail_with_not_connected(
    freezer: FrozenDateTimeFactory, hass: HomeAssistant, furby_factory: Any
) -> None:
    """A command to an asleep toy waits for the link, then fails with a translated reason."""
    furby = furby_factory(advertise=False)
    furby.faults.stop_advertising()  # asleep: the proxy's periodic advertising skips it too
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)
    view = await async_setup(hass, entry)
    assert not view.connected
    with pytest.raises(HomeAssistantError) as err:
        await async_drive(
            hass, freezer, view.call("set_antenna", {"red": 1, "green": 2, "blue": 3})
        )
    assert err.value.translation_key == "not_connected"
    assert err.value.translation_placeholders == {
        "name": entry.title,
        "error": "it is not advertising",
    }


async def test_commands_after_unload_are_refused(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """After unloading, the Furby is disconnected and its actions are refused as not loaded."""
    device_id = furby_view.device_id
    assert await hass.config_entries.async_unload(connected_entry.entry_id)
    assert not furby.is_connected
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "furby_connect",
            "set_antenna",
            {"device_id": device_id, "red": 1, "green": 1, "blue": 1},
            blocking=True,
        )
    assert err.value.translation_key == "device_not_loaded"


# ------------------------------------------------------------------------------- on demand


async def test_connect_on_demand_connects_for_a_command_and_idles_out(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    on_demand_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    """On demand: available while advertising, connects for a command, drops after 60 s idle."""
    view = await async_setup(hass, on_demand_entry)
    # not connected, but advertising, so a command can connect: available
    assert (view.connected, furby.is_connected, view.available) == (False, False, True)

    await view.call("set_antenna", {"red": 9, "green": 9, "blue": 9})
    await async_furby_link_idle(hass)
    assert view.connected
    assert furby.antenna == (9, 9, 9)

    await async_advance(hass, freezer, 50)
    await view.call("set_name", {"name_id": 2})  # restarts the idle time
    await async_advance(hass, freezer, 50)
    assert view.connected
    await async_advance(hass, freezer, 11)
    assert (view.connected, furby.is_connected) == (False, False)
    assert (await link_health(hass, hass_client, on_demand_entry))["reconnecting"] is False
    assert furby.disconnect_count == 1

    await view.call("set_name", {"name_id": 3})
    await async_furby_link_idle(hass)
    assert furby.connect_count == 2
    assert furby.name_id == 3


async def test_connect_on_demand_is_unavailable_when_not_advertising(
    hass: HomeAssistant, furby_factory: Any
) -> None:
    """On demand, a toy that does not advertise is unavailable (a command could not connect)."""
    furby = furby_factory(advertise=False)
    furby.faults.stop_advertising()
    entry = make_entry(furby.address, **{CONF_STAY_CONNECTED: False, CONF_IDLE_TIMEOUT: 60})
    entry.add_to_hass(hass)
    view = await async_setup(hass, entry)
    assert not view.available


async def test_connect_on_demand_follows_the_advertisements(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    on_demand_entry: MockConfigEntry,
    furby: VirtualFurby,
    virtual_proxy: Any,
) -> None:
    """On demand, availability follows the advertisements without connecting."""
    view = await async_setup(hass, on_demand_entry)
    was_available = view.available
    furby.faults.stop_advertising()
    with expired_advertisements():
        await async_advance(hass, freezer, 301)
    assert (was_available, view.available) == (True, False)

    furby.faults.resume_advertising()
    virtual_proxy.advertise_all()
    await async_wait_until(hass, lambda: view.available)
    assert not view.connected
    assert furby.connect_count == 0


async def test_connect_on_demand_gives_up_with_the_command(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    on_demand_entry: MockConfigEntry,
    furby: VirtualFurby,
) -> None:
    """On demand, a refused connection fails the command, and the connect loop then stops."""
    view = await async_setup(hass, on_demand_entry)
    furby.faults.refuse_connections()
    with pytest.raises(HomeAssistantError) as err:
        await async_drive(
            hass, freezer, view.call("set_antenna", {"red": 1, "green": 1, "blue": 1})
        )
    assert err.value.translation_key == "not_connected"
    assert "refused the connection" in (err.value.translation_placeholders or {})["error"]
    # nothing wants the link any more: the connect loop ends after its pause
    await async_advance(hass, freezer, 61)
    health = await link_health(hass, hass_client, on_demand_entry)
    assert health["reconnecting"] is False
    await async_advance(hass, freezer, 120)
    later = await link_health(hass, hass_client, on_demand_entry)
    assert later["failed_attempts"] == health["failed_attempts"]
