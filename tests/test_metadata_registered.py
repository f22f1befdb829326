"""services.yaml and icons.json against what Home Assistant actually registers (hassfest rules).

hassfest compares services.yaml with the code by reading it; here the integration is set up and
the registered services, their schemas and a Furby's entities are compared with the files.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component

from tests.metadata_helpers import (
    DOMAIN,
    ICONS,
    SERVICES_YAML,
    async_load_furby,
    furby_entities,
    schema_keys,
    service_fields,
)
from virtual_furby.toy import VirtualFurby

ON_OFF = {"on", "off"}


async def test_services_yaml_describes_exactly_the_registered_services(
    hass: HomeAssistant,
) -> None:
    """Each registered service is in services.yaml with exactly the fields its schema takes."""
    assert await async_setup_component(hass, DOMAIN, {})
    registered = hass.services.async_services_for_domain(DOMAIN)
    assert registered
    assert set(registered) == set(SERVICES_YAML)
    for name, service in registered.items():
        fields = set(service_fields(SERVICES_YAML[name]))
        assert fields == schema_keys(service.schema), name


def test_schema_keys_reads_nested_schemas() -> None:
    """The field reader sees through ``All`` and markers (so the check above can fail)."""
    import voluptuous as vol  # noqa: PLC0415

    schema = vol.All(vol.Schema({vol.Required("a"): int, vol.Exclusive("b", "x"): str}), dict)
    assert schema_keys(schema) == {"a", "b"}
    assert schema_keys(None) == set()


async def test_icons_match_the_services_and_a_furbys_entities(
    hass: HomeAssistant, furby: VirtualFurby
) -> None:
    """Every service has an icon; every entity icon belongs to an entity a Furby gets, and its
    state icons to states that entity can have."""
    entry = await async_load_furby(hass, furby.address)
    assert set(ICONS["services"]) == set(hass.services.async_services_for_domain(DOMAIN))
    entities = {
        (entity.domain, entity.translation_key): entity.entity_id
        for entity in furby_entities(hass, entry)
        if entity.translation_key
    }
    for platform, keys in ICONS["entity"].items():
        for key, icon in keys.items():
            assert (platform, key) in entities, f"icons.json: no {platform} entity {key}"
            state = hass.states.get(entities[(platform, key)])
            attributes = dict(state.attributes) if state is not None else {}
            possible = set(attributes.get("options") or ON_OFF)
            assert set(icon.get("state", {})) <= possible, (platform, key)
            for attribute, spec in icon.get("state_attributes", {}).items():
                if attribute == "event_type":
                    assert set(spec["state"]) <= set(attributes["event_types"]), key
