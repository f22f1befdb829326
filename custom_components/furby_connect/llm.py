"""The Furby intents as tools of the Assist LLM API, on Home Assistant versions that ask for them.

Up to 2025.x the Assist API turns every registered intent handler into a tool by itself (its
name, ``description`` and slot schema), so nothing is needed there and this module is never
imported. From 2026 on, the ``llm`` integration builds the Assist API from an ``llm`` platform of
each integration: an ``async_get_tools(hass, llm_context, api_id)`` that returns the integration's
tools, named ``<domain>__<tool>``. This is that platform for the intents of ``intent.py``.

The tools are offered only while at least one Furby has an entity exposed to the assistant, the
same condition the intent handlers apply when they pick a Furby.
"""

from __future__ import annotations

# The llm integration, LLMTools and ToolAnnotations exist from HA 2026 on only; this module is
# only imported there (see the docstring), and mypy also checks it against HA 2025.4.
from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.components.llm import LLMTools  # type: ignore[import-not-found,unused-ignore]
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent
from homeassistant.helpers.llm import (  # type: ignore[attr-defined,unused-ignore]
    LLM_API_ASSIST,
    IntentTool,
    LLMContext,
    Tool,
    ToolAnnotations,
)

from .const import DOMAIN
from .intent import (
    INTENT_SAY_NAME,
    INTENT_SET_ANTENNA,
    INTENT_SET_EYES,
    INTENT_SET_NAME,
    INTENT_TRIGGER_ACTION,
)

TOOL_TITLES = {
    INTENT_TRIGGER_ACTION: "Furby action",
    INTENT_SET_ANTENNA: "Furby antenna colour",
    INTENT_SET_EYES: "Furby eyes",
    INTENT_SAY_NAME: "Furby says its name",
    INTENT_SET_NAME: "Rename a Furby",
}
"""The intents offered as tools, with their titles."""

SET_ANNOTATIONS = ToolAnnotations(idempotent=True, open_world=False)
"""Setting a value on the user's own toy: repeating it changes nothing more."""
PLAY_ANNOTATIONS = ToolAnnotations(destructive=False, open_world=False)
"""Playing a sound: harmless, but each call plays it again."""

TOOL_ANNOTATIONS = {
    INTENT_TRIGGER_ACTION: PLAY_ANNOTATIONS,
    INTENT_SET_ANTENNA: SET_ANNOTATIONS,
    INTENT_SET_EYES: SET_ANNOTATIONS,
    INTENT_SAY_NAME: PLAY_ANNOTATIONS,
    INTENT_SET_NAME: SET_ANNOTATIONS,
}


def _furby_exposed(hass: HomeAssistant, assistant: str | None) -> bool:
    """Whether any entity of any Furby is exposed to ``assistant`` (any Furby without one)."""
    device_registry = dr.async_get(hass)
    entity_registry = er.async_get(hass)
    for entry in hass.config_entries.async_entries(DOMAIN):
        for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id):
            for entity in er.async_entries_for_device(entity_registry, device.id):
                if assistant is None or async_should_expose(hass, assistant, entity.entity_id):
                    return True
    return False


@callback
def async_get_tools(hass: HomeAssistant, llm_context: LLMContext, api_id: str) -> LLMTools | None:
    """Return the Furby tools for the Assist API while a Furby is exposed to the assistant."""
    if api_id != LLM_API_ASSIST or not _furby_exposed(hass, llm_context.assistant):
        return None
    tools: list[Tool] = [
        IntentTool(  # type: ignore[call-arg,unused-ignore]
            f"{DOMAIN}__{handler.intent_type}",
            handler,
            title=TOOL_TITLES[handler.intent_type],
            integration=DOMAIN,
            annotations=TOOL_ANNOTATIONS[handler.intent_type],
        )
        for handler in intent.async_get(hass)
        if handler.intent_type in TOOL_TITLES
    ]
    return LLMTools(tools=tools) if tools else None
