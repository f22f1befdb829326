"""Every translation key the integration uses is in ``translations/en.json``; none is unused.

hassfest cannot run here, and it does not check unused keys anyway. The code side is read from
the source (``tests/metadata_helpers.py``: flow step ids, errors and abort reasons, exception keys
raised, literals) and from Home Assistant at run time (the entities a Furby gets, its device
triggers), so new code is covered without editing this file.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from homeassistant.components.device_automation import (
    DeviceAutomationType,
    async_get_device_automations,
)
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.furby_connect.protocol.transfer_slots import TransferFailure
from tests.metadata_helpers import (
    DOMAIN,
    SERVICES_YAML,
    TRANSLATIONS,
    CodeScan,
    async_load_furby,
    furby_entities,
    service_fields,
    service_sections,
)
from virtual_furby.toy import VirtualFurby

SCAN = CodeScan.of_integration()
SECTIONS = {
    "title",
    "config",
    "options",
    "exceptions",
    "entity",
    "selector",
    "services",
    "device_automation",
    "issues",
    "device",
}
"""The sections a custom integration's translations may have."""


def _platform_attributes(domain: str) -> set[str]:
    """The state attributes an entity platform of Home Assistant defines (``ATTR_*``)."""
    module = importlib.import_module(f"homeassistant.components.{domain}")
    return {
        value
        for name, value in vars(module).items()
        if name.startswith("ATTR_") and isinstance(value, str)
    }


def test_only_known_sections() -> None:
    """Nothing sits in a section Home Assistant does not read."""
    assert set(TRANSLATIONS) <= SECTIONS


@pytest.mark.parametrize("kind", ["config", "options"])
def test_flow_steps_errors_and_aborts_match_the_code(kind: str) -> None:
    """Each step id, error and abort reason the flows use is translated, and only those."""
    flow = getattr(SCAN, kind)
    tree: dict[str, Any] = TRANSLATIONS.get(kind, {})
    assert set(tree.get("step", {})) == flow.steps
    assert set(tree.get("error", {})) == flow.errors
    assert set(tree.get("abort", {})) == flow.aborts
    for step_id, step in tree.get("step", {}).items():
        data = set(step.get("data", {}))
        assert data <= SCAN.literals, f"{kind}.step.{step_id}.data: no such field in the code"
        assert set(step.get("data_description", {})) <= data, step_id
    assert ("flow_title" in tree) is flow.title_placeholders


def test_every_exception_key_raised_is_translated() -> None:
    """Each literal key the code raises a translated error with has a message."""
    assert SCAN.exception_keys
    assert SCAN.exception_keys <= set(TRANSLATIONS["exceptions"])


@pytest.mark.parametrize("key", sorted(TRANSLATIONS["exceptions"]))
def test_every_exception_message_is_used(key: str) -> None:
    """Each message belongs to a key the code raises, passes on, or builds from a prefix."""
    assert key in SCAN.exception_keys or SCAN.builds_key(key), f"exceptions.{key} is unused"


def test_issue_translations_are_used() -> None:
    """Each repair issue text belongs to a ``translation_key`` the code passes."""
    assert set(TRANSLATIONS.get("issues", {})) <= SCAN.translation_key_literals


def test_services_and_selectors_match_services_yaml() -> None:
    """Services, their fields (in sections too), their sections and the translated select
    selectors' options are those of services.yaml."""
    assert set(TRANSLATIONS["services"]) == set(SERVICES_YAML)
    selectors: dict[str, set[str]] = {}
    for name, service in SERVICES_YAML.items():
        fields = service_fields(service)
        assert set(TRANSLATIONS["services"][name].get("fields", {})) == set(fields), name
        sections = TRANSLATIONS["services"][name].get("sections", {})
        assert set(sections) == set(service_sections(service)), name
        assert all(section.get("name") for section in sections.values()), name
        for spec in fields.values():
            select = (spec.get("selector") or {}).get("select") or {}
            if "translation_key" in select:
                options = {o["value"] if isinstance(o, dict) else o for o in select["options"]}
                selectors[select["translation_key"]] = options
    assert set(TRANSLATIONS.get("selector", {})) == set(selectors)
    for key, options in selectors.items():
        assert set(TRANSLATIONS["selector"][key]["options"]) == options, key


async def test_entity_translations_match_a_furbys_entities(
    hass: HomeAssistant, furby: VirtualFurby
) -> None:
    """Each entity translation key belongs to an entity a Furby gets, and each of those entities
    is translated; state names are the entity's possible states."""
    entry = await async_load_furby(hass, furby.address)
    entities = [entity for entity in furby_entities(hass, entry) if entity.translation_key]
    assert {(entity.domain, entity.translation_key) for entity in entities} == {
        (platform, key) for platform, keys in TRANSLATIONS["entity"].items() for key in keys
    }
    for entity in entities:
        assert entity.translation_key is not None
        texts = TRANSLATIONS["entity"][entity.domain][entity.translation_key]
        state = hass.states.get(entity.entity_id)
        attributes = dict(state.attributes) if state is not None else {}
        if "state" in texts:
            assert set(texts["state"]) == set(attributes["options"]), entity.entity_id
        for attribute, attribute_texts in texts.get("state_attributes", {}).items():
            in_code = SCAN.literals | SCAN.identifiers
            known = attribute in in_code | _platform_attributes(entity.domain)
            assert known, (entity.entity_id, attribute)
            states = set(attribute_texts.get("state", {}))
            if attribute == "event_type":
                assert states == set(attributes["event_types"]), entity.entity_id
            else:
                assert states <= SCAN.literals, (entity.entity_id, attribute)


async def test_device_trigger_translations_match_the_triggers(
    hass: HomeAssistant, furby: VirtualFurby, hass_ws_client: WebSocketGenerator
) -> None:
    """Each device trigger type and extra field has a text, and every text is a trigger's."""
    entry = await async_load_furby(hass, furby.address)
    device_id = next(entity.device_id for entity in furby_entities(hass, entry))
    assert device_id is not None
    listed = await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, [device_id])
    triggers = [trigger for trigger in listed[device_id] if trigger["domain"] == DOMAIN]
    texts = TRANSLATIONS["device_automation"]
    assert set(texts["trigger_type"]) == {trigger["type"] for trigger in triggers}
    assert await async_setup_component(hass, "device_automation", {})
    client = await hass_ws_client(hass)
    extra_fields: set[str] = set()
    for number, trigger in enumerate(triggers, start=1):
        config = {key: value for key, value in trigger.items() if key != "metadata"}
        await client.send_json(
            {"id": number, "type": "device_automation/trigger/capabilities", "trigger": config}
        )
        reply = await client.receive_json()
        assert reply["success"], reply
        extra_fields |= {field["name"] for field in reply["result"].get("extra_fields", [])}
    assert set(texts.get("extra_fields", {})) == extra_fields


def _texts(tree: Any, path: str = "") -> list[tuple[str, str]]:
    """Every text of a translation tree as (dotted key, text)."""
    if isinstance(tree, dict):
        return [pair for key, value in tree.items() for pair in _texts(value, f"{path}.{key}")]
    return [(path.lstrip("."), str(tree))]


TEXTS = _texts(TRANSLATIONS)
RAW_HEX = re.compile(r"\b0x[0-9a-f]+\b|\b[0-9a-f]{2}(?: [0-9a-f]{2})+\b", re.IGNORECASE)
"""A protocol code as bytes (``24 06``, ``0x24``)."""
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
"""An identifier such as ``toy_timeout`` (a reason key, a field name)."""
USER_TYPED = {"allowlist_external_dirs"}
"""snake_case names a user types in configuration.yaml, so a text may name them."""
OTHER_WORDS = {
    r"\btoys?\b": "Furby",
    r"\blinks?\b": "connection",
    r"\bcolours?\b": "color",
    r"\bid\b": "ID",
}
"""Words the texts do not use, and the word they use instead (one vocabulary)."""


def _without_placeholders(text: str) -> str:
    return re.sub(r"\{[^}]*\}", "", text)


def test_every_translation_key_in_the_code_has_a_text() -> None:
    """Each ``translation_key="..."`` literal in the integration's Python is the key of a text
    (an error message, an entity, a selector or a repair issue)."""
    known = set(TRANSLATIONS["exceptions"]) | set(TRANSLATIONS.get("issues", {}))
    known |= set(TRANSLATIONS.get("selector", {}))
    known |= {key for platform in TRANSLATIONS["entity"].values() for key in platform}
    assert SCAN.translation_key_literals
    missing = SCAN.translation_key_literals - known
    assert not missing, f"translation keys without a text: {sorted(missing)}"


@pytest.mark.parametrize("failure", list(TransferFailure), ids=str)
def test_every_upload_failure_has_a_message_and_a_state_name(failure: TransferFailure) -> None:
    """Each way an upload can fail has its message (``upload_<reason>``) and a name for the
    upload sensor's error attribute, so a failure never shows a bare key."""
    assert f"upload_{failure}" in TRANSLATIONS["exceptions"]
    errors = TRANSLATIONS["entity"]["sensor"]["upload_progress"]["state_attributes"]["error"]
    assert str(failure) in errors["state"]


@pytest.mark.parametrize(("key", "text"), TEXTS, ids=[key for key, _text in TEXTS])
def test_no_text_carries_a_hex_code_or_an_internal_key(key: str, text: str) -> None:
    """Texts speak the user's words: no protocol bytes, no snake_case reason keys or fields
    (except options typed in configuration.yaml), and one vocabulary."""
    plain = _without_placeholders(text)
    assert not RAW_HEX.search(plain), f"{key}: {text}"
    assert set(SNAKE_CASE.findall(plain)) <= USER_TYPED, f"{key}: {text}"
    for pattern, instead in OTHER_WORDS.items():
        assert not re.search(pattern, plain), f"{key}: say {instead!r}: {text}"


@pytest.mark.parametrize(
    ("text", "fails"),
    [
        ("The Furby reported 24 06.", True),
        ("Opcode 0x23 refused.", True),
        ("Failed (toy_timeout).", True),
        ("The toy is asleep.", True),
        ("The link dropped.", True),
        ("Pick a colour.", True),
        ("Give its id.", True),
        ("Add it to allowlist_external_dirs, a code such as 55/2/14/0, {upload_id}.", False),
    ],
)
def test_the_text_rules_catch_what_they_should(text: str, fails: bool) -> None:
    """The rules above fail on hex codes, reason keys and the other vocabulary (so they can
    fail), and pass an allowed configuration name, an action code and placeholders."""
    try:
        test_no_text_carries_a_hex_code_or_an_internal_key("example", text)
    except AssertionError:
        assert fails, text
    else:
        assert not fails, text
