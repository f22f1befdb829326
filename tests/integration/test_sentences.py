"""The custom sentences file README gives for Home Assistant's built-in conversation agent.

An integration cannot add sentences to the built-in agent, so users copy
``custom_sentences/en/furby_connect.yaml`` into their configuration. The first tests check the
file against the intents on every version; the others load it the way Home Assistant does, from
``<config>/custom_sentences/en/``, and talk to the agent (both test environments install the
conversation integration's requirements).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.furby_connect.intent import FURBY_INTENTS, HANDLERS
from custom_components.furby_connect.protocol import commands
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .entity_helpers import WriteLog
from .voice_helpers import SENTENCES, install_sentences, message, use_config_dir

SENTENCES_YAML: dict[str, Any] = yaml.safe_load(SENTENCES.read_text(encoding="utf-8"))
BUILT_IN_LISTS = {"area", "floor", "name"}
"""Slot lists the built-in agent fills itself."""


def _sentences(intent_type: str) -> list[str]:
    return [
        sentence
        for block in SENTENCES_YAML["intents"][intent_type]["data"]
        for sentence in block["sentences"]
    ]


def _slot_keys(intent_type: str) -> set[str]:
    handler = next(handler() for handler in HANDLERS if handler.intent_type == intent_type)
    return {str(key) for key in handler.slot_schema}


def test_every_furby_intent_has_sentences_and_a_response() -> None:
    """The file covers exactly the Furby intents, each with sentences and a spoken reply."""
    assert SENTENCES_YAML["language"] == "en"
    assert set(SENTENCES_YAML["intents"]) == FURBY_INTENTS
    assert set(SENTENCES_YAML["responses"]["intents"]) == FURBY_INTENTS
    for intent_type in FURBY_INTENTS:
        assert _sentences(intent_type), intent_type
        assert SENTENCES_YAML["responses"]["intents"][intent_type]["default"]


def test_sentence_slots_are_slots_of_the_intents() -> None:
    """Every ``{list:slot}`` fills a slot the handler takes, from a list the file or HA defines."""
    lists = set(SENTENCES_YAML["lists"])
    rules = set(SENTENCES_YAML["expansion_rules"])
    for intent_type in FURBY_INTENTS:
        for sentence in _sentences(intent_type):
            for list_name, slot in re.findall(r"\{(\w+)(?::(\w+))?\}", sentence):
                assert list_name in lists | BUILT_IN_LISTS, (sentence, list_name)
                assert (slot or list_name) in _slot_keys(intent_type), (sentence, slot)
            for rule in re.findall(r"<(\w+)>", sentence):
                assert rule in rules, (sentence, rule)


@pytest.fixture
async def agent(hass: HomeAssistant, tmp_path: Path) -> None:
    """The built-in agent with the sentences file installed as README says."""
    use_config_dir(hass, tmp_path)
    install_sentences(tmp_path)
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})


async def converse(hass: HomeAssistant, text: str) -> intent.IntentResponse:
    """Say ``text`` to the built-in agent; return its response once the toy has the bytes."""
    conversation = importlib.import_module("homeassistant.components.conversation")
    result = await conversation.async_converse(hass, text, None, Context(), language="en")
    await async_furby_link_idle(hass)
    response: intent.IntentResponse = result.response
    return response


CONVERSATION: list[tuple[str, bytes | None, str]] = [
    ("Make the Furby giggle", commands.trigger_action(55, 2, 14, 0), "OK"),
    ("Set the Furby's antenna to blue", bytes.fromhex("14 00 00 ff"), "Antenna set to blue"),
    ("Turn off the Furby's eyes", bytes.fromhex("cd 00"), "Eyes off"),
    ("Call the Furby Way-Toh", bytes.fromhex("21 80"), "Renamed to Way-Toh"),
    ("Furby, say my name", commands.say_name(128), "OK"),
    ("make the furby dance wildly", None, message("unknown_action", action="dance wildly")),
    ("set the furby's antenna to sparkly", None, message("intent_unknown_color", color="sparkly")),
]
"""What is said, the first command the toy then receives (None: nothing) and the spoken reply."""


async def test_the_built_in_agent_understands_the_sentences(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby, agent: None
) -> None:
    """Each sentence reaches the virtual Furby as its command's bytes, with the file's reply;
    an unknown action or colour is answered with the translated error and nothing is sent.

    One conversation in one test: the agent loads Home Assistant's English sentences once
    (about 20 s here), not once per sentence.
    """
    for text, sent, reply in CONVERSATION:
        log = WriteLog(furby)
        response = await converse(hass, text)
        assert response.speech["plain"]["speech"] == reply, text
        if sent is None:
            assert response.response_type is intent.IntentResponseType.ERROR, text
            assert log.all() == [], text
        else:
            assert response.response_type is intent.IntentResponseType.ACTION_DONE, text
            assert log.gp()[0] == sent, text
