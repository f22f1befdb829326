"""Service actions: good input reaches the toy as the right bytes, bad input reaches nothing."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import voluptuous as vol
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
from homeassistant.util.yaml import load_yaml_dict
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.furby_connect import services
from custom_components.furby_connect.const import DOMAIN, EXECUTE_CONNECT_TIMEOUT
from custom_components.furby_connect.protocol.catalog import load_catalog
from custom_components.furby_connect.protocol.commands import MoodMeter
from tests.metadata_helpers import service_fields
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .conftest import async_wait_until
from .entity_helpers import FurbyView, WriteLog, entity_id

INTEGRATION = Path(services.__file__).parent
SERVICE_NAMES = {
    "trigger_action",
    "play_sequence",
    "stop_sequence",
    "set_name",
    "set_mood",
    "set_antenna",
    "get_dlc_slots",
    "load_dlc",
    "activate_dlc",
    "deactivate_dlc",
    "delete_dlc",
}


def _device_id(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert len(devices) == 1
    return devices[0].id


async def _call(
    hass: HomeAssistant, service: str, data: dict[str, Any], *, response: bool = False
) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=response
    )


@pytest.fixture
def device_id(hass: HomeAssistant, connected_entry: MockConfigEntry) -> str:
    """The device id of the connected virtual Furby."""
    return _device_id(hass, connected_entry)


# --------------------------------------------------------------------------- registration


def _described() -> dict[str, Any]:
    return dict(load_yaml_dict(str(INTEGRATION / "services.yaml")))


async def test_services_are_registered_once_from_setup(
    hass: HomeAssistant, connected_entry: MockConfigEntry
) -> None:
    """The actions are registered once at setup, match services.yaml and outlive an unload."""
    registered = set(hass.services.async_services_for_domain(DOMAIN))
    assert registered >= SERVICE_NAMES
    assert registered == set(_described())
    await hass.config_entries.async_unload(connected_entry.entry_id)
    await hass.async_block_till_done()
    assert set(hass.services.async_services_for_domain(DOMAIN)) == registered


def test_services_yaml_translations_and_icons_agree() -> None:
    """services.yaml, the translations and icons.json describe the same actions and fields."""
    described = _described()
    translations = json.loads((INTEGRATION / "translations" / "en.json").read_text())
    icons = json.loads((INTEGRATION / "icons.json").read_text())
    assert set(described) >= SERVICE_NAMES
    assert set(translations["services"]) == set(described)
    assert set(icons["services"]) == set(described)
    for name, service in described.items():
        translated = translations["services"][name]
        assert translated["name"] == service["name"]
        assert translated["description"] == service["description"]
        fields = service_fields(service)
        assert set(translated["fields"]) == set(fields)
        for field, spec in fields.items():
            assert translated["fields"][field]["name"] == spec["name"]
            assert translated["fields"][field]["description"] == spec["description"]
            select = spec["selector"].get("select") or {}
            if "translation_key" in select:
                key = select["translation_key"]
                options = set(spec["selector"]["select"]["options"])
                assert set(translations["selector"][key]["options"]) == options
        assert fields[ATTR_DEVICE_ID]["selector"] == {"device": {"integration": DOMAIN}}


# --------------------------------------------------------------------------- device_id


VALID_FIELDS: dict[str, dict[str, Any]] = {
    "trigger_action": {"input": 55},
    "play_sequence": {"steps": [{"action": "giggle"}]},
    "stop_sequence": {},
    "set_name": {"name_id": 3},
    "set_mood": {"meter": "wellness", "value": 3},
    "set_antenna": {"red": 1, "green": 2, "blue": 3},
    "get_dlc_slots": {},
    "load_dlc": {"slot": 1},
    "activate_dlc": {},
    "deactivate_dlc": {"slot": 1},
    "delete_dlc": {"slot": 1},
}


def test_every_service_has_valid_fields_here() -> None:
    """The table of valid fields below covers every action."""
    assert set(VALID_FIELDS) == SERVICE_NAMES


@pytest.mark.parametrize("service", sorted(SERVICE_NAMES))
async def test_unknown_device_is_refused(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, service: str
) -> None:
    """An unknown device id is a translated error for every action; nothing is sent."""
    log = WriteLog(furby)
    with pytest.raises(ServiceValidationError) as raised:
        await _call(
            hass,
            service,
            {ATTR_DEVICE_ID: "nope", **VALID_FIELDS[service]},
            response=service == "get_dlc_slots",
        )
    assert raised.value.translation_key == "device_not_found"
    assert raised.value.translation_placeholders == {"device_id": "nope"}
    assert log.all() == []


@pytest.mark.parametrize("service", sorted(SERVICE_NAMES))
@pytest.mark.parametrize("device_id", [None, "", 5, ["a"]])
async def test_missing_or_malformed_device_id_is_refused_by_the_schema(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    service: str,
    device_id: Any,
) -> None:
    """A missing or malformed device id is refused before anything is sent."""
    data = dict(VALID_FIELDS[service])
    if device_id is not None:
        data[ATTR_DEVICE_ID] = device_id
    log = WriteLog(furby)
    with pytest.raises((vol.Invalid, ServiceValidationError)) as raised:
        await _call(hass, service, data, response=service == "get_dlc_slots")
    if isinstance(raised.value, ServiceValidationError):
        # 5 passes cv.string as "5": then it is an unknown device, still refused in time.
        assert raised.value.translation_key == "device_not_found"
    assert log.all() == []


async def test_device_of_another_integration_is_refused(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    """A device of another integration is refused as not a Furby."""
    other = MockConfigEntry(domain="other_domain")
    other.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("other_domain", "x")}, name="Lamp"
    )
    log = WriteLog(furby)
    with pytest.raises(ServiceValidationError) as raised:
        await _call(hass, "trigger_action", {ATTR_DEVICE_ID: device.id, "input": 55})
    assert raised.value.translation_key == "device_not_furby"
    assert raised.value.translation_placeholders == {"device": "Lamp"}
    assert log.all() == []


async def test_device_of_an_unloaded_entry_is_refused(
    hass: HomeAssistant, connected_entry: MockConfigEntry, device_id: str
) -> None:
    """A Furby whose entry is not loaded is refused with a translated error."""
    await hass.config_entries.async_unload(connected_entry.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError) as raised:
        await _call(hass, "trigger_action", {ATTR_DEVICE_ID: device_id, "input": 55})
    assert raised.value.translation_key == "device_not_loaded"
    assert raised.value.translation_domain == DOMAIN


# --------------------------------------------------------------------------- trigger_action


@pytest.mark.parametrize(
    ("fields", "command"),
    [
        ({"input": 55}, "10 00 37"),
        ({"input": 55, "index": 2}, "11 00 37 02"),
        ({"input": 55, "index": 2, "subindex": 14}, "12 00 37 02 0e"),
        ({"input": 55, "index": 2, "subindex": 14, "specific": 3}, "13 00 37 02 0e 03"),
        ({"input": 55.0, "index": "2", "subindex": 14, "specific": 3}, "13 00 37 02 0e 03"),
    ],
)
async def test_trigger_action_by_numbers(
    hass: HomeAssistant,
    device_id: str,
    furby: VirtualFurby,
    fields: dict[str, Any],
    command: str,
) -> None:
    """Numeric fields become the 10-13 action command with as many fields as given."""
    log = WriteLog(furby)
    await _call(hass, "trigger_action", {ATTR_DEVICE_ID: device_id, **fields})
    assert log.gp()[0] == bytes.fromhex(command)
    assert len(furby.played_actions) == 1
    assert furby.played_actions[0][0] == 55


@pytest.mark.parametrize("text", ["giggle", "  Giggle ", "GIGGLE"])
async def test_trigger_action_by_catalog_name(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby, text: str
) -> None:
    """A catalog description (any case, spaces trimmed) plays its action."""
    await _call(hass, "trigger_action", {ATTR_DEVICE_ID: device_id, "action": text})
    assert furby.played_actions == [(55, 2, 14, 0)]


@pytest.mark.parametrize("text", ["!!!", "-", "\U0001f600"])
async def test_an_action_text_without_letters_or_digits_is_an_unknown_action(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    text: str,
) -> None:
    """An action text with nothing to search for is the translated ``unknown_action``, for
    ``trigger_action`` and for a ``play_sequence`` step alike, and nothing is played.
    """
    with pytest.raises(ServiceValidationError) as raised:
        await furby_view.call("trigger_action", {"action": text})
    assert raised.value.translation_key == "unknown_action"
    with pytest.raises(ServiceValidationError) as raised:
        await furby_view.call("play_sequence", {"steps": [{"action": "giggle"}, {"action": text}]})
    assert raised.value.translation_key == "unknown_action"
    assert furby.played_actions == []


async def test_trigger_unknown_action_is_a_translated_error(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby
) -> None:
    """A text no catalog entry matches is a translated error; nothing is sent."""
    log = WriteLog(furby)
    with pytest.raises(ServiceValidationError) as raised:
        await _call(hass, "trigger_action", {ATTR_DEVICE_ID: device_id, "action": "zzqx-no-such"})
    assert raised.value.translation_key == "unknown_action"
    assert raised.value.translation_placeholders == {"action": "zzqx-no-such"}
    assert log.all() == []


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"index": 2},
        {"input": 55, "action": "giggle"},
        {"action": "giggle", "index": 2},
        {"input": 55, "subindex": 14},
        {"input": 55, "index": 2, "specific": 0},
        {"input": 256},
        {"input": -1},
        {"input": 2.5},
        {"input": True},
        {"input": "fifty"},
        {"input": None},
        {"input": [55]},
        {"input": 33, "index": 0, "subindex": 0, "specific": 129},  # crashes the toy (§7.2)
        {"action": ""},
        {"action": "   "},
        {"input": 55, "colour": "red"},
    ],
)
async def test_trigger_action_bad_input_is_refused_by_the_schema(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby, fields: dict[str, Any]
) -> None:
    """Bad action fields (ranges, types, combinations, 33 over 128) are refused; nothing is sent."""
    log = WriteLog(furby)
    with pytest.raises(vol.Invalid):
        await _call(hass, "trigger_action", {ATTR_DEVICE_ID: device_id, **fields})
    assert log.all() == []
    assert furby.played_actions == []
    assert not furby.glitched


async def test_action_the_toy_refuses_is_a_translated_error(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby
) -> None:
    """The toy's refusal of an action is a translated command_refused error."""
    with pytest.raises(HomeAssistantError) as raised:
        await _call(
            hass,
            "trigger_action",
            {ATTR_DEVICE_ID: device_id, "input": 0, "index": 0, "subindex": 0, "specific": 0},
        )
    assert raised.value.translation_key == "command_refused"
    assert raised.value.translation_domain == DOMAIN
    assert furby.played_actions == []


async def test_calls_are_serialised_per_furby(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby
) -> None:
    """Two concurrent calls run one after the other, each with its fe barrier."""
    log = WriteLog(furby)
    first = {ATTR_DEVICE_ID: device_id, "input": 55, "index": 2, "subindex": 14, "specific": 0}
    second = {ATTR_DEVICE_ID: device_id, "input": 56, "index": 3, "subindex": 15, "specific": 1}
    await asyncio.gather(
        _call(hass, "trigger_action", first), _call(hass, "trigger_action", second)
    )
    # Each action is followed by its ``fe`` probe before the next action starts.
    assert log.gp() == [
        bytes.fromhex("13 00 37 02 0e 00"),
        bytes.fromhex("fe"),
        bytes.fromhex("13 00 38 03 0f 01"),
        bytes.fromhex("fe"),
    ]


async def test_call_while_disconnected_fails_after_the_connect_timeout(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    device_id: str,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """A call while the toy is out of range waits 20 s for a link, then fails translated."""
    furby.faults.go_out_of_range()
    await async_wait_until(hass, lambda: not furby_view.connected)
    call = asyncio.ensure_future(
        _call(hass, "trigger_action", {ATTR_DEVICE_ID: device_id, "action": "giggle"})
    )
    await hass.async_block_till_done()
    await async_furby_link_idle(hass)
    assert not call.done()  # waiting for a link
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=EXECUTE_CONNECT_TIMEOUT + 1))
    with pytest.raises(HomeAssistantError) as raised:
        await call
    assert raised.value.translation_key == "not_connected"
    assert furby.played_actions == []


async def test_call_while_disconnected_runs_once_the_link_is_back(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    device_id: str,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """A call made while the toy is away runs as soon as the toy is back in range."""
    furby.faults.go_out_of_range()
    await async_wait_until(hass, lambda: not furby_view.connected)
    call = asyncio.ensure_future(
        _call(hass, "trigger_action", {ATTR_DEVICE_ID: device_id, "action": "giggle"})
    )
    await hass.async_block_till_done()
    await async_furby_link_idle(hass)
    assert not call.done()
    furby.faults.come_into_range()
    # The proxy re-advertises every 10 s; the advertisement wakes the connect loop.
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=11))
    await call
    assert furby.played_actions == [(55, 2, 14, 0)]


# --------------------------------------------------------------------------- set_name


@pytest.mark.parametrize(
    ("fields", "name_id"),
    [
        ({"name": "Dah-Boh"}, 21),
        ({"name": "dah boh"}, 21),
        ({"name": "WAYTOH"}, 128),
        ({"name_id": 0}, 0),
        ({"name_id": 128}, 128),
    ],
)
async def test_set_name(
    hass: HomeAssistant,
    device_id: str,
    furby: VirtualFurby,
    fields: dict[str, Any],
    name_id: int,
) -> None:
    """set_name by name or id writes 21 NN, the toy says the name, the select shows it."""
    log = WriteLog(furby)
    await _call(hass, "set_name", {ATTR_DEVICE_ID: device_id, **fields})
    await async_furby_link_idle(hass)
    sent = log.gp()
    assert sent[0] == bytes([0x21, name_id])
    assert bytes([0x13, 0x00, 0x21, 0x00, 0x00, name_id]) in sent
    assert furby.name_id == name_id
    state = hass.states.get(entity_id(hass, "select", "name", furby.address))
    assert state is not None
    assert state.state == furby_name(name_id)


def furby_name(name_id: int) -> str:
    return load_catalog().name(name_id)


async def test_set_unknown_name_is_a_translated_error(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby
) -> None:
    """A name the catalog does not know is a translated error; nothing is sent."""
    log = WriteLog(furby)
    with pytest.raises(ServiceValidationError) as raised:
        await _call(hass, "set_name", {ATTR_DEVICE_ID: device_id, "name": "Tay-Tah"})
    assert raised.value.translation_key == "unknown_name"
    assert log.all() == []


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"name": "Dah-Boh", "name_id": 21},
        {"name_id": 129},
        {"name_id": -1},
        {"name_id": 1.5},
        {"name": ""},
    ],
)
async def test_set_name_bad_input_is_refused_by_the_schema(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby, fields: dict[str, Any]
) -> None:
    """Bad name fields are refused by the schema; nothing is sent."""
    log = WriteLog(furby)
    with pytest.raises(vol.Invalid):
        await _call(hass, "set_name", {ATTR_DEVICE_ID: device_id, **fields})
    assert log.all() == []
    assert furby.name_id is None


# --------------------------------------------------------------------------- set_mood


@pytest.mark.parametrize("meter", list(MoodMeter))
async def test_set_mood(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby, meter: MoodMeter
) -> None:
    """set_mood writes 23 01 <meter> <value> for each meter."""
    log = WriteLog(furby)
    await _call(
        hass, "set_mood", {ATTR_DEVICE_ID: device_id, "meter": meter.name.lower(), "value": 30}
    )
    await async_furby_link_idle(hass)
    assert log.gp() == [bytes([0x23, 0x01, meter, 30])]
    assert furby.moods[meter] == 30


async def test_add_mood(hass: HomeAssistant, device_id: str, furby: VirtualFurby) -> None:
    """mode add writes 23 00 and the number shows the sum."""
    await _call(hass, "set_mood", {ATTR_DEVICE_ID: device_id, "meter": "fullness", "value": 30})
    await async_furby_link_idle(hass)  # that write lands before the log starts
    log = WriteLog(furby)
    await _call(
        hass,
        "set_mood",
        {ATTR_DEVICE_ID: device_id, "meter": "Fullness", "value": 15, "mode": "add"},
    )
    await async_furby_link_idle(hass)
    assert log.gp() == [bytes([0x23, 0x00, MoodMeter.FULLNESS, 15])]
    assert furby.moods[MoodMeter.FULLNESS] == 45
    state = hass.states.get(entity_id(hass, "number", "fullness", furby.address))
    assert state is not None
    assert float(state.state) == 45


@pytest.mark.parametrize(
    "fields",
    [
        {"value": 10},
        {"meter": "grumpiness", "value": 10},
        {"meter": "wellness"},
        {"meter": "wellness", "value": 101},
        {"meter": "wellness", "value": -5},
        {"meter": "wellness", "value": 10, "mode": "multiply"},
    ],
)
async def test_set_mood_bad_input_is_refused_by_the_schema(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby, fields: dict[str, Any]
) -> None:
    """Bad mood fields are refused by the schema; nothing is sent."""
    before = dict(furby.moods)
    log = WriteLog(furby)
    with pytest.raises(vol.Invalid):
        await _call(hass, "set_mood", {ATTR_DEVICE_ID: device_id, **fields})
    assert log.all() == []
    assert furby.moods == before


# --------------------------------------------------------------------------- set_antenna


async def test_set_antenna(hass: HomeAssistant, device_id: str, furby: VirtualFurby) -> None:
    """set_antenna writes 14 RR GG BB and the light shows it."""
    log = WriteLog(furby)
    await _call(
        hass, "set_antenna", {ATTR_DEVICE_ID: device_id, "red": 255, "green": 0, "blue": 128}
    )
    await async_furby_link_idle(hass)
    assert log.gp() == [bytes.fromhex("14 ff 00 80")]
    assert furby.antenna == (255, 0, 128)
    state = hass.states.get(entity_id(hass, "light", "antenna", furby.address))
    assert state is not None
    assert state.state == "on"


@pytest.mark.parametrize(
    "fields",
    [
        {"red": 255, "green": 0},
        {"red": 256, "green": 0, "blue": 0},
        {"red": 0, "green": -1, "blue": 0},
        {"red": 0, "green": 0, "blue": "blue"},
    ],
)
async def test_set_antenna_bad_input_is_refused_by_the_schema(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby, fields: dict[str, Any]
) -> None:
    """Bad colour fields are refused by the schema; nothing is sent."""
    log = WriteLog(furby)
    with pytest.raises(vol.Invalid):
        await _call(hass, "set_antenna", {ATTR_DEVICE_ID: device_id, **fields})
    assert log.all() == []
    assert furby.antenna is None


# --------------------------------------------------------------------------- DLC slots


async def test_get_dlc_slots_returns_the_slot_table(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby
) -> None:
    """get_dlc_slots returns all 14 slots with name, length and Adler-32 and updates the sensor."""
    furby.slots.install(2, "TU000002.DLC", b"two")
    furby.slots.install(13, "TU002949.DLC", b"\x01" * 100, active=True)
    response = await _call(hass, "get_dlc_slots", {ATTR_DEVICE_ID: device_id}, response=True)
    assert response["active_slot"] == 13
    slots = response["slots"]
    assert [slot["slot"] for slot in slots] == list(range(14))
    assert slots[13] == {
        "slot": 13,
        "filled": True,
        "active": True,
        "name": "TU002949",
        "length": 100,
        "adler32": f"{furby.slots[13].adler32:08x}",
    }
    assert slots[2]["filled"] is True
    assert slots[2]["active"] is False
    assert slots[0] == {
        "slot": 0,
        "filled": False,
        "active": False,
        "name": None,
        "length": None,
        "adler32": None,
    }
    state = hass.states.get(entity_id(hass, "sensor", "active_slot", furby.address))
    assert state is not None
    assert state.state == "13"


async def test_get_dlc_slots_needs_a_response_request(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby
) -> None:
    """get_dlc_slots without asking for a response is refused before anything is sent."""
    log = WriteLog(furby)
    with pytest.raises(ServiceValidationError):
        await _call(hass, "get_dlc_slots", {ATTR_DEVICE_ID: device_id})
    assert log.all() == []


async def test_load_activate_deactivate_delete(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby
) -> None:
    """The slot actions write 60, 61, 62 and 74 and the toy's slots follow."""
    furby.slots.install(4, "TU000004.DLC", b"four")
    log = WriteLog(furby)

    await _call(hass, "load_dlc", {ATTR_DEVICE_ID: device_id, "slot": 4})
    assert log.gp()[0] == bytes.fromhex("60 04")
    assert furby.slots.loaded == 4

    log.mark()
    await _call(hass, "activate_dlc", {ATTR_DEVICE_ID: device_id})
    assert log.gp()[0] == bytes.fromhex("61")
    assert furby.slots.active == {4}
    state = hass.states.get(entity_id(hass, "sensor", "active_slot", furby.address))
    assert state is not None
    assert state.state == "4"

    log.mark()
    await _call(hass, "deactivate_dlc", {ATTR_DEVICE_ID: device_id, "slot": 4})
    assert log.gp()[0] == bytes.fromhex("62 04")
    assert furby.slots.active == frozenset()

    log.mark()
    await _call(hass, "delete_dlc", {ATTR_DEVICE_ID: device_id, "slot": 4})
    assert log.gp()[0] == bytes.fromhex("74 04")
    assert furby.slots.filled == frozenset()


@pytest.mark.parametrize("service", ["load_dlc", "deactivate_dlc", "delete_dlc"])
@pytest.mark.parametrize("slot", [14, -1, 2.5, "two", None])
async def test_slot_services_refuse_a_bad_slot(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby, service: str, slot: Any
) -> None:
    """A slot outside 0-13 or not a whole number is refused; nothing is sent."""
    log = WriteLog(furby)
    with pytest.raises(vol.Invalid):
        await _call(hass, service, {ATTR_DEVICE_ID: device_id, "slot": slot})
    assert log.all() == []


@pytest.mark.parametrize("service", ["load_dlc", "deactivate_dlc", "delete_dlc"])
async def test_slot_services_need_a_slot(
    hass: HomeAssistant, device_id: str, furby: VirtualFurby, service: str
) -> None:
    """The slot actions require a slot."""
    with pytest.raises(vol.Invalid):
        await _call(hass, service, {ATTR_DEVICE_ID: device_id})
