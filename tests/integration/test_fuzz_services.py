"""Fuzzing every service action and websocket command of the integration with hypothesis.

Random and malformed payloads (wrong types, out-of-range numbers, NaN, huge strings, unknown
fields, missing fields, other devices' ids) and random well-formed ones go to every
``furby_connect`` service and websocket command registered in Home Assistant. Each call must end
in success or a validation error (``vol.Invalid``, ``ServiceValidationError``, a translated
``HomeAssistantError`` such as "busy" or "not connected", a websocket error result other than
``unknown_error``), never an unhandled exception, and nothing is logged with a traceback or as
an unhandled error (the fault campaign's ``unhandled_records`` check).

Hypothesis draws the payloads up front (``draw_examples``: a bounded, derandomized run, so the
test command is reproducible); the calls then go through the running Home Assistant. Services
and commands are enumerated from Home Assistant, so ones added later are fuzzed too.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any

import pytest
import voluptuous as vol
from homeassistant.components import websocket_api
from homeassistant.core import HomeAssistant, SupportsResponse
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.furby_connect.const import DOMAIN
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .chaos_campaign import unhandled_records
from .conftest import async_wait_until
from .entity_helpers import FurbyView

EXAMPLES = 30
"""Payloads per service or command (bounded: this runs in the test command)."""
FIELDS = (
    "device_id",
    "action",
    "input",
    "index",
    "subindex",
    "specific",
    "steps",
    "delay",
    "name",
    "name_id",
    "meter",
    "value",
    "mode",
    "red",
    "green",
    "blue",
    "slot",
    "path",
    "file_id",
    "activate",
    "upload_id",
)
"""Every field any action or command takes, plus ones they do not (unknown fields)."""

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=-2, max_value=300),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.text(min_size=150, max_size=400),
    st.sampled_from(["giggle", "set", "add", "fullness", "0", "13", "1e3", " 7 ", "../x.dlc"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS), inner),
    max_leaves=8,
)


SERVICE_FIELDS: dict[str, tuple[str, ...]] = {
    "trigger_action": ("action", "input", "index", "subindex", "specific"),
    "play_sequence": ("steps",),
    "set_name": ("name", "name_id"),
    "set_mood": ("meter", "value", "mode"),
    "set_antenna": ("red", "green", "blue"),
    "load_dlc": ("slot",),
    "deactivate_dlc": ("slot",),
    "delete_dlc": ("slot",),
    "upload_dlc": ("path", "file_id", "activate"),
}
"""Each action's own fields besides ``device_id``."""
DEVICE_ONLY = frozenset({"stop_sequence", "get_dlc_slots", "activate_dlc", "cancel_upload"})
"""Actions that take only ``device_id`` (an action in neither gets every field)."""

step = st.fixed_dictionaries(
    {"delay": st.floats(0, 2)},
    optional={"action": st.sampled_from(["giggle", "burp", "nope"]), "input": st.integers(0, 80)},
)
PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "action": st.sampled_from(["giggle", "burp", "sneeze", "laugh", "no such action", " "]),
    "name": st.sampled_from(["Dah-Boo", "Noo-Loo", "Nobody", ""]),
    "name_id": st.integers(-1, 140),
    "meter": st.sampled_from(["fullness", "WELLNESS", "tiredness", "excitedness", "hunger"]),
    "value": st.integers(-5, 105),
    "mode": st.sampled_from(["set", "add", "times"]),
    "slot": st.integers(-1, 14),
    "steps": st.lists(step, min_size=0, max_size=3),
    "delay": st.floats(-1, 400),
    "path": st.sampled_from(["/nonexistent/x.dlc", "../x.dlc", "x.dlc", "/etc/passwd"]),
    "activate": st.booleans(),
}
"""Values near the valid ones for each field (bytes 0-255 for the rest)."""


def field_value(name: str) -> st.SearchStrategy[Any]:
    """Mostly a plausible value for field ``name``, sometimes any JSON-like garbage."""
    plausible = PLAUSIBLE.get(name, st.integers(-1, 256))
    return st.one_of(plausible, plausible, plausible, values)


def payloads(
    device_ids: list[str], fields: tuple[str, ...] = FIELDS[1:]
) -> st.SearchStrategy[dict[str, Any]]:
    """Payloads for an action with ``fields``: all of them with plausible values, some of them
    with plausible or garbage values, an unknown field added, or garbage alone; the device id
    is usually the Furby's (``device_ids[0]``), at times another device's or garbage.
    """
    furby = st.just(device_ids[0])
    device = st.one_of(furby, furby, furby, st.sampled_from(device_ids), values)
    known = st.fixed_dictionaries({}, optional={name: field_value(name) for name in fields})
    extra = st.dictionaries(st.sampled_from(FIELDS[1:]) | st.text(max_size=8), values, max_size=1)
    with_device = st.builds(lambda d, k: {"device_id": d, **k}, device, known)
    garbage = st.builds(lambda p, e: {**p, **e}, with_device, extra)
    complete = st.fixed_dictionaries(
        {"device_id": furby, **{name: PLAUSIBLE.get(name, st.integers(0, 255)) for name in fields}}
    )
    return st.one_of(complete, with_device, with_device, garbage, extra)


def draw_examples(strategy: st.SearchStrategy[Any], count: int = EXAMPLES) -> list[Any]:
    """Let hypothesis draw ``count`` examples of ``strategy`` (reproducibly, no database)."""
    drawn: list[Any] = []

    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(example: Any) -> None:
        drawn.append(example)

    collect()
    return drawn


async def test_every_service_survives_random_payloads(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every service action answers random and malformed payloads with success or a
    validation (or translated) error, never an unhandled exception or a logged traceback; the
    Furby still works afterwards.
    """
    other_entry = MockConfigEntry(domain="other")
    other_entry.add_to_hass(hass)
    other = dr.async_get(hass).async_get_or_create(
        config_entry_id=other_entry.entry_id, identifiers={("other", "x")}
    )
    services = hass.services.async_services_for_domain(DOMAIN)
    assert len(services) >= 13
    device_ids = [furby_view.device_id, other.id]
    unhandled: list[str] = []
    outcomes = {"ok": 0, "invalid": 0, "refused": 0}
    for name, service in sorted(services.items()):
        wants_response = service.supports_response is not SupportsResponse.NONE
        fields = SERVICE_FIELDS.get(name, () if name in DEVICE_ONLY else FIELDS[1:])
        for payload in draw_examples(payloads(device_ids, fields)):
            try:
                await hass.services.async_call(
                    DOMAIN, name, payload, blocking=True, return_response=wants_response
                )
                outcomes["ok"] += 1
            except (vol.Invalid, ServiceValidationError):
                outcomes["invalid"] += 1
            except HomeAssistantError as err:
                if err.translation_key is None:
                    unhandled.append(f"{name}({payload!r}): untranslated {err!r}")
                outcomes["refused"] += 1
            except Exception as err:  # what the test looks for: anything unhandled
                unhandled.append(f"{name}({payload!r}): {type(err).__name__}: {err}")
            await async_furby_link_idle(hass)
        for cleanup in ("stop_sequence", "cancel_upload"):  # what a valid payload may have left
            with contextlib.suppress(HomeAssistantError):
                await furby_view.call(cleanup)
    assert unhandled == []
    assert unhandled_records(caplog) == []
    # Malformed and well-formed payloads were both drawn.
    assert outcomes["invalid"] > 0, outcomes
    assert outcomes["ok"] >= len(services), outcomes

    await furby_view.call("set_antenna", {"red": 1, "green": 2, "blue": 3})
    await async_wait_until(hass, lambda: furby.antenna == (1, 2, 3))


def is_finite(value: Any) -> bool:
    """False for NaN or infinity (JSON cannot carry them over the websocket)."""
    return not (isinstance(value, float) and not math.isfinite(value))


async def test_every_websocket_command_survives_random_payloads(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    hass_ws_client: WebSocketGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every ``furby_connect/*`` websocket command answers random payloads with a result:
    success or an error code other than ``unknown_error`` (an unhandled exception), and nothing
    is logged with a traceback.
    """
    commands = sorted(
        name for name in hass.data.get(websocket_api.DOMAIN, {}) if name.startswith(f"{DOMAIN}/")
    )
    if not commands:
        pytest.skip("no furby_connect websocket command is registered in this tree")
    client = await hass_ws_client(hass)
    examples = [
        payload
        for payload in draw_examples(payloads([furby_view.device_id]))
        if all(is_finite(value) for value in payload.values())
    ]
    bad: list[str] = []
    codes: set[str] = set()
    ids = iter(range(1, 10**6))

    async def call(message: dict[str, Any]) -> dict[str, Any]:
        msg_id = next(ids)
        await client.send_json({**message, "id": msg_id})
        reply: dict[str, Any] = await client.receive_json()
        while reply.get("type") != "result" or reply.get("id") != msg_id:
            reply = await client.receive_json()  # events of a subscription
        return reply

    for command in commands:
        for example in examples:
            payload = {key: value for key, value in example.items() if key not in ("id", "type")}
            reply = await call({**payload, "type": command})
            if reply["success"]:
                ended = await call({"type": "unsubscribe_events", "subscription": reply["id"]})
                assert ended["success"] or command.endswith("catalog"), ended
                continue
            codes.add(reply["error"]["code"])
            if reply["error"]["code"] == "unknown_error":
                bad.append(f"{command}({payload!r}): {reply['error']}")
    assert bad == []
    assert "invalid_format" in codes
    assert unhandled_records(caplog) == []
