"""The live log as a protocol trace: the packets on the wire, through the websocket.

Every test subscribes with ``hass_ws_client`` and compares what the log says went over the wire
with what the virtual Furby received (its write log) and what the protocol says it answers.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.furby_connect.const import RECONNECT_BACKOFF
from custom_components.furby_connect.protocol import gatt
from tests.protocol.dlc_factory import build_dlc
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.clock import ManualClock
from virtual_furby.toy import VirtualFurby

from .conftest import async_advance, async_drive_clock_until, async_setup, async_wait_until
from .entity_helpers import FurbyView, WriteLog
from .upload_helpers import skip_result_grace, upload_ended, write_file
from .ws_helpers import LOG, WsSession, entries_until, flush

CHIPS: Final = {
    gatt.GENERALPLUS_WRITE: "generalplus",
    gatt.NORDIC_WRITE: "nordic",
    gatt.FILE_WRITE: "file",
}
"""The ``characteristic`` docs/websocket.md names for each write characteristic."""

type Entry = dict[str, Any]


async def _subscribe(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator, device_id: str
) -> tuple[WsSession, int, list[Entry]]:
    """Subscribe to one Furby's log; return the session, the subscription and the backlog."""
    ws = WsSession(await hass_ws_client(hass))
    sub = await ws.subscribe(LOG, device_id=device_id)
    backlog = await ws.next_event(sub)
    assert backlog["type"] == "backlog"
    return ws, sub, backlog["entries"]


def _line(text: str) -> Callable[[list[Entry]], bool]:
    """A ``done`` condition: an entry with this text arrived."""
    return lambda got: any(e["text"] == text for e in got)


def _packets(entries: list[Entry], kind: str) -> list[tuple[str, str]]:
    """(characteristic, hex) of the traced packets of ``kind`` (command: sent, reply: received)."""
    return [
        (e["data"]["characteristic"], e["data"]["hex"])
        for e in entries
        if e["kind"] == kind and e["data"] is not None and "hex" in e["data"]
    ]


async def _received(hass: HomeAssistant, writes: WriteLog) -> list[tuple[str, str]]:
    """(characteristic, hex) of what the toy received since the mark (keep-alives left out),
    once the link has delivered every packet written.
    """
    await async_furby_link_idle(hass)
    return [(CHIPS[uuid], data.hex(" ")) for uuid, data in writes.all()]


def _index(entries: list[Entry], match: Callable[[Entry], bool]) -> int:
    """Position of the first entry ``match`` accepts."""
    return next(i for i, e in enumerate(entries) if match(e))


async def test_a_service_call_and_the_toys_reply_are_traced_byte_for_byte(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """While a log subscriber follows the Furby, each packet a service call writes is a
    ``command`` entry (debug) with exactly the bytes the virtual Furby received, in order, and
    the toy's answer a ``reply`` entry with its bytes (``20 17``: eyes on, docs/protocol.md
    §4.2); the command's own info line comes after its packets.
    """
    ws, sub, _backlog = await _subscribe(hass, hass_ws_client, furby_view.device_id)
    writes = WriteLog(furby)
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": furby_view.entity_id("switch", "eyes")}, blocking=True
    )
    await furby_view.call("trigger_action", {"action": "giggle"})
    entries = await entries_until(
        hass, ws, sub, lambda got: any(e["text"].startswith("trigger_action ") for e in got)
    )

    sent = _packets(entries, "command")
    assert sent == await _received(hass, writes)
    assert len(sent) >= 3  # the eyes, the action, the firmware query that confirms it
    traced = [e for e in entries if e["data"] is not None and "hex" in e["data"]]
    assert {(e["level"], e["kind"], e["text"]) for e in traced} <= {
        ("debug", "command", "Sent"),
        ("debug", "reply", "Received"),
    }
    eyes_sent = _index(entries, lambda e: e["text"] == "Sent")
    eyes_on = _index(
        entries, lambda e: e["data"] == {"characteristic": "generalplus", "hex": "20 17"}
    )
    eyes_line = _index(entries, lambda e: e["text"] == "set_eyes on=True")
    assert eyes_sent < eyes_on < eyes_line
    assert entries[eyes_line]["level"] == "info"
    action_line = _index(entries, lambda e: e["text"].startswith("trigger_action "))
    assert any(e["kind"] == "reply" for e in entries[eyes_line:action_line])


async def test_the_link_is_traced_only_while_someone_reads_the_log(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """With no log subscriber nothing is traced (a later subscriber's backlog has the
    command's line but no packets); while one follows, every packet is; after it unsubscribes,
    again none.
    """
    writes = WriteLog(furby)
    await furby_view.call("set_antenna", {"red": 1, "green": 2, "blue": 3})
    unread = await _received(hass, writes)
    assert unread

    ws, sub, backlog = await _subscribe(hass, hass_ws_client, furby_view.device_id)
    assert any(e["text"] == "set_antenna red=1, green=2, blue=3" for e in backlog)
    assert _packets(backlog, "command") == []
    assert _packets(backlog, "reply") == []

    writes.mark()
    await furby_view.call("set_antenna", {"red": 4, "green": 5, "blue": 6})
    entries = await entries_until(hass, ws, sub, _line("set_antenna red=4, green=5, blue=6"))
    read = await _received(hass, writes)
    assert _packets(entries, "command") == read

    assert (await ws.command({"type": "unsubscribe_events", "subscription": sub}))["success"]
    writes.mark()
    await furby_view.call("set_antenna", {"red": 7, "green": 8, "blue": 9})
    unread_again = await _received(hass, writes)
    _ws, _sub, backlog = await _subscribe(hass, hass_ws_client, furby_view.device_id)
    last = _index(backlog, lambda e: e["text"] == "set_antenna red=7, green=8, blue=9")
    first = _index(backlog, lambda e: e["text"] == "set_antenna red=4, green=5, blue=6")
    assert _packets(backlog[first + 1 : last + 1], "command") == []
    assert _packets(backlog, "command") == read
    assert unread_again != read  # the untraced command did write to the toy


async def test_an_upload_is_summed_up_not_traced_packet_by_packet(
    hass: HomeAssistant,
    timed: FurbyView,
    timed_furby: VirtualFurby,
    furby_clock: ManualClock,
    allowed: Path,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """During a DLC upload the FileWrite packets and the ``09 NN`` acks are not entries: one
    ``upload`` entry sums them up (packets and bytes as the toy received them, acks), before
    the toy's ``24 05``. Every other packet of the upload (slot queries, acks on and off, the
    announce, activation) is traced with the bytes the toy received.
    """
    ws, sub, _backlog = await _subscribe(hass, hass_ws_client, timed.device_id)
    writes = WriteLog(timed_furby)
    data = build_dlc(3_001, seed=11)
    await timed.call("upload_dlc", {"path": write_file(allowed, "trace.dlc", data)})

    def tick() -> None:
        skip_result_grace(hass, timed)
        flush(hass)

    await async_drive_clock_until(furby_clock, lambda: upload_ended(timed), tick=tick)
    entries = await entries_until(
        hass, ws, sub, lambda got: any(e["text"].endswith(": done") for e in got)
    )
    assert timed.upload["phase"] == "done"

    received = await _received(hass, writes)
    file_packets = [hexed for chip, hexed in received if chip == "file"]
    assert len(file_packets) >= len(data) // 20
    assert [p for p in _packets(entries, "command") if p[0] == "file"] == []
    assert _packets(entries, "command") == [p for p in received if p[0] != "file"]
    assert [p for p in _packets(entries, "reply") if p[1].startswith("09 ")] == []

    summaries = [e for e in entries if e["kind"] == "upload" and "packets" in (e["data"] or {})]
    assert summaries
    assert all(s["level"] == "debug" and s["data"]["characteristic"] == "file" for s in summaries)
    assert sum(s["data"]["packets"] for s in summaries) == len(file_packets)
    assert sum(s["data"]["bytes"] for s in summaries) == len(data)
    assert sum(s["data"]["acks"] for s in summaries) > 0
    finished = _index(
        entries, lambda e: e["data"] == {"characteristic": "generalplus", "hex": "24 05"}
    )
    assert _index(entries, lambda e: e is summaries[0]) < finished
    assert len(entries) < len(file_packets) // 2  # nothing per packet


async def test_a_dropped_link_lets_go_of_its_client(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """The trace lets go of a link's client when the link drops (the client can be freed
    while the toy stays away and the subscriber stays), and a new link is traced again once.
    """
    ws, sub, _backlog = await _subscribe(hass, hass_ws_client, furby_view.device_id)
    client = connected_entry.runtime_data.coordinator.connection.client
    assert client is not None
    old = weakref.ref(client)
    del client
    writes = WriteLog(furby)
    await furby_view.call("set_antenna", {"red": 1, "green": 1, "blue": 1})
    await entries_until(hass, ws, sub, _line("set_antenna red=1, green=1, blue=1"))

    furby.faults.go_out_of_range()
    await async_wait_until(hass, lambda: not furby_view.connected)
    await async_furby_link_idle(hass)
    await hass.async_block_till_done()
    gc.collect()
    assert old() is None

    furby.faults.come_into_range()
    while not furby_view.connected:
        await async_advance(hass, freezer, RECONNECT_BACKOFF[0])
    writes.mark()
    await furby_view.call("set_antenna", {"red": 2, "green": 2, "blue": 2})
    entries = await entries_until(hass, ws, sub, _line("set_antenna red=2, green=2, blue=2"))
    assert _packets(entries, "command") == await _received(hass, writes)


async def test_unloading_the_entry_frees_what_the_trace_held(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """A subscription of every Furby outlives an unload; the traced link's client and the
    coordinator are freed all the same (the subscription gave back its request for a trace), and
    the Furby's packets are traced again after the entry is set up anew.
    """
    ws = WsSession(await hass_ws_client(hass))
    sub = await ws.subscribe(LOG)
    await ws.next_event(sub)
    coordinator = connected_entry.runtime_data.coordinator
    client = coordinator.connection.client
    assert client is not None
    refs = weakref.ref(coordinator), weakref.ref(client)
    del coordinator, client
    await furby_view.call("set_antenna", {"red": 3, "green": 3, "blue": 3})
    entries = await entries_until(hass, ws, sub, _line("set_antenna red=3, green=3, blue=3"))
    assert _packets(entries, "command")

    assert await hass.config_entries.async_unload(connected_entry.entry_id)
    await hass.async_block_till_done()
    gc.collect()
    assert [ref() for ref in refs] == [None, None]

    await async_setup(hass, connected_entry)
    await async_wait_until(hass, lambda: furby_view.connected)
    await furby_view.call("set_antenna", {"red": 4, "green": 4, "blue": 4})
    entries = await entries_until(hass, ws, sub, _line("set_antenna red=4, green=4, blue=4"))
    assert ("generalplus", "14 04 04 04") in _packets(entries, "command")
