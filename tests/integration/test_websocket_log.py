"""``furby_connect/log/subscribe``: backlog, batches, the dropped marker, unsubscribe, unload.

Every test subscribes through Home Assistant's websocket API (``hass_ws_client``) and makes log
entries the way a user or the toy would: service actions, presses on the virtual Furby, the
link coming and going.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.websocket_api.const import SIGNAL_WEBSOCKET_DISCONNECTED
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.furby_connect.const import CONNECT_MAX_ATTEMPTS, RECONNECT_BACKOFF
from custom_components.furby_connect.log_buffer import BATCH_MAX, QUEUE_MAX
from tests.protocol.dlc_factory import build_dlc
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.clock import ManualClock
from virtual_furby.toy import VirtualFurby

from .conftest import (
    HANG_GUARD,
    async_advance,
    async_drive_clock_until,
    async_setup,
    async_wait_until,
    make_entry,
)
from .entity_helpers import FurbyView
from .upload_helpers import skip_result_grace, upload_ended, write_file
from .voice_helpers import message
from .ws_helpers import (
    LOG,
    STATUS,
    WsSession,
    entries_until,
    feed_timers,
    flush,
    frozen_loop_time,
)

ALL_TOUCHES = (
    "tongue",
    "tickle_back",
    "tickle_tummy",
    "tickle_left",
    "tickle_right",
    "tail_pull",
    "antenna_left",
    "antenna_right",
    "antenna_forward",
    "antenna_back",
    "antenna_down",
)
"""Every sensor: one press of them all is eleven interaction entries from one packet."""

ENTRY_KEYS = {"seq", "time", "device_id", "furby", "level", "kind", "text", "data"}


def _carried_out(entry: dict[str, Any]) -> bool:
    """Whether ``entry`` is a command's own line (not one of its packets in the trace)."""
    return bool(entry["kind"] == "command" and entry["level"] == "info")


async def _session(hass: HomeAssistant, hass_ws_client: WebSocketGenerator) -> WsSession:
    return WsSession(await hass_ws_client(hass))


async def test_backlog_then_live_entries(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """A subscriber first gets the recent entries (the connection among them), then new ones
    in ``entries`` batches: a command with its arguments, each entry shaped as the contract says.
    """
    ws = await _session(hass, hass_ws_client)
    sub = await ws.subscribe(LOG, device_id=furby_view.device_id)
    backlog = await ws.next_event(sub)
    assert backlog["type"] == "backlog"
    connected = [e for e in backlog["entries"] if e["kind"] == "connection"]
    assert connected[-1]["text"] == "Connected"
    for entry in backlog["entries"]:
        assert set(entry) == ENTRY_KEYS
        assert entry["device_id"] == furby_view.device_id
        assert entry["furby"] == "Furby (89AB)"
    seqs = [e["seq"] for e in backlog["entries"]]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == len(seqs)

    await furby_view.call("set_antenna", {"red": 255, "green": 64, "blue": 0})
    live = await entries_until(hass, ws, sub, lambda got: any(map(_carried_out, got)))
    command = next(e for e in live if _carried_out(e))
    assert command["text"] == "set_antenna red=255, green=64, blue=0"
    assert command["level"] == "info"
    assert command["data"]["command"] == "set_antenna"
    assert command["seq"] > seqs[-1]
    assert isinstance(command["time"], float)


async def test_entries_of_a_burst_arrive_in_one_batch(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Entries made between two flushes go out as one message, in order; nothing is sent
    before the flush timer fires.
    """
    ws = await _session(hass, hass_ws_client)
    sub = await ws.subscribe(LOG, device_id=furby_view.device_id)
    await ws.next_event(sub)  # backlog
    with frozen_loop_time(hass):
        for red in (10, 20, 30):
            await furby_view.call("set_antenna", {"red": red, "green": 0, "blue": 0})
        furby.press("tongue")
        await async_wait_until(
            hass,
            lambda: (
                furby_view.state("event", "interaction").attributes.get("event_type") == "tongue"
            ),
        )
        await ws.ping()
        assert ws.pending(sub) == []  # held until the flush
        flush(hass)
        batch = await ws.next_event(sub)
    assert batch["type"] == "entries"
    texts = [e["text"] for e in batch["entries"]]
    assert [t for t in texts if t.startswith("set_antenna")] == [
        "set_antenna red=10, green=0, blue=0",
        "set_antenna red=20, green=0, blue=0",
        "set_antenna red=30, green=0, blue=0",
    ]
    assert "Interaction: tongue" in texts
    seqs = [e["seq"] for e in batch["entries"]]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))


async def _press_all(hass: HomeAssistant, furby: VirtualFurby, furby_view: FurbyView) -> None:
    """Press every sensor at once, then let go: eleven interaction entries from one packet.

    The event entity fires the eleven presses in name order; ``tongue`` is the last.
    """
    before = furby_view.state("event", "interaction").last_changed

    def pressed() -> bool:
        state = furby_view.state("event", "interaction")
        return state.last_changed != before and state.attributes["event_type"] == "tongue"

    furby.press(*ALL_TOUCHES)
    await async_wait_until(hass, pressed)
    furby.release(*ALL_TOUCHES)
    await async_furby_link_idle(hass)


async def test_a_subscriber_that_falls_behind_loses_the_oldest_entries(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """More entries than a subscriber's queue holds between two flushes: the first message is
    ``dropped`` with the number lost, then the newest entries follow in batches of at most
    ``BATCH_MAX``, contiguous and complete, and the socket stays open.
    """
    ws = await _session(hass, hass_ws_client)
    sub = await ws.subscribe(LOG, device_id=furby_view.device_id)
    start = (await ws.next_event(sub))["entries"][-1]["seq"]
    with frozen_loop_time(hass):
        for _ in range(2 * QUEUE_MAX // len(ALL_TOUCHES)):
            await _press_all(hass, furby, furby_view)
        # The newest entry's number: a new subscriber's backlog ends with it.
        probe = await ws.subscribe(LOG, device_id=furby_view.device_id)
        newest = (await ws.next_event(probe))["entries"][-1]["seq"]
        produced = newest - start
        assert produced > QUEUE_MAX

        flush(hass)
        assert await ws.next_event(sub) == {"type": "dropped", "count": produced - QUEUE_MAX}
        received: list[dict[str, Any]] = []
        while len(received) < QUEUE_MAX:
            flush(hass)
            batch = await ws.next_event(sub)
            assert batch["type"] == "entries"
            assert 0 < len(batch["entries"]) <= BATCH_MAX
            received += batch["entries"]
    assert [e["seq"] for e in received] == list(range(newest - QUEUE_MAX + 1, newest + 1))
    assert not ws.client.closed
    await ws.ping()


async def test_an_idle_subscriber_costs_no_timer(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """With nothing new to send, a log or status subscriber has no timer scheduled and sends
    nothing, however far time moves; a timer exists only while an entry waits for its flush.
    """
    ws = await _session(hass, hass_ws_client)
    log = await ws.subscribe(LOG, device_id=furby_view.device_id)
    status = await ws.subscribe(STATUS, device_id=furby_view.device_id)
    await ws.next_event(log)
    await ws.next_event(status)
    assert feed_timers(hass) == []
    for minutes in (1, 10, 60):
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=minutes))
        await async_furby_link_idle(hass)
    await ws.ping()
    assert ws.pending(log) == []
    assert ws.pending(status) == []
    assert feed_timers(hass) == []

    with frozen_loop_time(hass):
        await furby_view.call("trigger_action", {"action": "giggle"})
        assert len(feed_timers(hass)) == 1  # the log's flush; the action changes no status
        flush(hass)
        assert (await ws.next_event(log))["type"] == "entries"
        assert feed_timers(hass) == []


async def test_unsubscribe_stops_the_entries(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """After ``unsubscribe_events`` no entry is queued or sent; unsubscribing again is
    ``not_found``.
    """
    ws = await _session(hass, hass_ws_client)
    sub = await ws.subscribe(LOG, device_id=furby_view.device_id)
    await ws.next_event(sub)
    result = await ws.command({"type": "unsubscribe_events", "subscription": sub})
    assert result["success"]
    with frozen_loop_time(hass):
        await furby_view.call("set_antenna", {"red": 1, "green": 2, "blue": 3})
        assert feed_timers(hass) == []
        flush(hass)
    await ws.ping()
    assert ws.pending(sub) == []
    again = await ws.command({"type": "unsubscribe_events", "subscription": sub})
    assert again["error"]["code"] == "not_found"


async def test_closing_the_socket_ends_the_subscriptions(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """When the client goes away, its log and status subscriptions follow the Furby no
    more: new entries and changes arm no timer.
    """
    ws = await _session(hass, hass_ws_client)
    for kind in (LOG, STATUS):
        await ws.next_event(await ws.subscribe(kind, device_id=furby_view.device_id))
    disconnected = asyncio.Event()

    @callback
    def on_disconnect() -> None:
        # On the loop: a plain ``disconnected.set`` would be run in an executor thread, and
        # setting an asyncio event from there can leave its waiter asleep for good.
        disconnected.set()

    async_dispatcher_connect(hass, SIGNAL_WEBSOCKET_DISCONNECTED, on_disconnect)
    await ws.client.close()
    async with asyncio.timeout(HANG_GUARD):
        await disconnected.wait()
    with frozen_loop_time(hass):
        await furby_view.call("set_antenna", {"red": 9, "green": 9, "blue": 9})
        furby.set_orientation("upside_down")
        await async_wait_until(
            hass, lambda: furby_view.state("sensor", "orientation").state == "upside_down"
        )
        assert feed_timers(hass) == []


async def test_unloading_the_entry_ends_its_subscriptions_and_a_reload_keeps_the_log(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """A subscription for one Furby gets the entries still queued at once when its entry
    unloads, then it is over (unsubscribing is ``not_found``); one for every Furby stays and
    follows the Furby again after the reload, whose numbers go on from before the unload.
    """
    ws = await _session(hass, hass_ws_client)
    mine = await ws.subscribe(LOG, device_id=furby_view.device_id)
    every = await ws.subscribe(LOG)
    before = (await ws.next_event(mine))["entries"]
    assert (await ws.next_event(every))["entries"] == before

    with frozen_loop_time(hass):
        assert await hass.config_entries.async_unload(connected_entry.entry_id)
        final = await ws.next_event(mine)  # no flush fired: sent at the unload itself
    assert final["type"] == "entries"
    assert final["entries"][-1]["text"].startswith("Disconnected")
    gone = await ws.command({"type": "unsubscribe_events", "subscription": mine})
    assert gone["error"]["code"] == "not_found"

    await async_setup(hass, connected_entry)
    await async_wait_until(hass, lambda: furby_view.connected)
    again = await entries_until(
        hass, ws, every, lambda got: any(e["text"] == "Connected" for e in got)
    )
    assert again[0]["seq"] > before[-1]["seq"]
    pending = await ws.command({"type": "unsubscribe_events", "subscription": every})
    assert pending["success"]

    fresh = await ws.subscribe(LOG, device_id=furby_view.device_id)
    backlog = (await ws.next_event(fresh))["entries"]
    assert [e["seq"] for e in backlog[: len(before)]] == [e["seq"] for e in before]


async def test_every_furby_without_a_device_id(
    hass: HomeAssistant,
    furby_factory: Any,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Without ``device_id`` the backlog holds every loaded Furby's entries, oldest first, and
    live entries of each Furby follow.
    """
    views: list[FurbyView] = []
    for address in ("F1:23:45:67:89:AB", "F1:23:45:67:89:AC"):
        furby_factory(address)
        entry = make_entry(address)
        entry.add_to_hass(hass)
        views.append(await async_setup(hass, entry))
    await async_wait_until(hass, lambda: all(view.connected for view in views))
    ws = await _session(hass, hass_ws_client)
    sub = await ws.subscribe(LOG)
    backlog = (await ws.next_event(sub))["entries"]
    assert {e["device_id"] for e in backlog} == {view.device_id for view in views}
    times = [e["time"] for e in backlog]
    assert times == sorted(times)
    for view in views:
        await view.call("set_antenna", {"red": 0, "green": 0, "blue": 255})
    live = await entries_until(
        hass, ws, sub, lambda got: len([e for e in got if _carried_out(e)]) == 2
    )
    assert {e["furby"] for e in live if _carried_out(e)} == {
        "Furby (89AB)",
        "Furby (89AC)",
    }


async def test_bad_input_and_unknown_devices(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    furby_factory: Any,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Both subscriptions refuse a malformed message (``invalid_format``) and a device that is
    not a loaded Furby (``not_found``, with the translated reason): an unknown device, another
    integration's device, a Furby whose entry is not loaded.
    """
    other = MockConfigEntry(domain="other_integration", title="Lamp")
    other.add_to_hass(hass)
    lamp = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("other_integration", "lamp")}, name="Lamp"
    )
    furby_factory("F1:23:45:67:89:AC")
    idle_entry = make_entry("F1:23:45:67:89:AC")
    idle_entry.add_to_hass(hass)
    await async_setup(hass, idle_entry)
    idle = FurbyView(hass, idle_entry)
    idle_device = idle.device_id
    assert await hass.config_entries.async_unload(idle_entry.entry_id)

    ws = await _session(hass, hass_ws_client)
    for kind in (LOG, STATUS):
        for bad in ({"device_id": 42}, {"device_id": None}, {"entry_id": "x"}):
            result = await ws.command({"type": kind, **bad})
            assert result["error"]["code"] == "invalid_format", (kind, bad)
        cases = {
            # Home Assistant drops a translated message's final full stop.
            "nope": message("device_not_found", device_id="nope").removesuffix("."),
            lamp.id: message("device_not_furby", device="Lamp").removesuffix("."),
            idle_device: message("device_not_loaded", device="Furby (89AC)").removesuffix("."),
        }
        for device_id, text in cases.items():
            result = await ws.command({"type": kind, "device_id": device_id})
            assert not result["success"]
            assert result["error"]["code"] == "not_found"
            assert result["error"]["message"] == text
    assert feed_timers(hass) == []


async def test_the_link_coming_and_going_with_its_reasons(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """A dropped link, each refused attempt to connect again (a warning) and the new link are
    entries of kind ``connection`` with their reasons.
    """
    ws = await _session(hass, hass_ws_client)
    sub = await ws.subscribe(LOG, device_id=furby_view.device_id)
    await ws.next_event(sub)
    furby.faults.refuse_connections(CONNECT_MAX_ATTEMPTS)  # one whole attempt fails
    furby.drop_connection()
    await async_wait_until(hass, lambda: not furby_view.connected)
    while not furby_view.connected:
        await async_advance(hass, freezer, RECONNECT_BACKOFF[0])
    entries = await entries_until(
        hass, ws, sub, lambda got: any(e["text"] == "Connected" for e in got)
    )
    link = [(e["level"], e["text"]) for e in entries if e["kind"] == "connection"]
    assert link[0] == ("info", "Disconnected: the connection was lost")
    assert link[1][0] == "warning"
    assert link[1][1].startswith("Connecting failed: ")
    assert link[-1] == ("info", "Connected")


async def test_an_idle_disconnect_says_so(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    on_demand_entry: MockConfigEntry,
    furby: VirtualFurby,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Connecting on demand, the link dropped after the idle time is logged as such."""
    view = await async_setup(hass, on_demand_entry)
    ws = await _session(hass, hass_ws_client)
    sub = await ws.subscribe(LOG, device_id=view.device_id)
    await ws.next_event(sub)
    await view.call("set_antenna", {"red": 1, "green": 1, "blue": 1})
    await async_advance(hass, freezer, 61)
    assert not view.connected
    entries = await entries_until(
        hass, ws, sub, lambda got: any(e["text"].startswith("Disconnected") for e in got)
    )
    assert [e["text"] for e in entries if e["kind"] == "connection"] == [
        "Connected",
        "Disconnected: idle for 60 s",
    ]


async def test_upload_phases_are_entries(
    hass: HomeAssistant,
    timed: FurbyView,
    furby_clock: ManualClock,
    allowed: Path,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Each phase of an upload is one ``upload`` entry carrying the upload's status; the
    FileWrite packets themselves are not entries.
    """
    ws = await _session(hass, hass_ws_client)
    sub = await ws.subscribe(LOG, device_id=timed.device_id)
    await ws.next_event(sub)
    data = build_dlc(3_001, seed=5)
    await timed.call("upload_dlc", {"path": write_file(allowed, "log.dlc", data)})

    def tick() -> None:
        skip_result_grace(hass, timed)
        flush(hass)

    await async_drive_clock_until(furby_clock, lambda: upload_ended(timed), tick=tick)
    entries = await entries_until(
        hass, ws, sub, lambda got: any(e["text"].endswith(": done") for e in got)
    )
    uploads = [e for e in entries if e["kind"] == "upload" and e["level"] != "debug"]
    assert [e["text"].rsplit(": ", 1)[1] for e in uploads] == [
        "validating",
        "announcing",
        "transferring",
        "verifying",
        "activating",
        "done",
    ]
    filename = uploads[-1]["data"]["filename"]
    assert filename.endswith("LOG.DLC")
    assert all(e["text"].startswith(f"Upload {filename}: ") for e in uploads[1:])
    assert uploads[-1]["data"]["bytes_sent"] == len(data)
    assert uploads[-1]["data"]["slot"] == 13
    assert len(entries) < len(data) // 20  # not one entry per packet
