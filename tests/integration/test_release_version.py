"""The manifest's version is what Home Assistant's diagnostics report for the integration."""

from __future__ import annotations

import json
from http import HTTPStatus

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.furby_connect.const import DOMAIN

from .voice_helpers import ROOT

MANIFEST = json.loads((ROOT / "custom_components" / DOMAIN / "manifest.json").read_text("utf-8"))


async def test_diagnostics_report_the_manifest_version(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, setup_entry: MockConfigEntry
) -> None:
    """A downloaded diagnostics file names the version of manifest.json, the one source."""
    assert await async_setup_component(hass, "diagnostics", {})
    client = await hass_client()
    response = await client.get(f"/api/diagnostics/config_entry/{setup_entry.entry_id}")
    assert response.status == HTTPStatus.OK
    payload = await response.json()
    assert payload["integration_manifest"]["version"] == MANIFEST["version"]
    assert payload["custom_components"][DOMAIN]["version"] == MANIFEST["version"]
