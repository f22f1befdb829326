"""Benchmarks that need a running Home Assistant (``scripts/bench`` runs them; not tests).

The file name does not match ``test_*.py``, so the test command never collects it; ``scripts/bench``
runs ``pytest tests/integration/bench_home_assistant.py`` with ``FURBY_BENCH_OUT`` naming a JSON
file each function merges its figures into. They use the same fixtures as the integration tests
(Home Assistant from pytest-homeassistant-custom-component, the virtual Furby on a virtual
bluetooth proxy with its realistic radio), so they measure the integration as Home Assistant runs
it. Each function still asserts what it relies on, so a broken measurement fails loudly instead of
printing a wrong figure.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any, cast

import voluptuous as vol
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import bluetooth, websocket_api
from homeassistant.components.websocket_api.decorators import websocket_command
from homeassistant.components.websocket_api.messages import event_message
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.typing import VolDictType
from homeassistant.setup import async_setup_component
from homeassistant.util.async_ import get_scheduled_timer_handles

from custom_components.furby_connect.const import DOMAIN
from custom_components.furby_connect.models import LogKind, LogLevel
from custom_components.furby_connect.protocol.gatt import DEVICE_INFORMATION_FIELDS
from tests.protocol.dlc_factory import build_dlc
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .conftest import async_advance, async_setup, async_wait_until, make_entry
from .entity_helpers import FurbyView
from .state_writes import StateWrites
from .test_link import expired_advertisements
from .upload_helpers import skip_result_grace, upload_ended, write_file

DEVICE_INFO_UUIDS = frozenset(uuid.lower() for uuid in DEVICE_INFORMATION_FIELDS.values())
UPLOAD_GUARD = 120.0
"""Real seconds an upload may take on a busy machine before the benchmark gives up."""


def record(section: str, figures: dict[str, Any]) -> None:
    """Merge ``figures`` under ``section`` into the file ``FURBY_BENCH_OUT`` names."""
    out = os.environ.get("FURBY_BENCH_OUT")
    if not out:
        return
    path = Path(out)
    data = json.loads(path.read_text()) if path.exists() else {}
    data[section] = figures
    path.write_text(json.dumps(data))


def count_device_info_reads(furby: VirtualFurby) -> Counter[str]:
    """Count the toy's Device Information reads from now on (at its fault hook, per read)."""
    reads: Counter[str] = Counter()
    faults = furby.faults
    original = faults.gatt_error_for

    def counting(uuid: str, operation: str) -> int | None:
        if operation == "read" and uuid.lower() in DEVICE_INFO_UUIDS:
            reads["reads"] += 1
        return original(uuid, operation)

    faults.gatt_error_for = counting  # type: ignore[method-assign]
    return reads


async def test_device_information_is_read_once(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    furby: VirtualFurby,
) -> None:
    """Row 1: Device Information reads at the first contact and on a reconnect."""
    reads = count_device_info_reads(furby)
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)
    view = await async_setup(hass, entry)
    await async_wait_until(hass, lambda: view.connected)
    first = reads["reads"]
    furby.drop_connection()
    await async_wait_until(hass, lambda: not view.connected)
    await async_advance(hass, freezer, 1.5)  # the pause after a short-lived link
    await async_wait_until(hass, lambda: view.connected)
    assert furby.connect_count == 2
    assert first == len(DEVICE_INFO_UUIDS)
    record(
        "device_info",
        {"reads_first_contact": first, "reads_on_reconnect": reads["reads"] - first},
    )


async def test_state_writes_per_upload_tick(
    hass: HomeAssistant,
    every_entity: tuple[VirtualFurby, FurbyView, StateWrites],
    allowed: Path,
) -> None:
    """Row 3: state writes of all 18 entities per upload progress tick and per upload."""
    _furby, view, writes = every_entity
    upload_sensor = view.entity_id("sensor", "upload_progress")
    path = write_file(allowed, "chilli.dlc", build_dlc(20_000))
    start = writes.mark()
    await view.call("upload_dlc", {"path": path, "activate": True})
    async with asyncio.timeout(UPLOAD_GUARD):
        while not upload_ended(view):
            skip_result_grace(hass, view)
            await async_furby_link_idle(hass)
    assert view.upload["phase"] == "done"
    await hass.async_block_till_done()
    reports = [
        i for i, (entity, _) in enumerate(writes.log) if entity == upload_sensor and i >= start
    ]
    ticks = [
        (earlier, later)
        for earlier, later in itertools.pairwise(reports)
        if writes.log[later][1]["phase"] in ("announcing", "transferring")
    ]
    assert ticks
    per_tick = [sum(writes.since(earlier + 1, later + 1).values()) for earlier, later in ticks]
    whole = writes.since(start)
    record(
        "state_writes_upload",
        {
            "entities": len(writes.entity_ids),
            "ticks": len(ticks),
            "writes_per_tick_max": max(per_tick),
            "writes_per_tick_mean": sum(per_tick) / len(per_tick),
            "upload_reports": len(reports),
            "writes_whole_upload": sum(whole.values()),
            "writes_whole_upload_by_entity": {k: v for k, v in whole.items() if v},
        },
    )


async def test_state_writes_per_advertisement(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    every_entity: tuple[VirtualFurby, FurbyView, StateWrites],
    virtual_proxy: Any,
) -> None:
    """Row 3: state writes of all 18 entities for one advertisement with a new signal strength."""
    furby, view, writes = every_entity
    furby.faults.stop_advertising()
    with expired_advertisements():
        await async_advance(hass, freezer, 301, step=1.0)
    assert not bluetooth.async_address_present(hass, furby.address, True)
    furby.rssi = -71
    furby.faults.resume_advertising()
    start = writes.mark()
    virtual_proxy.advertise_all()
    await async_wait_until(hass, lambda: view.state("sensor", "signal_strength").state == "-71")
    await hass.async_block_till_done()
    counts = writes.since(start)
    record(
        "state_writes_advertisement",
        {
            "entities": len(writes.entity_ids),
            "writes": sum(counts.values()),
            "by_entity": {k: v for k, v in counts.items() if v},
        },
    )


async def test_setup_with_the_toy_absent(hass: HomeAssistant) -> None:
    """Row 8: setting up an entry whose toy is nowhere returns at once, loaded."""
    entry = make_entry("F1:23:45:67:89:EF")
    entry.add_to_hass(hass)
    start = time.perf_counter()
    assert await hass.config_entries.async_setup(entry.entry_id)
    returned = time.perf_counter() - start
    await hass.async_block_till_done()
    settled = time.perf_counter() - start
    assert entry.state is ConfigEntryState.LOADED
    record("setup_absent", {"setup_returned_ms": returned * 1000, "settled_ms": settled * 1000})


async def test_setup_with_the_toy_present_until_connected(
    hass: HomeAssistant, furby: VirtualFurby
) -> None:
    """Row 8 baseline: what a setup that waited for the toy would cost at best (toy present)."""
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)
    start = time.perf_counter()
    view = await async_setup(hass, entry)
    returned = time.perf_counter() - start
    await async_wait_until(hass, lambda: view.connected)
    connected = time.perf_counter() - start
    record(
        "setup_present",
        {"setup_returned_ms": returned * 1000, "connected_ms": connected * 1000},
    )


async def _start_time(hass: HomeAssistant, with_integration: bool, address: str) -> float:
    """Seconds from setting the component up to Home Assistant being idle."""
    if with_integration:
        make_entry(address).add_to_hass(hass)
    start = time.perf_counter()
    assert await async_setup_component(hass, "homeassistant", {})
    if with_integration:
        assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
    return time.perf_counter() - start


async def test_start_without_the_integration(hass: HomeAssistant) -> None:
    """Row 8: Home Assistant's core set up with bluetooth and no Furby entry."""
    seconds = await _start_time(hass, False, "")
    record("start_without", {"seconds": seconds})


async def test_start_with_the_integration(hass: HomeAssistant, furby: VirtualFurby) -> None:
    """Row 8: the same with one Furby entry (its toy present; connecting runs in the background)."""
    seconds = await _start_time(hass, True, furby.address)
    record("start_with", {"seconds": seconds})


# ----------------------------------------------------------------------------- row 4: log websocket

LOG_SUBSCRIBE = "furby_connect/log/subscribe"
NAIVE_SUBSCRIBE = "bench/naive_log/subscribe"
SUBSCRIBERS = 50
FLOOD_PER_SECOND = 1000
FLOOD_TICK = 0.01
"""The flood's producer adds ``FLOOD_PER_SECOND * FLOOD_TICK`` entries every tick."""
NAIVE_POLL = 0.1
"""The naive idle baseline: each subscriber polls its queue every 100 ms."""


def bench_duration() -> float:
    """Seconds of each log websocket phase (``scripts/bench --duration``)."""
    return float(os.environ.get("FURBY_BENCH_DURATION", "5"))


class LoopWatch:
    """Count timer handles scheduled on the loop, per module of their callback, and iterations."""

    def __init__(self, hass: HomeAssistant) -> None:
        self.loop = hass.loop
        self.timers: Counter[str] = Counter()
        self.iterations = 0

    def __enter__(self) -> LoopWatch:
        loop: Any = self.loop
        call_at, run_once = loop.call_at, loop._run_once
        watch = self

        def counting_call_at(when: float, callback: Any, *args: Any, **kwargs: Any) -> Any:
            watch.timers[owner_of(getattr(callback, "func", callback))] += 1
            return call_at(when, callback, *args, **kwargs)

        def counting_run_once() -> None:
            watch.iterations += 1
            run_once()

        loop.call_at = counting_call_at
        loop._run_once = counting_run_once
        return self

    def __exit__(self, *_exc: object) -> None:
        loop: Any = self.loop
        del loop.call_at
        del loop._run_once

    def ours(self, module: str = "custom_components.furby_connect") -> int:
        """Timers whose callback, or the task sleeping on them, lives in ``module`` (a prefix)."""
        return sum(n for name, n in self.timers.items() if name.startswith(module))


def owner_of(callback: Any) -> str:
    """The module a timer's callback belongs to; for asyncio's own callbacks (``asyncio.sleep``,
    ``asyncio.timeout``) the module of the running task's coroutine, which asked for the timer.
    """
    module = str(getattr(callback, "__module__", None) or "?")
    if not module.startswith("asyncio"):
        return module
    try:
        task = asyncio.current_task()
    except RuntimeError:
        return module
    frame = getattr(task.get_coro(), "cr_frame", None) if task is not None else None
    return str(frame.f_globals.get("__name__", module)) if frame is not None else module


class Reader:
    """Read one websocket client's messages in the background and count them."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.messages = 0
        self.entries = 0
        self.dropped = 0
        self.largest_batch = 0
        self.lag_max = 0.0
        self.closed = False
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        while True:
            try:
                msg = await self.client.receive_json()
            except (TypeError, ValueError):  # Home Assistant closed the connection
                self.closed = True
                return
            if msg.get("type") != "event":
                continue
            event = msg["event"]
            self.messages += 1
            if event.get("type") == "dropped":
                self.dropped += event["count"]
            entries = event.get("entries") or ([event] if "seq" in event else [])
            self.entries += len(entries)
            self.largest_batch = max(self.largest_batch, len(entries))
            if entries and event.get("type") != "backlog" and "time" in entries[0]:
                self.lag_max = max(self.lag_max, time.time() - entries[0]["time"])

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task


def register_naive_subscription(hass: HomeAssistant, subscribers: list[Any]) -> None:
    """A baseline log subscription: every entry goes out at once as its own message."""

    # voluptuous at type-check time, probatio's markers in HA 2026.10's signatures
    fields: dict[vol.Marker, Any] = {vol.Required("type"): NAIVE_SUBSCRIBE}
    schema = cast(VolDictType, fields)

    @websocket_command(schema)
    @callback
    def naive_subscribe(hass: HomeAssistant, connection: Any, msg: dict[str, Any]) -> None:
        subscribers.append((connection, msg["id"]))
        connection.subscriptions[msg["id"]] = lambda: None
        connection.send_result(msg["id"])

    websocket_api.async_register_command(hass, naive_subscribe)


async def _subscribe_all(
    hass: HomeAssistant, hass_ws_client: Any, message: dict[str, Any]
) -> list[Reader]:
    readers = []
    for _ in range(SUBSCRIBERS):
        client = await hass_ws_client(hass)
        await client.send_json_auto_id(dict(message))
        result = await client.receive_json()
        assert result["success"], result
        reader = Reader(client)
        reader.start()
        readers.append(reader)
    return readers


async def _measure_phase(
    hass: HomeAssistant, seconds: float, produce: Any | None, queues: Any | None = None
) -> dict[str, Any]:
    """For ``seconds``, every ``FLOOD_TICK`` call ``produce(n)`` with the entries due by then at
    ``FLOOD_PER_SECOND`` (a late tick catches up), or do nothing; measure CPU and timers."""
    peak_queue = produced = 0
    with LoopWatch(hass) as watch:
        wall, cpu = time.perf_counter(), time.process_time()
        end = wall + seconds
        while (now := time.perf_counter()) < end:
            if produce is not None:
                due = int((now - wall) * FLOOD_PER_SECOND) + 1 - produced
                produce(due)
                produced += due
                if queues is not None:
                    peak_queue = max(peak_queue, queues())
                await asyncio.sleep(FLOOD_TICK)
            else:
                await asyncio.sleep(min(1.0, end - now))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "entries_produced": produced,
        "seconds": wall,
        "cpu_seconds": cpu,
        "cpu_share": cpu / wall,
        "loop_iterations": watch.iterations,
        "timers_by_integration": watch.ours(),
        "timers_by_log_feed": watch.ours("custom_components.furby_connect.log_buffer"),
        "timers_by_baseline": watch.ours(__name__),
        "timers_total": sum(watch.timers.values()),
        "peak_queue": peak_queue,
    }


def _log_queues(hass: HomeAssistant) -> int:
    """The longest queue of entries waiting for one log subscriber, found via the armed flush
    timers (an idle subscriber has neither timer nor queue)."""
    longest = 0
    for handle in get_scheduled_timer_handles(hass.loop):
        owner: Any = getattr(getattr(handle, "_callback", None), "__self__", None)
        if type(owner).__name__ == "LogBatcher":
            longest = max(longest, len(owner._queue))
    return longest


def _summary(phase: dict[str, Any], readers: list[Reader]) -> dict[str, Any]:
    seconds = phase["seconds"]
    return {
        **phase,
        "messages_per_second_per_subscriber": sum(r.messages for r in readers)
        / len(readers)
        / seconds,
        "entries_received_per_subscriber": sum(r.entries for r in readers) / len(readers),
        "dropped_entries": sum(r.dropped for r in readers),
        "largest_batch": max(r.largest_batch for r in readers),
        "max_lag_seconds": max(r.lag_max for r in readers),
        "connections_closed_by_home_assistant": sum(r.closed for r in readers),
    }


async def test_log_websocket_idle_and_flood(
    hass: HomeAssistant, hass_ws_client: Any, furby: VirtualFurby
) -> None:
    """Row 4: 50 log subscribers idle and under a flood of 1,000 entries/s, next to a naive
    subscription (one message per entry; a 100 ms poll per subscriber while idle)."""
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)
    view = await async_setup(hass, entry)
    await async_wait_until(hass, lambda: view.connected)
    await hass_ws_client(hass)  # sets the websocket API up
    if not websocket_api_has(hass, LOG_SUBSCRIBE):
        record("log_websocket", {"unavailable": f"no {LOG_SUBSCRIBE} command in this tree"})
        return
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, furby.address)})
    assert device is not None
    coordinator: Any = entry.runtime_data.coordinator
    seconds = bench_duration()
    figures: dict[str, Any] = {"subscribers": SUBSCRIBERS, "entries_per_second": FLOOD_PER_SECOND}

    readers = await _subscribe_all(
        hass, hass_ws_client, {"type": LOG_SUBSCRIBE, "device_id": device.id}
    )
    await hass.async_block_till_done()
    figures["ours_idle"] = _summary(await _measure_phase(hass, seconds, None), readers)

    def flood(count: int) -> None:
        for _ in range(count):
            coordinator.async_log(LogLevel.INFO, LogKind.REPLY, "flood")

    for reader in readers:
        reader.messages = reader.entries = 0
    figures["ours_flood"] = _summary(
        await _measure_phase(hass, seconds, flood, lambda: _log_queues(hass)), readers
    )
    for reader in readers:
        await reader.stop()
        await reader.client.close()

    naive: list[Any] = []
    register_naive_subscription(hass, naive)
    readers = await _subscribe_all(hass, hass_ws_client, {"type": NAIVE_SUBSCRIBE})
    polls: list[asyncio.TimerHandle] = []

    def poll(index: int) -> None:  # the naive idle subscriber: a 100 ms poll of its queue
        polls[index] = hass.loop.call_later(NAIVE_POLL, poll, index)

    for index in range(SUBSCRIBERS):
        polls.append(hass.loop.call_later(NAIVE_POLL, poll, index))
    figures["naive_idle"] = _summary(await _measure_phase(hass, seconds, None), readers)
    for handle in polls:
        handle.cancel()
    sequence = itertools.count(1)

    def naive_flood(count: int) -> None:
        for _ in range(count):
            entry = {"seq": next(sequence), "time": time.time(), "text": "flood"}
            for connection, msg_id in naive:
                connection.send_message(event_message(msg_id, entry))

    for reader in readers:
        reader.messages = reader.entries = 0
    figures["naive_flood"] = _summary(await _measure_phase(hass, seconds, naive_flood), readers)
    for reader in readers:
        await reader.stop()
        await reader.client.close()
    record("log_websocket", figures)


def websocket_api_has(hass: HomeAssistant, command: str) -> bool:
    """Whether Home Assistant's websocket API knows ``command`` (the integration loaded)."""
    return command in hass.data.get(websocket_api.DOMAIN, {})
