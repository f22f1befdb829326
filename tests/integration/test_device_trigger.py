"""Device triggers through Home Assistant's device automation API and real automations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.components.device_automation import (
    DeviceAutomationType,
    async_get_device_automations,
)
from homeassistant.components.event import ATTR_EVENT_TYPE
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.furby_connect.const import DOMAIN
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .entity_helpers import entity_id
from .voice_helpers import BusRecorder, async_wait_state, device_of

FIRED = "furby_test_trigger_fired"

INTERACTIONS = [
    "tongue",
    "tickle_back",
    "tickle_tummy",
    "tickle_left",
    "tickle_right",
    "tail_pull",
    "antenna_left",
    "antenna_right",
    "antenna_forward",
    "antenna_back",
    "antenna_down",
]
ORIENTATIONS = [
    "orientation_upright",
    "orientation_upside_down",
    "orientation_on_left_side",
    "orientation_on_right_side",
    "orientation_leaning_back",
    "orientation_tilted_left",
    "orientation_tilted_right",
    "orientation_changed",
]


def _trigger(device_id: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"trigger": "device", "domain": DOMAIN, "device_id": device_id, "type": kind, **extra}


async def _automate(hass: HomeAssistant, *triggers: dict[str, Any]) -> BusRecorder:
    """One automation per trigger; each run fires ``FIRED`` with what the trigger passed."""
    recorder = BusRecorder(hass, FIRED)
    automations = [
        {
            "alias": f"test {index}",
            "triggers": [trigger],
            "actions": [
                {
                    "event": FIRED,
                    "event_data": {
                        "type": "{{ trigger.type | default(trigger.to_state.state) }}",
                        "platform": "{{ trigger.platform }}",
                        "entity_id": "{{ trigger.entity_id }}",
                        "to": "{{ trigger.to_state.state }}",
                        "event_type": "{{ trigger.to_state.attributes.event_type }}",
                    },
                }
            ],
        }
        for index, trigger in enumerate(triggers)
    ]
    assert await async_setup_component(hass, "automation", {"automation": automations})
    await hass.async_block_till_done()
    return recorder


async def test_every_interaction_and_orientation_is_offered(
    hass: HomeAssistant, connected_entry: MockConfigEntry
) -> None:
    """The device automation API lists one trigger per interaction and orientation change."""
    device = device_of(hass, connected_entry)
    listed = await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, [device.id])
    ours = [trigger for trigger in listed[device.id] if trigger["domain"] == DOMAIN]
    assert [trigger["type"] for trigger in ours] == INTERACTIONS + ORIENTATIONS
    for trigger in ours:
        assert trigger == {
            "platform": "device",
            "domain": DOMAIN,
            "device_id": device.id,
            "type": trigger["type"],
            "metadata": {},
        }


async def test_orientation_triggers_take_a_duration_interactions_do_not(
    hass: HomeAssistant, connected_entry: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    """The editor's capabilities call offers ``for`` on orientation triggers only."""
    device = device_of(hass, connected_entry)
    assert await async_setup_component(hass, "device_automation", {})
    client = await hass_ws_client(hass)
    extra: dict[str, list[str]] = {}
    for index, kind in enumerate(["tongue", "orientation_upside_down", "orientation_changed"]):
        await client.send_json(
            {
                "id": index + 1,
                "type": "device_automation/trigger/capabilities",
                "trigger": {
                    "platform": "device",
                    "domain": DOMAIN,
                    "device_id": device.id,
                    "type": kind,
                },
            }
        )
        reply = await client.receive_json()
        assert reply["success"], reply
        extra[kind] = [field["name"] for field in reply["result"].get("extra_fields", [])]
    assert extra == {
        "tongue": [],
        "orientation_upside_down": ["for"],
        "orientation_changed": ["for"],
    }


@pytest.mark.parametrize(
    ("trigger", "valid"),
    [
        ({"type": "tongue"}, True),
        ({"type": "orientation_upside_down", "for": {"seconds": 5}}, True),
        ({"type": "sneeze"}, False),
        ({"type": "tongue", "for": {"seconds": 5}}, False),
        ({"type": "orientation_changed", "for": "soon"}, False),
        ({}, False),
    ],
)
async def test_trigger_config_is_validated(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    trigger: dict[str, Any],
    valid: bool,
) -> None:
    """Home Assistant's config validation accepts good triggers and refuses bad ones."""
    device = device_of(hass, connected_entry)
    client = await hass_ws_client(hass)
    config = {"platform": "device", "domain": DOMAIN, "device_id": device.id, **trigger}
    await client.send_json({"id": 1, "type": "validate_config", "triggers": [config]})
    reply = await client.receive_json()
    assert reply["success"], reply
    assert reply["result"]["triggers"]["valid"] is valid, reply


async def test_a_device_that_is_not_a_furby_is_refused(
    hass: HomeAssistant, connected_entry: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    """A trigger naming a missing device does not validate."""
    client = await hass_ws_client(hass)
    config = {"platform": "device", "domain": DOMAIN, "device_id": "nope", "type": "tongue"}
    await client.send_json({"id": 1, "type": "validate_config", "triggers": [config]})
    reply = await client.receive_json()
    assert reply["result"]["triggers"]["valid"] is False


async def test_interaction_trigger_fires_for_every_press_of_its_kind(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    """A tongue trigger fires on each tongue press, repeats included, and on nothing else."""
    device = device_of(hass, connected_entry)
    event_entity = entity_id(hass, "event", "interaction", furby.address)
    recorder = await _automate(hass, _trigger(device.id, "tongue"))

    furby.press("tongue")
    first = await recorder.wait_for(1)
    assert first[0] == {
        "type": "tongue",
        "platform": "device",
        "entity_id": event_entity,
        "to": hass.states.get(event_entity).state,  # type: ignore[union-attr]
        "event_type": "tongue",
    }

    furby.release("tongue")
    furby.press("tickle_back")
    await async_wait_state(
        hass,
        event_entity,
        lambda s: s is not None and s.attributes.get(ATTR_EVENT_TYPE) == "tickle_back",
    )
    await hass.async_block_till_done()
    assert len(recorder.data) == 1

    furby.release("tickle_back")
    furby.press("tongue")  # the same interaction again: the attribute does not change
    await recorder.wait_for(2)
    assert [run["type"] for run in recorder.data] == ["tongue", "tongue"]


async def test_two_interactions_in_one_sensor_packet_fire_both_triggers(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    entity_registry: er.EntityRegistry,
) -> None:
    """One sensor packet with two new presses can give two events in the same millisecond (Home
    Assistant's clock is held still here, so they always do). On Home Assistant 2025.4 the event
    entity's state, their time, then stays the same (newer versions move the second event's time
    on by a millisecond); both interactions' triggers fire either way. A rename of the event
    entity afterwards changes an attribute only and fires nothing.
    """
    device = device_of(hass, connected_entry)
    event_entity = entity_id(hass, "event", "interaction", furby.address)
    recorder = await _automate(
        hass, _trigger(device.id, "tickle_back"), _trigger(device.id, "tongue")
    )

    with patch("homeassistant.util.dt.utcnow", return_value=dt_util.utcnow()):
        furby.press("tickle_back", "tongue")
        fired = await recorder.wait_for(2)
    assert sorted(run["type"] for run in fired) == ["tickle_back", "tongue"]

    entity_registry.async_update_entity(event_entity, name="Furby touches")
    await async_wait_state(
        hass,
        event_entity,
        lambda s: s is not None and s.attributes.get("friendly_name") == "Furby touches",
    )
    await hass.async_block_till_done()
    assert len(recorder.data) == 2


async def test_interaction_trigger_ignores_the_state_restored_after_a_reconnect(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    """Coming back from unavailable shows the last event again; that is not a new press."""
    device = device_of(hass, connected_entry)
    event_entity = entity_id(hass, "event", "interaction", furby.address)
    recorder = await _automate(hass, _trigger(device.id, "tail_pull"))
    furby.press("tail_pull")
    await recorder.wait_for(1)
    furby.release("tail_pull")  # still held at the reconnect, it would be a new press
    await async_furby_link_idle(hass)
    await hass.async_block_till_done()
    last = hass.states.get(event_entity)
    assert last is not None

    furby.drop_connection()
    await async_wait_state(
        hass, event_entity, lambda s: s is not None and s.state == STATE_UNAVAILABLE
    )
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=5))  # reconnect pause
    back = await async_wait_state(
        hass, event_entity, lambda s: s is not None and s.state != STATE_UNAVAILABLE
    )
    assert back is not None
    assert back.state == last.state
    await hass.async_block_till_done()
    assert len(recorder.data) == 1


async def test_orientation_triggers_fire_on_changes_between_known_orientations(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    """``orientation_upside_down`` fires on turning upside down, ``orientation_changed`` on any
    change from one known orientation to another; the first reading is not a change."""
    device = device_of(hass, connected_entry)
    sensor = entity_id(hass, "sensor", "orientation", furby.address)
    furby.set_orientation(None)  # no orientation in the sensor packets
    await async_wait_state(hass, sensor, lambda s: s is not None and s.state == STATE_UNKNOWN)
    upside_down = await _automate(
        hass,
        _trigger(device.id, "orientation_upside_down"),
        _trigger(device.id, "orientation_changed"),
    )

    furby.set_orientation("upright")
    await async_wait_state(hass, sensor, lambda s: s is not None and s.state == "upright")
    await hass.async_block_till_done()
    assert upside_down.data == []

    furby.set_orientation("upside_down")
    runs = await upside_down.wait_for(2)
    assert sorted(run["to"] for run in runs) == ["upside_down", "upside_down"]
    assert all(run["entity_id"] == sensor for run in runs)

    furby.set_orientation("on_left_side")
    runs = await upside_down.wait_for(3)
    assert runs[2]["to"] == "on_left_side"
    await hass.async_block_till_done()
    assert len(upside_down.data) == 3


async def test_orientation_trigger_with_a_duration_waits_for_it(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    """``for`` delays the run until the orientation has lasted that long."""
    device = device_of(hass, connected_entry)
    sensor = entity_id(hass, "sensor", "orientation", furby.address)
    recorder = await _automate(
        hass, _trigger(device.id, "orientation_upside_down", **{"for": {"seconds": 30}})
    )
    furby.set_orientation("upright")
    await async_wait_state(hass, sensor, lambda s: s is not None and s.state == "upright")
    furby.set_orientation("upside_down")
    await async_wait_state(hass, sensor, lambda s: s is not None and s.state == "upside_down")
    await hass.async_block_till_done()
    assert recorder.data == []
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=31))
    runs = await recorder.wait_for(1)
    assert runs[0]["to"] == "upside_down"


async def test_a_furby_without_its_event_entity_offers_no_interaction_triggers(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """With the Interaction entity deleted, its triggers are not offered, and an automation
    that still uses one cannot attach it (the error says why) and never runs."""
    device = device_of(hass, connected_entry)
    er.async_get(hass).async_remove(entity_id(hass, "event", "interaction", furby.address))
    listed = await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, [device.id])
    types = [trigger["type"] for trigger in listed[device.id] if trigger["domain"] == DOMAIN]
    assert types == ORIENTATIONS

    recorder = await _automate(hass, _trigger(device.id, "tongue"))
    assert "has no entity for the tongue trigger" in caplog.text
    furby.press("tongue")
    await async_furby_link_idle(hass)
    await hass.async_block_till_done()
    assert recorder.data == []
