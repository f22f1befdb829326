"""The two automation blueprints, loaded and run by Home Assistant's blueprint integration.

They are copied where Home Assistant keeps imported blueprints
(``<config>/blueprints/automation/furby_connect/``), listed through the ``blueprint/list``
websocket command, and used by automations that act on the virtual Furby.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.yaml import Input, load_yaml_dict
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from tests.versions import oldest_pinned_version
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .voice_helpers import (
    BLUEPRINTS,
    ROOT,
    BusRecorder,
    device_of,
    install_blueprints,
    use_config_dir,
)

REACT = "furby_connect/react_to_interaction.yaml"
SCHEDULE = "furby_connect/play_sequence_at_time.yaml"
GIGGLE = (55, 2, 14, 0)
HICCUP = (16, 0, 0, 0)
REPOSITORY = "https://github.com/furby-connect/furby_connect"
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@pytest.fixture
def blueprint_dir(hass: HomeAssistant, tmp_path: Path) -> Path:
    """A config folder holding the repository's blueprints, as after an import."""
    use_config_dir(hass, tmp_path)
    return install_blueprints(tmp_path)


async def _automations(hass: HomeAssistant, *configs: dict[str, Any]) -> None:
    assert await async_setup_component(hass, "automation", {"automation": list(configs)})
    await hass.async_block_till_done()


def _use(path: str, alias: str, **inputs: Any) -> dict[str, Any]:
    return {"alias": alias, "use_blueprint": {"path": path, "input": inputs}}


async def test_both_blueprints_load_and_validate(
    hass: HomeAssistant, blueprint_dir: Path, hass_ws_client: WebSocketGenerator
) -> None:
    """Home Assistant's blueprint integration lists both, with no error and their inputs."""
    assert await async_setup_component(hass, "automation", {})
    client = await hass_ws_client(hass)
    await client.send_json({"id": 1, "type": "blueprint/list", "domain": "automation"})
    reply = await client.receive_json()
    assert reply["success"], reply
    listed = reply["result"]
    assert "error" not in listed[REACT], listed[REACT]
    assert "error" not in listed[SCHEDULE], listed[SCHEDULE]
    assert set(listed[REACT]["metadata"]["input"]) == {
        "furby",
        "interaction",
        "reaction",
        "more_actions",
    }
    assert set(listed[SCHEDULE]["metadata"]["input"]) == {"furby", "time", "weekdays", "steps"}


async def test_react_blueprint_plays_the_chosen_action(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, blueprint_dir: Path
) -> None:
    """Pulling the tail plays the chosen catalog action, then the extra actions run."""
    device = device_of(hass, connected_entry)
    done = BusRecorder(hass, "furby_test_reacted")
    await _automations(
        hass,
        _use(
            REACT,
            "react",
            furby=device.id,
            interaction="tail_pull",
            reaction="hiccup",
            more_actions=[{"event": "furby_test_reacted"}],
        ),
    )
    state = hass.states.get("automation.react")
    assert state is not None
    assert state.state == STATE_ON

    furby.press("tongue")  # another interaction: no reaction
    furby.release("tongue")
    furby.press("tail_pull")
    await done.wait_for(1)
    assert furby.played_actions == [HICCUP]


async def test_react_blueprint_defaults_to_a_giggle_on_the_tongue(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, blueprint_dir: Path
) -> None:
    """Only the Furby is required: the defaults giggle when the tongue is pushed."""
    device = device_of(hass, connected_entry)
    await _automations(hass, _use(REACT, "react", furby=device.id))
    furby.press("tongue")
    await async_furby_link_idle(hass)
    await hass.async_block_till_done()
    assert furby.played_actions == [GIGGLE]


@pytest.mark.parametrize(
    ("inputs", "valid"),
    [
        ({"furby": None}, False),  # no Furby
        ({"interaction": "nose"}, False),
        ({"reaction": "dance wildly"}, True),  # refused by the action when it runs
        ({"reaction": ""}, True),
    ],
)
async def test_react_blueprint_with_bad_input_sends_nothing(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    blueprint_dir: Path,
    inputs: dict[str, Any],
    valid: bool,
) -> None:
    """A missing or invalid input leaves the automation unavailable; an unknown reaction is
    refused by ``furby_connect.trigger_action`` when it runs. Either way nothing is sent."""
    device = device_of(hass, connected_entry)
    given = {"furby": device.id, **inputs}
    chosen = {key: value for key, value in given.items() if value is not None}
    await _automations(hass, _use(REACT, "react", **chosen))
    state = hass.states.get("automation.react")
    assert state is not None
    assert (state.state == STATE_ON) is valid
    furby.press("tongue")
    await async_furby_link_idle(hass)
    await hass.async_block_till_done()
    state = hass.states.get("automation.react")
    assert state is not None
    assert (state.attributes.get("last_triggered") is not None) is valid
    assert furby.played_actions == []


async def test_schedule_blueprint_plays_the_sequence_on_the_chosen_days(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    blueprint_dir: Path,
    freezer: FrozenDateTimeFactory,
) -> None:
    """At the time, the automation for today plays its steps; the one for other days does not."""
    device = device_of(hass, connected_entry)
    now = dt_util.now()
    at = now.replace(hour=7, minute=30, second=0, microsecond=0)
    if at <= now:
        at += timedelta(days=1)
    today = WEEKDAYS[at.weekday()]
    steps = [
        {"action": "giggle", "delay": 0},
        {"input": 16, "index": 0, "subindex": 0, "specific": 0},
    ]
    await _automations(
        hass,
        _use(SCHEDULE, "today", furby=device.id, time="07:30:00", weekdays=[today], steps=steps),
        _use(
            SCHEDULE,
            "other days",
            furby=device.id,
            time="07:30:00",
            weekdays=[day for day in WEEKDAYS if day != today],
            steps=[{"action": "puke"}],
        ),
    )
    await _fire_at(hass, freezer, at - timedelta(seconds=1))
    assert furby.played_actions == []

    await _fire_at(hass, freezer, at)
    assert furby.played_actions == [GIGGLE, HICCUP]
    # Stop the automations: their time triggers have already scheduled tomorrow's run.
    await hass.services.async_call("automation", "turn_off", {"entity_id": "all"}, blocking=True)


async def _fire_at(hass: HomeAssistant, freezer: FrozenDateTimeFactory, when: datetime) -> None:
    """Move Home Assistant's clock to ``when`` and let every run (and sequence) finish."""
    freezer.move_to(when)
    async_fire_time_changed(hass, when)
    await async_furby_link_idle(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def test_readme_links_each_blueprint_for_import() -> None:
    """README offers each blueprint through Home Assistant's import link, and each file names
    the URL it is imported from."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in sorted(BLUEPRINTS.glob("*.yaml")):
        relative = path.relative_to(ROOT).as_posix()
        url = f"{REPOSITORY}/blob/main/{relative}"
        import_link = (
            "https://my.home-assistant.io/redirect/blueprint_import/?blueprint_url="
            + quote(url, safe="")
        )
        assert import_link in readme, relative
        metadata = load_yaml_dict(str(path))["blueprint"]
        assert metadata["source_url"] == url
        assert metadata["domain"] == "automation"
        assert metadata["homeassistant"]["min_version"] == oldest_pinned_version()


def test_blueprint_inputs_are_all_used() -> None:
    """Every declared input is used by the automation, and every ``!input`` is declared."""
    for path in sorted(BLUEPRINTS.glob("*.yaml")):
        data = load_yaml_dict(str(path))
        declared = set(data["blueprint"]["input"])
        used = {
            node.name
            for node in _walk({key: value for key, value in data.items() if key != "blueprint"})
            if isinstance(node, Input)
        }
        assert used == declared, path.name


def _walk(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [item for value in node.values() for item in _walk(value)]
    if isinstance(node, list):
        return [item for value in node for item in _walk(value)]
    return [node]
