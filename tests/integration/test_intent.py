"""Furby intents: each command reaches the virtual Furby as the right bytes; bad input, none."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import floor_registry as fr
from homeassistant.helpers import intent
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.furby_connect.const import DOMAIN
from custom_components.furby_connect.intent import FURBY_INTENTS, parse_color
from custom_components.furby_connect.protocol import commands
from tests.virtual_furby_fixtures import FurbyFactory, async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .conftest import async_setup, async_wait_until, make_entry
from .entity_helpers import WriteLog, entity_id
from .voice_helpers import device_of, message

SECOND_ADDRESS = "F1:23:45:67:89:AC"
GIGGLE = (55, 2, 14, 0)


@pytest.fixture
async def assist(hass: HomeAssistant) -> None:
    """Home Assistant's own integrations a voice command goes through (exposure, intents)."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "intent", {})
    await hass.async_block_till_done()  # the intent platforms of loaded integrations register


async def handle(
    hass: HomeAssistant, intent_type: str, language: str = "en", **slots: Any
) -> intent.IntentResponse:
    """Handle an intent as Assist does (assistant ``conversation``)."""
    response = await intent.async_handle(
        hass,
        "test",
        intent_type,
        {name: {"value": value} for name, value in slots.items()},
        language=language,
        assistant="conversation",
    )
    await async_furby_link_idle(hass)
    return response


def spoken(response: intent.IntentResponse) -> str:
    """What the response says."""
    text: str = response.speech["plain"]["speech"]
    return text


async def _second_furby(hass: HomeAssistant, furby_factory: FurbyFactory) -> VirtualFurby:
    toy = furby_factory(SECOND_ADDRESS)
    entry = make_entry(toy.address)
    entry.add_to_hass(hass)
    view = await async_setup(hass, entry)
    await async_wait_until(hass, lambda: view.connected)
    return toy


# --------------------------------------------------------------------------- registration


async def test_the_intents_are_registered_by_the_intent_integration(
    hass: HomeAssistant, connected_entry: MockConfigEntry, assist: None
) -> None:
    """Home Assistant's intent integration registers the Furby intents from ``intent.py``."""
    registered = {handler.intent_type for handler in intent.async_get(hass)}
    assert registered >= FURBY_INTENTS
    expected = {"FurbyTriggerAction", "FurbySetAntenna", "FurbySetEyes", "FurbySayName"}
    assert expected | {"FurbySetName"} == FURBY_INTENTS
    for handler in intent.async_get(hass):
        if handler.intent_type in FURBY_INTENTS:
            assert handler.description
            assert handler.slot_schema is not None


# --------------------------------------------------------------------------- commands


async def test_make_the_furby_giggle(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, assist: None
) -> None:
    """Make the Furby giggle: the catalog's giggle is played."""
    log = WriteLog(furby)
    response = await handle(hass, "FurbyTriggerAction", action="giggle")
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert log.gp()[0] == commands.trigger_action(*GIGGLE)
    assert furby.played_actions == [GIGGLE]
    device = device_of(hass, connected_entry)
    assert [(t.id, t.type) for t in response.success_results] == [
        (device.id, intent.IntentResponseTargetType.DEVICE)
    ]
    assert response.speech_slots == {"furby": device.name, "action": "giggle"}


async def test_an_action_by_category(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, assist: None
) -> None:
    """A category name (here "Hiccup") plays an action of that category."""
    response = await handle(hass, "FurbyTriggerAction", action="hiccup")
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert furby.played_actions == [(16, 0, 0, 0)]


async def test_set_the_antenna_to_blue(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, assist: None
) -> None:
    """Set the Furby's antenna to blue: ``14 00 00 ff``."""
    log = WriteLog(furby)
    response = await handle(hass, "FurbySetAntenna", color="Blue")
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert log.gp() == [bytes.fromhex("14 00 00 ff")]
    assert furby.antenna == (0, 0, 255)


@pytest.mark.parametrize(
    ("text", "rgb"),
    [
        ("blue", (0, 0, 255)),
        ("light blue", (173, 216, 230)),
        (" Orange ", (255, 165, 0)),
        ("#FF8800", (255, 136, 0)),
        ("00ff00", (0, 255, 0)),
        ("off", (0, 0, 0)),
    ],
)
def test_colour_names_and_codes(text: str, rgb: tuple[int, int, int]) -> None:
    """Colour names (Home Assistant's CSS list), hex codes and off are understood."""
    assert parse_color(text) == rgb


@pytest.mark.parametrize("text", ["", "blurple", "#12345", "#gggggg", "rgb(1,2,3)"])
def test_other_colours_are_refused(text: str) -> None:
    """Anything else is not a colour."""
    with pytest.raises(ValueError, match=r"."):
        parse_color(text)


@pytest.mark.parametrize(("state", "command"), [("off", "cd 00"), ("on", "cd 01")])
async def test_eyes_on_and_off(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    assist: None,
    state: str,
    command: str,
) -> None:
    """Turning the Furby's eyes off or on goes through the Eyes switch."""
    log = WriteLog(furby)
    response = await handle(hass, "FurbySetEyes", state=state)
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert log.gp() == [bytes.fromhex(command)]
    assert furby.eyes_on is (state == "on")
    switch = hass.states.get(entity_id(hass, "switch", "eyes", furby.address))
    assert switch is not None
    assert switch.state == state


async def test_say_your_name_and_rename(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, assist: None
) -> None:
    """Rename ("call the Furby Dah-Boh": ``21 15``), then say it (``13 00 21 00 00 15``)."""
    log = WriteLog(furby)
    response = await handle(hass, "FurbySetName", new_name="dah boh")
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert log.gp()[0] == bytes.fromhex("21 15")
    assert furby.name_id == 21
    log.mark()
    response = await handle(hass, "FurbySayName")
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert log.gp()[0] == commands.say_name(21)


# --------------------------------------------------------------------------- spoken errors


@pytest.mark.parametrize(
    ("intent_type", "slots", "key", "placeholders"),
    [
        (
            "FurbyTriggerAction",
            {"action": "dance wildly"},
            "unknown_action",
            {"action": "dance wildly"},
        ),
        ("FurbySetAntenna", {"color": "blurple"}, "intent_unknown_color", {"color": "blurple"}),
        ("FurbySetName", {"new_name": "Bob"}, "unknown_name", {"name": "Bob"}),
        ("FurbySayName", {}, "name_not_set", {"name": "Furby (89AB)"}),
    ],
)
async def test_unknown_input_is_a_spoken_error_and_nothing_is_sent(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    assist: None,
    intent_type: str,
    slots: dict[str, str],
    key: str,
    placeholders: dict[str, str],
) -> None:
    """An unknown action, colour or name (or no name yet) is answered in words, not sent."""
    log = WriteLog(furby)
    response = await handle(hass, intent_type, **slots)
    assert response.response_type is intent.IntentResponseType.ERROR
    assert response.error_code is intent.IntentResponseErrorCode.FAILED_TO_HANDLE
    assert spoken(response) == message(key, **placeholders)
    assert log.all() == []
    assert furby.played_actions == []


async def test_the_error_is_spoken_in_the_requested_language_or_english(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, assist: None
) -> None:
    """The message is looked up in the request's language; without a translation, English."""
    response = await handle(hass, "FurbySetAntenna", language="de", color="blurple")
    assert spoken(response) == message("intent_unknown_color", color="blurple")


@pytest.mark.parametrize(
    ("intent_type", "slots"),
    [
        ("FurbySetEyes", {"state": "maybe"}),
        ("FurbyTriggerAction", {}),
        ("FurbyTriggerAction", {"action": "  "}),
        ("FurbySetAntenna", {"color": ""}),
    ],
)
async def test_malformed_slots_are_refused(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    assist: None,
    intent_type: str,
    slots: dict[str, str],
) -> None:
    """Missing or malformed slots fail Home Assistant's slot validation; nothing is sent."""
    log = WriteLog(furby)
    with pytest.raises(intent.InvalidSlotInfo):
        await handle(hass, intent_type, **slots)
    assert log.all() == []


async def test_an_unloaded_furby_is_a_spoken_error(
    hass: HomeAssistant,
    on_demand_entry: MockConfigEntry,
    furby: VirtualFurby,
    assist: None,
) -> None:
    """A Furby whose entry is not loaded is reported in words (the service's translated error)."""
    await async_setup(hass, on_demand_entry)
    await hass.config_entries.async_unload(on_demand_entry.entry_id)
    await hass.async_block_till_done()
    response = await handle(hass, "FurbyTriggerAction", action="giggle")
    assert response.response_type is intent.IntentResponseType.ERROR
    assert spoken(response) == message("device_not_loaded", device=on_demand_entry.title)
    assert furby.played_actions == []


async def test_a_disabled_eyes_switch_is_a_spoken_error(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, assist: None
) -> None:
    """Without its Eyes switch the command is refused in words."""
    er.async_get(hass).async_update_entity(
        entity_id(hass, "switch", "eyes", furby.address),
        disabled_by=er.RegistryEntryDisabler.USER,
    )
    log = WriteLog(furby)
    response = await handle(hass, "FurbySetEyes", state="off")
    name = device_of(hass, connected_entry).name or ""
    assert spoken(response) == message("intent_eyes_missing", name=name)
    assert log.all() == []


# --------------------------------------------------------------------------- which Furby


async def test_no_furby_exposed_is_a_spoken_error(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, assist: None
) -> None:
    """A Furby none of whose entities is exposed to the assistant is not reachable by voice."""
    device = device_of(hass, connected_entry)
    for entry in er.async_entries_for_device(er.async_get(hass), device.id):
        async_expose_entity(hass, "conversation", entry.entity_id, False)
    response = await handle(hass, "FurbyTriggerAction", action="giggle")
    assert response.error_code is intent.IntentResponseErrorCode.NO_VALID_TARGETS
    assert spoken(response) == message("intent_no_furby")
    assert furby.played_actions == []


async def test_several_furbies_need_a_name_or_an_area(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_factory: FurbyFactory,
    assist: None,
) -> None:
    """With two Furbies and nothing to tell them apart, the answer asks which one."""
    second = await _second_furby(hass, furby_factory)
    response = await handle(hass, "FurbyTriggerAction", action="giggle")
    assert response.error_code is intent.IntentResponseErrorCode.NO_VALID_TARGETS
    assert spoken(response) == message("intent_which_furby", names="Furby (89AB), Furby (89AC)")
    assert furby.played_actions == []
    assert second.played_actions == []


async def test_the_furby_is_picked_by_its_name(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_factory: FurbyFactory,
    assist: None,
) -> None:
    """The device name (as renamed by the user) or the toy's own name picks one Furby."""
    second = await _second_furby(hass, furby_factory)
    registry = dr.async_get(hass)
    registry.async_update_device(device_of(hass, connected_entry).id, name_by_user="Bedroom Furby")

    response = await handle(hass, "FurbyTriggerAction", action="giggle", name="bedroom furby")
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert furby.played_actions == [GIGGLE]
    assert second.played_actions == []

    response = await handle(hass, "FurbySetName", name="Furby (89AC)", new_name="Dah-Boh")
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert second.name_id == 21
    response = await handle(hass, "FurbySetEyes", name="Dah Boh", state="off")
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert second.eyes_on is False
    assert furby.eyes_on is True

    response = await handle(hass, "FurbyTriggerAction", action="giggle", name="Kitchen Furby")
    assert spoken(response) == message("intent_no_furby_named", name="Kitchen Furby")


async def test_the_furby_is_picked_by_its_area(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_factory: FurbyFactory,
    assist: None,
) -> None:
    """An area (by name or alias, as Home Assistant matches areas) picks the Furby in it."""
    second = await _second_furby(hass, furby_factory)
    areas = ar.async_get(hass)
    bedroom = areas.async_create("Bedroom", aliases={"kids room"})
    areas.async_create("Garage")
    dr.async_get(hass).async_update_device(device_of(hass, connected_entry).id, area_id=bedroom.id)

    response = await handle(hass, "FurbySetAntenna", color="red", area="Kids Room")
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert furby.antenna == (255, 0, 0)
    assert second.antenna is None

    response = await handle(hass, "FurbySetAntenna", color="red", area="Garage")
    assert spoken(response) == message("intent_no_furby_in_area", area="Garage")
    response = await handle(hass, "FurbySetAntenna", color="red", area="Attic")
    assert spoken(response) == message("intent_unknown_area", area="Attic")
    assert second.antenna is None


async def test_the_furby_in_the_speakers_area_is_preferred(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_factory: FurbyFactory,
    assist: None,
) -> None:
    """Without a name or area, the Furby in the voice assistant's own area is meant."""
    second = await _second_furby(hass, furby_factory)
    areas = ar.async_get(hass)
    kitchen = areas.async_create("Kitchen")
    second_entry = next(
        e for e in hass.config_entries.async_entries(DOMAIN) if e.unique_id == second.address
    )
    dr.async_get(hass).async_update_device(device_of(hass, second_entry).id, area_id=kitchen.id)

    response = await handle(
        hass, "FurbyTriggerAction", action="giggle", preferred_area_id=kitchen.id
    )
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert second.played_actions == [GIGGLE]
    assert furby.played_actions == []


async def test_the_furby_on_the_speakers_floor_is_preferred(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_factory: FurbyFactory,
    assist: None,
) -> None:
    """When the speaker's area has no Furby, the one on the same floor is meant."""
    second = await _second_furby(hass, furby_factory)
    upstairs = fr.async_get(hass).async_create("Upstairs")
    areas = ar.async_get(hass)
    bedroom = areas.async_create("Bedroom", floor_id=upstairs.floor_id)
    landing = areas.async_create("Landing", floor_id=upstairs.floor_id)
    dr.async_get(hass).async_update_device(device_of(hass, connected_entry).id, area_id=bedroom.id)

    response = await handle(
        hass,
        "FurbySetEyes",
        state="off",
        preferred_area_id=landing.id,
        preferred_floor_id=upstairs.floor_id,
    )
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert furby.eyes_on is False
    assert second.eyes_on is True


async def test_a_value_the_service_refuses_is_a_spoken_error(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, assist: None
) -> None:
    """An action text longer than the service accepts is answered in words; nothing is sent."""
    log = WriteLog(furby)
    response = await handle(hass, "FurbyTriggerAction", action="giggle " * 20)
    assert response.error_code is intent.IntentResponseErrorCode.FAILED_TO_HANDLE
    assert spoken(response).startswith(message("invalid_value", error="").rstrip())
    assert "100" in spoken(response)  # the schema's reason: at most 100 characters
    assert log.all() == []


async def test_without_an_assistant_exposure_does_not_apply(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, assist: None
) -> None:
    """Intents handled for no assistant (the intent API, intent_script) reach any Furby."""
    device = device_of(hass, connected_entry)
    for entry in er.async_entries_for_device(er.async_get(hass), device.id):
        async_expose_entity(hass, "conversation", entry.entity_id, False)
    response = await intent.async_handle(
        hass, "test", "FurbyTriggerAction", {"action": {"value": "giggle"}}, language="en"
    )
    await async_furby_link_idle(hass)
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert furby.played_actions == [GIGGLE]
