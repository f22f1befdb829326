"""The automation example of README.md, loaded as written into Home Assistant's automations.

The YAML between the ``automation-example`` markers of README.md is read from the file, so the
example a user copies is the one tested: it must fire once per tail pull (also when the same
touch repeats) and never when the Furby merely comes back after a lost connection.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import parse_yaml
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from virtual_furby.toy import VirtualFurby

from .conftest import async_wait_until
from .entity_helpers import FurbyView

README = Path(__file__).parents[2] / "README.md"
EXAMPLE = re.compile(
    r"<!-- automation-example:start -->\s*```yaml\n(.*?)```\s*<!-- automation-example:end -->",
    re.DOTALL,
)
GIGGLE = (55, 2, 14, 0)


def readme_example() -> dict[str, Any]:
    """The automation example exactly as README.md shows it."""
    found = EXAMPLE.search(README.read_text(encoding="utf-8"))
    assert found is not None, "README.md has no automation example between the markers"
    config = parse_yaml(found.group(1))
    assert isinstance(config, dict)
    return config


def test_the_example_names_the_entity_as_home_assistant_does(
    hass: HomeAssistant, furby_view: FurbyView
) -> None:
    """The example's entity ID is the style Home Assistant gives a Furby's event entity."""
    assert readme_example()["triggers"][0]["entity_id"] == "event.furby_89ab_interaction"


async def test_the_readme_automation_fires_once_per_pull_and_not_on_a_reconnect(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """Two tail pulls (the same event type twice) make the Furby giggle twice; a lost and
    restored connection with no touch does not run the automation."""
    assert furby_view.entity_id("event", "interaction") == "event.furby_89ab_interaction"
    runs = async_capture_events(hass, "automation_triggered")
    assert await async_setup_component(hass, "automation", {"automation": [readme_example()]})
    await hass.async_block_till_done()

    def giggles() -> int:
        return furby.played_actions.count(GIGGLE)

    furby.press("tail_pull")
    await async_wait_until(hass, lambda: giggles() == 1)
    furby.release("tail_pull")
    furby.press("tickle_tummy")  # another touch: no giggle (the condition)
    furby.release("tickle_tummy")
    furby.press("tail_pull")
    await async_wait_until(hass, lambda: giggles() == 2)
    assert len(runs) == 2

    furby.drop_connection()
    await async_wait_until(hass, lambda: not furby_view.connected)
    assert furby_view.state("event", "interaction").state == STATE_UNAVAILABLE
    # A command waits for the reconnect (and cuts the connect loop's pause short).
    await furby_view.call("set_antenna", {"red": 1, "green": 1, "blue": 1})
    await async_wait_until(hass, lambda: furby_view.connected)
    state = furby_view.state("event", "interaction").state
    assert state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)
    await hass.async_block_till_done()

    assert len(runs) == 2
    assert giggles() == 2
