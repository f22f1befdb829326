"""The Furby intents as tools of the Assist LLM API, as a language-model agent sees and calls them.

Up to 2025.x the Assist API lists every intent handler as a tool named after its intent; from
2026 the ``llm`` integration asks each integration's ``llm`` platform, and the tools are named
``furby_connect__<intent>``. A conversation agent calls a tool through
``APIInstance.async_call_tool``, which records the call in the conversation trace; the tests call
tools the same way.
"""

from __future__ import annotations

import importlib
from dataclasses import fields
from typing import Any

import pytest
import voluptuous as vol
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.const import MAJOR_VERSION
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import llm
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.furby_connect.const import DOMAIN
from custom_components.furby_connect.protocol import commands
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .entity_helpers import WriteLog
from .voice_helpers import device_of, message

INTENTS = ["FurbyTriggerAction", "FurbySetAntenna", "FurbySetEyes", "FurbySayName", "FurbySetName"]


def tool_name(intent_type: str) -> str:
    """The tool name Home Assistant gives a Furby intent on this version."""
    return f"{DOMAIN}__{intent_type}" if MAJOR_VERSION >= 2026 else intent_type


def llm_context() -> llm.LLMContext:
    """The context a conversation agent passes (Assist, no satellite device)."""
    values: dict[str, Any] = {
        "platform": "test_agent",
        "context": Context(),
        "language": "en",
        "assistant": "conversation",
        "device_id": None,
    }
    if "user_prompt" in {field.name for field in fields(llm.LLMContext)}:
        values["user_prompt"] = None  # HA 2025.x only
    return llm.LLMContext(**values)


@pytest.fixture
async def assist_api(hass: HomeAssistant) -> None:
    """The integrations behind the Assist LLM API on this version."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "intent", {})
    if MAJOR_VERSION >= 2026:
        assert await async_setup_component(hass, "llm", {})
    await hass.async_block_till_done()  # the intent platforms of loaded integrations register


async def call_tool(
    hass: HomeAssistant, api: llm.APIInstance, name: str, args: dict[str, Any]
) -> dict[str, Any]:
    """Call a tool as a conversation agent does; return the data the model gets back."""
    tool_input = llm.ToolInput(tool_name=name, tool_args=args)
    result: Any = await api.async_call_tool(tool_input)
    await async_furby_link_idle(hass)
    data: dict[str, Any] = dict(getattr(result, "data", result))  # a ToolResult from 2026 on
    return data


def openapi(tool: llm.Tool, api: llm.APIInstance) -> dict[str, Any]:
    """The parameter schema as a model receives it (the converter of this version)."""
    if MAJOR_VERSION >= 2026:
        probatio = importlib.import_module("probatio")
        converted: dict[str, Any] = probatio.to_openapi(
            tool.parameters, custom_serializer=api.custom_serializer
        )
    else:
        convert = importlib.import_module("voluptuous_openapi").convert
        converted = convert(tool.parameters, custom_serializer=api.custom_serializer)
    return converted


async def test_the_tools_are_in_the_assist_api(
    hass: HomeAssistant, connected_entry: MockConfigEntry, assist_api: None
) -> None:
    """A language-model agent using Assist sees one tool per Furby intent, described."""
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, llm_context())
    tools = {tool.name: tool for tool in api.tools}
    for intent_type in INTENTS:
        assert tool_name(intent_type) in tools, sorted(tools)
        assert tools[tool_name(intent_type)].description
    trigger = tools[tool_name("FurbyTriggerAction")]
    assert "giggle" in (trigger.description or "")
    schema = openapi(trigger, api)
    assert schema["required"] == ["action"]
    assert set(schema["properties"]) == {"action", "name", "area"}
    assert "preferred_area_id" not in schema["properties"]
    assert trigger.parameters({"action": "giggle"}) == {"action": "giggle"}
    with pytest.raises(vol.Invalid):
        trigger.parameters({})


async def test_calling_the_tool_makes_the_furby_giggle(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, assist_api: None
) -> None:
    """The agent's tool call reaches the virtual Furby as the giggle action's bytes."""
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, llm_context())
    log = WriteLog(furby)
    data = await call_tool(hass, api, tool_name("FurbyTriggerAction"), {"action": "giggle"})
    assert data["response_type"] == "action_done"
    assert data["data"]["success"] == [
        {
            "name": device_of(hass, connected_entry).name,
            "type": "device",
            "id": device_of(hass, connected_entry).id,
        }
    ]
    assert log.gp()[0] == commands.trigger_action(55, 2, 14, 0)
    assert furby.played_actions == [(55, 2, 14, 0)]


async def test_the_antenna_and_eyes_tools(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, assist_api: None
) -> None:
    """The antenna and eyes tools send ``14 RR GG BB`` and ``cd 00``."""
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, llm_context())
    log = WriteLog(furby)
    await call_tool(hass, api, tool_name("FurbySetAntenna"), {"color": "purple"})
    await call_tool(hass, api, tool_name("FurbySetEyes"), {"state": "off"})
    assert log.gp() == [bytes.fromhex("14 80 00 80"), bytes.fromhex("cd 00")]


async def test_an_unknown_colour_comes_back_as_an_error_and_nothing_is_sent(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, assist_api: None
) -> None:
    """The model gets an error response with the translated message to pass on; no write."""
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, llm_context())
    log = WriteLog(furby)
    data = await call_tool(hass, api, tool_name("FurbySetAntenna"), {"color": "sparkly"})
    assert data["response_type"] == "error"
    assert data["data"]["code"] == "failed_to_handle"
    assert data["speech"]["plain"]["speech"] == message("intent_unknown_color", color="sparkly")
    assert log.all() == []


async def test_without_an_exposed_furby_the_agent_cannot_reach_it(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, assist_api: None
) -> None:
    """Unexposing every Furby entity removes the tools (2026) or makes them refuse (2025.x)."""
    device = device_of(hass, connected_entry)
    for entry in er.async_entries_for_device(er.async_get(hass), device.id):
        async_expose_entity(hass, "conversation", entry.entity_id, False)
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, llm_context())
    names = {tool.name for tool in api.tools}
    if MAJOR_VERSION >= 2026:
        assert not any(name.startswith(f"{DOMAIN}__") for name in names)
        return
    data = await call_tool(hass, api, tool_name("FurbyTriggerAction"), {"action": "giggle"})
    assert data["data"]["code"] == "no_valid_targets"
    assert furby.played_actions == []
