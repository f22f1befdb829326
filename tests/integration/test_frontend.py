"""Serving the card: the static path, its versioned URL, the Lovelace resource.

The version in the URL is the one in ``manifest.json``, read here from the file itself. The
resource is checked the way the frontend reads it (``lovelace/resources`` over the websocket).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from .conftest import async_setup, make_entry
from .ws_helpers import WsSession

INTEGRATION = Path(__file__).parents[2] / "custom_components" / "furby_connect"
CARD = INTEGRATION / "frontend" / "furby-connect-card.js"
VERSION = json.loads((INTEGRATION / "manifest.json").read_text())["version"]
CARD_PATH = "/furby_connect_frontend/furby-connect-card.js"
CARD_URL = f"{CARD_PATH}?v={VERSION}"


async def _resources(hass: HomeAssistant, hass_ws_client: WebSocketGenerator) -> list[Any]:
    ws = WsSession(await hass_ws_client(hass))
    result = await ws.command({"type": "lovelace/resources"})
    assert result["success"], result
    return list(result["result"])


async def test_the_card_is_served_with_cache_headers(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """The committed bundle is served at the versioned URL, without login (as Lovelace loads
    resources), as JavaScript with a long cache lifetime.
    """
    client = await hass_client_no_auth()
    response = await client.get(CARD_URL)
    assert response.status == 200
    assert await response.read() == CARD.read_bytes()
    assert "javascript" in response.headers["Content-Type"]
    assert "max-age=" in response.headers["Cache-Control"]
    assert (await client.get("/furby_connect_frontend/nothing.js")).status == 404


async def test_a_storage_dashboard_gets_the_card_as_a_resource_once(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The card becomes one ``module`` resource at the versioned URL; reloading the entry
    registers nothing twice (no second route error, still one resource).
    """
    resources = await _resources(hass, hass_ws_client)
    assert [(r["type"], r["url"]) for r in resources] == [("module", CARD_URL)]
    for _ in range(2):
        assert await hass.config_entries.async_reload(setup_entry.entry_id)
        await hass.async_block_till_done()
    resources = await _resources(hass, hass_ws_client)
    assert [(r["type"], r["url"]) for r in resources] == [("module", CARD_URL)]
    assert "already registered" not in caplog.text


async def test_an_older_card_resource_is_moved_to_the_current_version(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    furby_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """A resource left by an earlier version now loads the current URL; other resources are
    kept as they are and no second card resource appears.
    """
    hass_storage["lovelace_resources"] = {
        "version": 1,
        "key": "lovelace_resources",
        "data": {
            "items": [
                {"id": "old", "type": "module", "url": f"{CARD_PATH}?v=0.0.1"},
                {"id": "theirs", "type": "module", "url": "/local/other-card.js"},
            ]
        },
    }
    await async_setup(hass, furby_entry)
    resources = await _resources(hass, hass_ws_client)
    assert sorted((r["id"], r["url"]) for r in resources) == [
        ("old", CARD_URL),
        ("theirs", "/local/other-card.js"),
    ]


def _entry_without_toy(hass: HomeAssistant) -> MockConfigEntry:
    """An entry whose toy is away: no discovery sets Lovelace up before the test does."""
    entry = make_entry("F1:23:45:67:89:AB")
    entry.add_to_hass(hass)
    return entry


async def test_yaml_dashboards_are_told_what_to_add(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """With dashboards in YAML mode nothing can be added: the log says which resource line
    to add, once; the card is still served.
    """
    assert await async_setup_component(hass, "lovelace", {"lovelace": {"mode": "yaml"}})
    entry = _entry_without_toy(hass)
    await async_setup(hass, entry)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    lines = [r.getMessage() for r in caplog.records if "YAML mode" in r.getMessage()]
    assert len(lines) == 1
    assert CARD_URL in lines[0]
    assert "type: module" in lines[0]
    assert (await (await hass_client_no_auth()).get(CARD_URL)).status == 200


async def test_yaml_dashboards_that_list_the_card_hear_nothing(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """A YAML configuration that already loads the current card gets no warning."""
    config = {"lovelace": {"mode": "yaml", "resources": [{"url": CARD_URL, "type": "module"}]}}
    assert await async_setup_component(hass, "lovelace", config)
    await async_setup(hass, _entry_without_toy(hass))
    assert "YAML mode" not in caplog.text


async def test_two_furbies_share_one_registration(
    hass: HomeAssistant,
    furby_factory: Any,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Several entries set up: the card is still one resource."""
    for address in ("F1:23:45:67:89:AB", "F1:23:45:67:89:AC"):
        furby_factory(address)
        entry = make_entry(address)
        entry.add_to_hass(hass)
        await async_setup(hass, entry)
    resources = await _resources(hass, hass_ws_client)
    assert [r["url"] for r in resources] == [CARD_URL]
