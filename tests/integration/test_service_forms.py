"""The action forms (services.yaml) load in Home Assistant, and what they send is accepted.

Home Assistant validates services.yaml's selectors and sections when it describes the actions
(``async_get_all_descriptions``); a file it cannot read is logged and left out. These tests run
on both supported versions, so a selector one of them does not know fails here. The lists the
forms offer (actions, names) come from the catalog, and the values the pickers produce (the
color picker's ``color_rgb``, the file selector's ``file``) are accepted by the actions.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
import voluptuous as vol
from homeassistant.core import HomeAssistant
from homeassistant.helpers import selector
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.furby_connect.const import DOMAIN
from custom_components.furby_connect.protocol.catalog import load_catalog
from tests.metadata_helpers import SERVICES_YAML, service_fields, service_sections
from tests.protocol.dlc_factory import build_dlc
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.slots import SlotState
from virtual_furby.toy import VirtualFurby

from .entity_helpers import FurbyView, WriteLog
from .upload_helpers import announces, async_upload_end

SECTION_KEYS = {"collapsed", "fields"}
"""What a section of services.yaml holds (hassfest's section schema)."""


def _select_options(service: str, field: str) -> list[Any]:
    options: list[Any] = service_fields(SERVICES_YAML[service])[field]["selector"]["select"][
        "options"
    ]
    return options


async def test_home_assistant_describes_every_action_with_its_sections_and_selectors(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """services.yaml loads without an error on this Home Assistant version: every action is
    described with its fields and sections, every selector is one this version validates,
    and sections hold only ``collapsed`` and ``fields``."""
    caplog.set_level(logging.WARNING)
    assert await async_setup_component(hass, DOMAIN, {})
    described = (await async_get_all_descriptions(hass))[DOMAIN]
    assert set(described) == set(SERVICES_YAML)
    for name, service in SERVICES_YAML.items():
        fields = described[name]["fields"]
        assert set(fields) == set(service["fields"]), name
        for section, spec in service_sections(service).items():
            assert set(fields[section]["fields"]) == set(spec["fields"]), (name, section)
            assert set(spec) <= SECTION_KEYS, (name, section)
            assert spec["collapsed"] is True, (name, section)
        for field, spec in service_fields(service).items():
            selector.validate_selector(spec["selector"])  # raises on an unknown config key
            assert field not in service_sections(service)
    assert "services.yaml" not in caplog.text


def test_the_action_list_offers_catalog_actions_under_their_catalog_labels() -> None:
    """Every action the form offers is one the service resolves to exactly the labelled action
    (the value is what the service receives, the label the catalog's description and code)."""
    catalog = load_catalog()
    options = _select_options("trigger_action", "action")
    assert len(options) >= 30
    for option in options:
        found = catalog.find(option["value"])
        assert found is not None, option
        assert found.label == option["label"], option
    assert len({option["value"] for option in options}) == len(options)
    select = service_fields(SERVICES_YAML["trigger_action"])["action"]["selector"]["select"]
    assert select["custom_value"] is True


def test_the_name_list_is_the_catalogs_129_names() -> None:
    """The name form offers all 129 names in ID order, and still takes free text."""
    assert _select_options("set_name", "name") == list(load_catalog().names)
    assert len(load_catalog().names) == 129
    select = service_fields(SERVICES_YAML["set_name"])["name"]["selector"]["select"]
    assert select["custom_value"] is True


async def test_an_action_code_from_the_form_plays_that_action(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    furby: VirtualFurby,
) -> None:
    """A code typed into the action field (``56/3/15/1``) and a listed name both play."""
    await furby_view.call("trigger_action", {"action": "56/3/15/1"})
    await furby_view.call("trigger_action", {"action": "beatboxing"})
    assert furby.played_actions == [(56, 3, 15, 1), (17, 0, 0, 5)]


async def test_set_antenna_takes_the_color_pickers_value(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    furby: VirtualFurby,
) -> None:
    """``color_rgb`` (what the color picker gives) sets the antenna like the three numbers."""
    log = WriteLog(furby)
    await furby_view.call("set_antenna", {"color_rgb": [255, 136, 0]})
    await async_furby_link_idle(hass)
    assert log.gp() == [bytes.fromhex("14 ff 88 00")]
    assert furby.antenna == (255, 136, 0)
    assert furby_view.state("light", "antenna").attributes["rgb_color"] == (255, 136, 0)


@pytest.mark.parametrize(
    "fields",
    [
        {"color_rgb": [255, 0]},  # two numbers
        {"color_rgb": [255, 0, 0, 0]},  # four
        {"color_rgb": [256, 0, 0]},  # out of range
        {"color_rgb": [0, -1, 0]},
        {"color_rgb": ["red", 0, 0]},
        {"color_rgb": "red"},
        {"color_rgb": [1.5, 0, 0]},
        {"color_rgb": [1, 2, 3], "red": 1},  # both forms
        {},  # neither
        {"green": 1, "blue": 2},  # numbers incomplete
    ],
)
async def test_set_antenna_bad_color_is_refused_by_the_schema(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    furby: VirtualFurby,
    fields: dict[str, Any],
) -> None:
    """A malformed ``color_rgb``, both forms at once or neither is refused; nothing is sent."""
    log = WriteLog(furby)
    with pytest.raises(vol.Invalid):
        await furby_view.call("set_antenna", fields)
    assert log.all() == []
    assert furby.antenna is None


async def _post_file(
    hass: HomeAssistant, client_factory: ClientSessionGenerator, source: Path, temp: Path
) -> str:
    """Upload ``source`` through ``/api/file_upload`` as the form's file picker does."""
    assert await async_setup_component(hass, "file_upload", {})
    client = await client_factory()
    # file_upload keeps its files in one fixed folder under the temp dir, which it wipes when
    # it first stores a file and at stop; a private temp dir keeps other test runs out of it.
    with (
        patch("homeassistant.components.file_upload.tempfile.gettempdir", return_value=str(temp)),
        source.open("rb") as file,
    ):
        posted = await client.post("/api/file_upload", data={"file": file})
    assert posted.status == 200
    file_id: str = (await posted.json())["file_id"]
    return file_id


async def test_upload_dlc_takes_the_file_pickers_value(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    hass_client: ClientSessionGenerator,
    tmp_path: Path,
) -> None:
    """The form's ``file`` field (the file selector's upload ID) uploads that file."""
    data = build_dlc(1_200, seed=5)
    source = tmp_path / "picked.dlc"
    source.write_bytes(data)
    temp = tmp_path / "temp"
    temp.mkdir()
    file_id = await _post_file(hass, hass_client, source, temp)

    await furby_view.call("upload_dlc", {"file": file_id})
    status = await async_upload_end(hass, furby_view)

    assert (status["phase"], status["filename"]) == ("done", "__PICKED.DLC")
    assert furby.slots[13].length == len(data)
    assert furby.slots[13].state is SlotState.ACTIVE


@pytest.mark.parametrize(
    "data",
    [
        {"file": "abc", "path": "/media/a.dlc"},
        {"file": "abc", "file_id": "abc"},
        {"file": ""},
        {"file": ["a", "b"]},
    ],
)
async def test_upload_dlc_refuses_a_file_with_another_source(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    data: dict[str, Any],
) -> None:
    """``file`` is one of the three sources: with another, empty or not text it is refused."""
    with pytest.raises(vol.Invalid):
        await furby_view.call("upload_dlc", data)
    assert announces(furby) == []
