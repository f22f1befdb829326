"""The demo component: virtual Furbies attached, one set up through the user flow, the other in
discovery, a dashboard card per Furby, services with clear errors on bad input."""

from __future__ import annotations

import asyncio
import importlib
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, State, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

TOY1 = "F1:23:45:67:00:01"
TOY2 = "F1:23:45:67:00:02"


async def setup_demo(hass: HomeAssistant, **options: Any) -> None:
    """Set up furby_demo with a fast link and no random interactions unless asked."""
    conf = {"furbies": 2, "setup": "one", "link_speed": 1000, "interaction_interval": 0}
    conf.update(options)
    assert await async_setup_component(hass, "furby_demo", {"furby_demo": conf})
    await hass.async_block_till_done(wait_background_tasks=True)


def furby_entries(hass: HomeAssistant) -> dict[str | None, Any]:
    return {entry.unique_id: entry for entry in hass.config_entries.async_entries("furby_connect")}


HANG_GUARD = 10.0
"""Seconds after which a wait that should end at once fails the test (never a timing check)."""


async def async_wait_state(
    hass: HomeAssistant, entity_id: str, predicate: Callable[[State | None], bool]
) -> State | None:
    """Wait until ``entity_id``'s state satisfies ``predicate`` (the toys' link runs meanwhile)."""
    if predicate(state := hass.states.get(entity_id)):
        return state
    done: asyncio.Future[State | None] = hass.loop.create_future()

    @callback
    def changed(event: Event[EventStateChangedData]) -> None:
        if not done.done() and predicate(event.data["new_state"]):
            done.set_result(event.data["new_state"])

    remove = async_track_state_change_event(hass, entity_id, changed)
    try:
        return await asyncio.wait_for(done, HANG_GUARD)
    finally:
        remove()


async def async_setup_connected(hass: HomeAssistant, **options: Any) -> None:
    """Set up the demo and wait until toy 1's link is up."""
    await setup_demo(hass, **options)
    await async_wait_state(
        hass, "binary_sensor.furby_0001_connected", lambda s: s is not None and s.state == "on"
    )


def toy1_device(hass: HomeAssistant) -> dr.DeviceEntry:
    entry_id = furby_entries(hass)[TOY1].entry_id
    (device,) = dr.async_entries_for_config_entry(dr.async_get(hass), entry_id)
    return device


async def test_setup_one_configures_first_toy_and_leaves_second_in_discovery(
    hass: HomeAssistant,
) -> None:
    """With setup one, toy 1 gets a loaded entry (user flow), toy 2 a discovery flow."""
    await setup_demo(hass)
    entries = furby_entries(hass)
    assert list(entries) == [TOY1]
    assert entries[TOY1].state is ConfigEntryState.LOADED
    assert entries[TOY1].source == "user"
    flows = hass.config_entries.flow.async_progress_by_handler("furby_connect")
    assert [flow["context"]["unique_id"] for flow in flows] == [TOY2]
    ready_file = Path(hass.config.path(".furby_demo_ready"))
    ready = json.loads(await hass.async_add_executor_job(ready_file.read_text))
    assert ready["configured"] == [TOY1]
    assert ready["furbies"] == [TOY1, TOY2]


async def test_setup_all_configures_both(hass: HomeAssistant) -> None:
    """Setup all configures both toys."""
    await setup_demo(hass, setup="all")
    assert sorted(str(k) for k in furby_entries(hass)) == [TOY1, TOY2]


async def test_setup_none_configures_nothing(hass: HomeAssistant) -> None:
    """Setup none creates no entry; both toys wait as discovered flows."""
    await setup_demo(hass, setup="none")
    assert furby_entries(hass) == {}
    flows = hass.config_entries.flow.async_progress_by_handler("furby_connect")
    assert sorted(str(flow["context"]["unique_id"]) for flow in flows) == [TOY1, TOY2]


async def test_dashboard_has_one_card_per_furby_device(hass: HomeAssistant) -> None:
    """The default dashboard holds a Furby card for the set-up Furby's device."""
    await setup_demo(hass)
    device = toy1_device(hass)
    dashboards = hass.data["lovelace"].dashboards
    dashboard = dashboards.get("lovelace") or dashboards[None]
    config = await dashboard.async_load(False)
    cards = [c for c in config["views"][0]["cards"] if c["type"] == "custom:furby-connect-card"]
    assert cards == [{"type": "custom:furby-connect-card", "device_id": device.id}]


async def test_interact_service_fires_the_event_entity(hass: HomeAssistant) -> None:
    """furby_demo.interact presses the toy's tongue; the integration's event entity records it."""
    await async_setup_connected(hass)
    entity_id = "event.furby_0001_interaction"
    assert hass.states.get(entity_id).attributes.get("event_type") is None  # type: ignore[union-attr]
    await hass.services.async_call(
        "furby_demo", "interact", {"address": TOY1, "interaction": "tongue"}, blocking=True
    )
    await async_wait_state(
        hass, entity_id, lambda s: s is not None and s.attributes.get("event_type") == "tongue"
    )


async def test_inspect_reports_the_bytes_the_toy_received(hass: HomeAssistant) -> None:
    """A set_antenna call reaches the toy as ``14 RR GG BB``; inspect lists it."""
    await async_setup_connected(hass)
    device = toy1_device(hass)
    await hass.services.async_call(
        "furby_connect",
        "set_antenna",
        {"device_id": device.id, "red": 1, "green": 2, "blue": 3},
        blocking=True,
    )
    # A request/reply after it: its reply comes only once the toy has taken the earlier write.
    await hass.services.async_call(
        "furby_connect",
        "get_dlc_slots",
        {"device_id": device.id},
        blocking=True,
        return_response=True,
    )
    toy = await hass.services.async_call(
        "furby_demo", "inspect", {"address": TOY1.lower()}, blocking=True, return_response=True
    )
    assert toy is not None
    assert toy["connected"] is True
    assert toy["antenna"] == [1, 2, 3]
    writes: list[dict[str, Any]] = toy["writes"]  # type: ignore[assignment]
    assert ("generalplus", "14 01 02 03") in [(w["characteristic"], w["hex"]) for w in writes]


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("interact", {"address": "00:11:22:33:44:55", "interaction": "tongue"}),
        ("tilt", {"address": "nonsense", "orientation": "upside_down"}),
        ("inspect", {"address": "F1:23:45:67:00:09"}),
    ],
)
async def test_unknown_toy_is_a_translated_error(
    hass: HomeAssistant, service: str, data: dict[str, Any]
) -> None:
    """An address that is not one of the demo's toys is refused naming the known ones."""
    await setup_demo(hass)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "furby_demo", service, data, blocking=True, return_response=service == "inspect"
        )
    assert err.value.translation_key == "unknown_toy"
    assert err.value.translation_placeholders is not None
    assert TOY1 in err.value.translation_placeholders["known"]


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("interact", {"address": TOY1, "interaction": "lick"}),
        ("interact", {"address": TOY1, "interaction": "tongue", "seconds": 0}),
        ("tilt", {"address": TOY1, "orientation": "sideways"}),
        ("inspect", {"address": TOY1, "writes": -1}),
        ("interact", {"interaction": "tongue"}),
    ],
)
async def test_bad_service_input_is_refused(
    hass: HomeAssistant, service: str, data: dict[str, Any]
) -> None:
    """Unknown interactions, orientations, out-of-range numbers and missing fields fail."""
    await setup_demo(hass)
    with pytest.raises(vol.Invalid):
        await hass.services.async_call(
            "furby_demo", service, data, blocking=True, return_response=service == "inspect"
        )


async def test_bad_config_is_refused(hass: HomeAssistant) -> None:
    """A setup mode other than all/one/none fails the component's set-up."""
    assert not await async_setup_component(hass, "furby_demo", {"furby_demo": {"setup": "some"}})


async def test_toys_act_alive_on_a_seeded_schedule(hass: HomeAssistant) -> None:
    """With an interaction interval, the connected toy is touched or tilted by itself.

    The first act comes within 1.5 intervals; only toy 1 is connected, so it is the one acted on:
    a press shows on the event entity, a tilt on the orientation sensor.
    """
    await async_setup_connected(hass, interaction_interval=10, seed=3)
    changed: asyncio.Future[str] = hass.loop.create_future()

    @callback
    def on_change(event: Event[EventStateChangedData]) -> None:
        new, old = event.data["new_state"], event.data["old_state"]
        if not changed.done() and new is not None and old is not None and new.state != old.state:
            changed.set_result(event.data["entity_id"])

    remove = async_track_state_change_event(
        hass, ["event.furby_0001_interaction", "sensor.furby_0001_orientation"], on_change
    )
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=16))
    assert await asyncio.wait_for(changed, HANG_GUARD)
    remove()


async def test_changed_setup_adds_and_removes_entries_same_setup_keeps_them(
    hass: HomeAssistant,
) -> None:
    """A setup differing from the last start's makes the demo toys' entries match it; the same
    setup again leaves them alone (what was done in the UI meanwhile stays)."""
    await setup_demo(hass)
    entries: Any = importlib.import_module("custom_components.furby_demo.entries")
    await entries.async_reconcile_entries(hass, [TOY1, TOY2], "all")
    assert sorted(str(k) for k in furby_entries(hass)) == [TOY1, TOY2]
    await entries.async_reconcile_entries(hass, [TOY1, TOY2], "none")
    assert furby_entries(hass) == {}
    result = await hass.config_entries.flow.async_init("furby_connect", context={"source": "user"})
    await hass.config_entries.flow.async_configure(result["flow_id"], {"address": TOY2})
    await entries.async_reconcile_entries(hass, [TOY1, TOY2], "none")
    assert list(furby_entries(hass)) == [TOY2]
