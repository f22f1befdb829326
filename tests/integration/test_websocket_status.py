"""``furby_connect/status/subscribe`` and ``furby_connect/catalog`` through the websocket API.

A status subscriber gets a snapshot, then the whole status of a Furby whenever something it
shows changed (coalesced over one batch interval), and ``removed`` when the entry unloads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.furby_connect.protocol.catalog import load_catalog
from tests.protocol.dlc_factory import build_dlc
from virtual_furby.clock import ManualClock
from virtual_furby.toy import VirtualFurby

from .conftest import async_drive_clock_until, async_setup, make_entry
from .entity_helpers import FurbyView
from .upload_helpers import skip_result_grace, upload_ended, write_file
from .ws_helpers import CATALOG, STATUS, WsSession, feed_timers, flush, frozen_loop_time

STATUS_KEYS = {
    "device_id",
    "name",
    "connected",
    "available",
    "orientation",
    "last_interaction",
    "active_slot",
    "filled_slots",
    "eyes_on",
    "antenna",
    "name_id",
    "furby_name",
    "moods",
    "upload",
}
UPLOAD_KEYS = {
    "upload_id",
    "filename",
    "phase",
    "percent",
    "bytes_sent",
    "total_bytes",
    "rate",
    "eta",
    "slot",
    "error",
    "message",
}
MOODS = {"excitedness", "displeasedness", "tiredness", "fullness", "wellness"}


async def _until(
    hass: HomeAssistant, ws: WsSession, sub: int, done: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """Flush and take ``sub``'s updates until one status satisfies ``done``; return it."""
    while True:
        flush(hass)
        event = await ws.next_event(sub)
        assert event["type"] == "update", event
        assert set(event["furby"]) == STATUS_KEYS
        if done(event["furby"]):
            return dict(event["furby"])


async def _removed(ws: WsSession, sub: int) -> str:
    """Skip ``sub``'s updates (the link changing meanwhile) up to ``removed``; its device id."""
    while (event := await ws.next_event(sub))["type"] == "update":
        pass
    assert event["type"] == "removed"
    assert set(event) == {"type", "device_id"}
    return str(event["device_id"])


async def test_snapshot_then_each_change(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """The snapshot holds the Furby's whole status; the antenna, name, moods, eyes, a press and
    the orientation each show up in an update.
    """
    ws = WsSession(await hass_ws_client(hass))
    sub = await ws.subscribe(STATUS, device_id=furby_view.device_id)
    snapshot = await ws.next_event(sub)
    assert snapshot["type"] == "snapshot"
    [status] = snapshot["furbies"]
    assert set(status) == STATUS_KEYS
    assert status["device_id"] == furby_view.device_id
    assert status["name"] == "Furby (89AB)"
    assert (status["connected"], status["available"]) == (True, True)
    assert set(status["moods"]) == MOODS
    assert status["upload"] is None
    assert status["last_interaction"] is None

    await furby_view.call("set_antenna", {"red": 255, "green": 64, "blue": 0})
    status = await _until(hass, ws, sub, lambda s: s["antenna"] == [255, 64, 0])
    await furby_view.call("set_name", {"name_id": 42})
    status = await _until(hass, ws, sub, lambda s: s["name_id"] == 42)
    assert status["furby_name"] == load_catalog().names[42]
    await furby_view.call("set_mood", {"meter": "fullness", "value": 77, "mode": "set"})
    status = await _until(hass, ws, sub, lambda s: s["moods"]["fullness"] == 77)
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": furby_view.entity_id("switch", "eyes")}, blocking=True
    )
    await _until(hass, ws, sub, lambda s: s["eyes_on"] is False)
    furby.press("tail_pull")
    status = await _until(hass, ws, sub, lambda s: s["last_interaction"] is not None)
    assert status["last_interaction"]["type"] == "tail_pull"
    assert isinstance(status["last_interaction"]["time"], float)
    furby.set_orientation("upside_down")
    await _until(hass, ws, sub, lambda s: s["orientation"] == "upside_down")

    furby.drop_connection()
    status = await _until(hass, ws, sub, lambda s: not s["connected"])


async def test_changes_between_flushes_make_one_update(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Several changes before the flush timer fires are one update with the latest values;
    nothing is sent before it fires, and a change of something a status does not show (the
    counters alone) sends nothing.
    """
    ws = WsSession(await hass_ws_client(hass))
    sub = await ws.subscribe(STATUS, device_id=furby_view.device_id)
    await ws.next_event(sub)
    with frozen_loop_time(hass):
        await furby_view.call("trigger_action", {"action": "giggle"})  # counters only
        assert feed_timers(hass) == []
        for red in (1, 2, 3):
            await furby_view.call("set_antenna", {"red": red, "green": 0, "blue": 0})
        await furby_view.call("set_mood", {"meter": "tiredness", "value": 5, "mode": "set"})
        await ws.ping()
        assert ws.pending(sub) == []
        flush(hass)
        update = await ws.next_event(sub)
        await ws.ping()
        assert ws.pending(sub) == []
    assert update["type"] == "update"
    assert update["furby"]["antenna"] == [3, 0, 0]
    assert update["furby"]["moods"]["tiredness"] == 5


async def test_upload_progress_and_the_new_slot(
    hass: HomeAssistant,
    timed: FurbyView,
    furby_clock: ManualClock,
    allowed: Path,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """An upload shows in the status phase by phase with its figures; at the end the new slot
    is the active one and among the filled slots.
    """
    ws = WsSession(await hass_ws_client(hass))
    sub = await ws.subscribe(STATUS, device_id=timed.device_id)
    await ws.next_event(sub)
    data = build_dlc(3_001, seed=3)
    path = write_file(allowed, "status.dlc", data)
    await timed.call("upload_dlc", {"path": path})

    def tick() -> None:
        skip_result_grace(hass, timed)
        flush(hass)

    await async_drive_clock_until(furby_clock, lambda: upload_ended(timed), tick=tick)
    phases: list[str] = []

    def done(status: dict[str, Any]) -> bool:
        if status["upload"]:
            phases.append(status["upload"]["phase"])
        return bool(phases) and phases[-1] == "done"

    final = await _until(hass, ws, sub, done)
    order = ["validating", "announcing", "transferring", "verifying", "activating", "done"]
    assert [order.index(p) for p in phases] == sorted(order.index(p) for p in phases)
    assert {"transferring", "verifying", "activating"} <= set(phases)
    upload = final["upload"]
    assert set(upload) == UPLOAD_KEYS
    assert (upload["bytes_sent"], upload["total_bytes"], upload["percent"]) == (
        len(data),
        len(data),
        100.0,
    )
    assert final["active_slot"] == upload["slot"] == 13
    assert 13 in final["filled_slots"]


async def test_every_furby_joins_and_leaves(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    furby_factory: Any,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Without ``device_id``: a Furby that loads is sent as an update, one that unloads as
    ``removed``, and the subscription goes on for the others. With ``device_id``, ``removed``
    ends the subscription.
    """
    ws = WsSession(await hass_ws_client(hass))
    every = await ws.subscribe(STATUS)
    one = await ws.subscribe(STATUS, device_id=furby_view.device_id)
    [first] = (await ws.next_event(every))["furbies"]
    assert first["device_id"] == furby_view.device_id
    await ws.next_event(one)

    furby_factory("F1:23:45:67:89:AC")
    second_entry = make_entry("F1:23:45:67:89:AC")
    second_entry.add_to_hass(hass)
    second = await async_setup(hass, second_entry)
    joined = await ws.next_event(every)
    assert joined["type"] == "update"
    assert joined["furby"]["device_id"] == second.device_id
    assert joined["furby"]["name"] == "Furby (89AC)"

    assert await hass.config_entries.async_unload(second_entry.entry_id)
    assert await _removed(ws, every) == second.device_id

    await furby_view.call("set_antenna", {"red": 0, "green": 9, "blue": 0})
    status = await _until(hass, ws, every, lambda s: s["antenna"] == [0, 9, 0])
    assert status["device_id"] == furby_view.device_id

    assert await hass.config_entries.async_unload(connected_entry.entry_id)
    assert await _removed(ws, one) == furby_view.device_id
    gone = await ws.command({"type": "unsubscribe_events", "subscription": one})
    assert gone["error"]["code"] == "not_found"
    still = await ws.command({"type": "unsubscribe_events", "subscription": every})
    assert still["success"]


async def test_a_renamed_device_shows_its_new_name(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """The status names the Furby as the user renamed it."""
    dr.async_get(hass).async_update_device(furby_view.device_id, name_by_user="Kitchen Furby")
    ws = WsSession(await hass_ws_client(hass))
    sub = await ws.subscribe(STATUS, device_id=furby_view.device_id)
    assert (await ws.next_event(sub))["furbies"][0]["name"] == "Kitchen Furby"


async def test_catalog(
    hass: HomeAssistant, virtual_proxy: Any, hass_ws_client: WebSocketGenerator
) -> None:
    """The catalog lists every action as a six-field row and the 129 names; a second call gives
    the same; an unexpected field is ``invalid_format``.
    """
    entry = make_entry("F1:23:45:67:89:AB")  # no toy needed: the integration has to be set up
    entry.add_to_hass(hass)
    await async_setup(hass, entry)
    ws = WsSession(await hass_ws_client(hass))
    result = await ws.command({"type": CATALOG})
    assert result["success"]
    catalog = load_catalog()
    actions = result["result"]["actions"]
    assert len(actions) == len(catalog.actions) > 1_700
    assert actions[0] == [
        catalog.actions[0].input,
        catalog.actions[0].index,
        catalog.actions[0].subindex,
        catalog.actions[0].specific,
        catalog.actions[0].category,
        catalog.actions[0].description,
    ]
    assert all(len(row) == 6 for row in actions)
    assert result["result"]["names"] == list(catalog.names)
    assert len(result["result"]["names"]) == 129
    assert (await ws.command({"type": CATALOG}))["result"] == result["result"]
    bad = await ws.command({"type": CATALOG, "device_id": "x"})
    assert bad["error"]["code"] == "invalid_format"
