"""The fault campaign: one run = one fault of the virtual Furby injected into one operation.

Not part of the test command (its name does not match ``test_*.py``): ``scripts/chaos`` runs it
with ``-p tests.integration.chaos_plugin``, which plans the runs from ``--chaos-seed`` and
``--chaos-runs`` (``chaos_faults.plan``) and prints the counts per fault x operation.

Each run sets Home Assistant up in-process (phcc's ``hass``), attaches a virtual Furby through
the virtual proxy, injects its fault, runs its operation through Home Assistant (service calls,
the websocket), then checks:

- ``bounded``: the operation ends within a bounded simulated time (a call returns or fails with a
  translated error; an upload reaches ``done``, ``failed`` or ``cancelled``), and the Furby is
  connected or unavailable then, not half-way;
- ``handled``: a failing call raises ``HomeAssistantError`` with a translation key, nothing else;
- ``recovers``: once the fault is taken away, the Furby is connected again within a bounded
  simulated time and the next operation works (an antenna colour reaches the toy, the slot
  table read through Home Assistant is the toy's);
- ``persisted``: after unloading, the stored state holds that antenna colour and the toy's slots;
- ``no_leftovers``: no task of the integration is left after the unload;
- ``no_unhandled``: no log record carries an exception, no "Error doing job" / "never retrieved"
  (phcc's own checks of lingering tasks and timers apply on top).

Time is simulated: Home Assistant's frozen clock (``freezer`` + ``async_fire_time_changed``) and
the toy's ``ManualClock`` move together, never wall-clock sleeps.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import websocket_api
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util.async_ import get_scheduled_timer_handles
from pytest_homeassistant_custom_component.common import async_fire_time_changed
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.furby_connect.storage import storage_key
from tests.protocol.dlc_factory import build_dlc
from tests.virtual_furby_fixtures import FurbyFactory, async_furby_link_idle
from virtual_furby.clock import ManualClock
from virtual_furby.slots import SlotState
from virtual_furby.toy import VirtualFurby

from .chaos_faults import ChaosCase, injector, repair, toy_options
from .conftest import async_setup, make_entry
from .entity_helpers import FurbyView
from .upload_helpers import FINAL_PHASES

OPERATION_LIMIT = 180.0
"""Simulated seconds an operation may take under its fault (uploads of 8 kB on a slow link)."""
RECOVERY_LIMIT = 120.0
"""Simulated seconds the Furby may take to connect again once the fault is gone."""
STEP = 0.5
"""Longest step of simulated time (the driver jumps to the next timer when it is nearer)."""
MIN_STEP = 0.001
"""Shortest step of simulated time (a timer already due runs in the settling before it)."""
OUR_CODE = "custom_components/furby_connect/"
LOG_SUBSCRIBE = "furby_connect/log/subscribe"
UNRELATED_LOGGERS = ("homeassistant.components.camera",)
"""Loggers whose tracebacks say nothing about the integration (a missing libturbojpeg)."""
UNHANDLED_MARKERS = ("Error doing job", "never retrieved", "Exception in callback", "Traceback")


class ChaosFailure(AssertionError):
    """A check of the campaign failed; the message starts with the check's name."""


def check(condition: bool, name: str, detail: str) -> None:
    """Fail the run with ``name: detail`` unless ``condition``."""
    if not condition:
        raise ChaosFailure(f"{name}: {detail}")


class TimeDriver:
    """Moves Home Assistant's frozen time and the toy's clock on together, step by step."""

    def __init__(self, hass: HomeAssistant, freezer: FrozenDateTimeFactory, clock: ManualClock):
        self.hass = hass
        self.freezer = freezer
        self.clock = clock

    def next_gap(self) -> float:
        """Seconds to the next timer of the loop or the toy, at most ``STEP`` (at least 1 ms)."""
        now = self.hass.loop.time()
        gaps = [STEP]
        for handle in get_scheduled_timer_handles(self.hass.loop):
            if isinstance(handle, asyncio.TimerHandle) and not handle.cancelled():
                gaps.append(handle.when() - now)
        toy_next = self.clock.next_timer_at()
        if toy_next is not None:
            gaps.append(toy_next - self.clock.now())
        return max(min(gaps), MIN_STEP)

    async def step(self) -> float:
        """Let the loop and link settle, then move both clocks to the next timer; return the gap.

        Both clocks jump to whichever timer comes first (the 5 ms pacing of an upload, a
        connection event, a back-off pause), so simulated time passes in the order it would.
        """
        await async_furby_link_idle(self.hass)
        gap = self.next_gap()
        self.freezer.tick(gap)
        async_fire_time_changed(self.hass)
        await self.clock.advance(gap)
        await async_furby_link_idle(self.hass)
        return gap

    async def until(self, predicate: Callable[[], bool], limit: float) -> bool:
        """Step until ``predicate()`` holds; False if ``limit`` simulated seconds passed first."""
        elapsed = 0.0
        while not predicate():
            if elapsed >= limit:
                return False
            elapsed += await self.step()
        return True

    async def run[T](self, work: Awaitable[T], limit: float) -> asyncio.Future[T]:
        """Run ``work`` while time moves; return its finished future (result or exception)."""
        future = asyncio.ensure_future(work)
        finished = await self.until(future.done, limit)
        if not finished:
            future.cancel()
            raise ChaosFailure(f"bounded: still running after {limit:.0f} simulated seconds")
        return future


def handled(future: asyncio.Future[Any], what: str) -> None:
    """A finished call either succeeded or failed with a translated Home Assistant error."""
    error = future.exception()
    if error is None:
        return
    check(
        isinstance(error, HomeAssistantError) and error.translation_key is not None,
        "handled",
        f"{what} raised {type(error).__name__}: {error}",
    )


def settled(view: FurbyView) -> bool:
    """Connected, or unavailable (not a half-way state)."""
    return view.connected or not view.available


async def operate(
    case: ChaosCase,
    time: TimeDriver,
    view: FurbyView,
    toy: VirtualFurby,
    folder: Path,
    ws_client: WebSocketGenerator,
) -> None:
    """Run ``case``'s operation with its fault in place."""
    value = case.params["value"]
    if case.operation in ("connect", "device_info"):
        await time.until(lambda: settled(view), OPERATION_LIMIT)
        if case.operation == "device_info" and view.connected:
            device = view.device
            check(device.manufacturer is not None, "bounded", "no device information")
    elif case.operation == "command":
        call = view.call("set_antenna", {"red": value, "green": 1, "blue": 2})
        handled(await time.run(call, OPERATION_LIMIT), "set_antenna")
    elif case.operation == "sequence":
        steps = [{"action": "giggle", "delay": 1}, {"input": 55, "delay": 1}, {"input": 55}]
        handled(await time.run(view.call("play_sequence", {"steps": steps}), 10), "play_sequence")
        await time.until(lambda: False, 5)  # the steps play (or fail) meanwhile
    elif case.operation == "slot_query":
        call = view.call("get_dlc_slots", response=True)
        handled(await time.run(call, OPERATION_LIMIT), "get_dlc_slots")
    elif case.operation == "upload":
        path = folder / "chaos.dlc"
        path.write_bytes(build_dlc(case.params["upload_size"], seed=case.seed % 1000))
        started = await time.run(view.call("upload_dlc", {"path": str(path)}), OPERATION_LIMIT)
        handled(started, "upload_dlc")
        if started.exception() is None:
            ended = await time.until(
                lambda: view.upload.get("phase") in FINAL_PHASES, OPERATION_LIMIT
            )
            check(ended, "bounded", f"upload stuck in {view.upload.get('phase')!r}")
    elif case.operation == "log_subscription":
        await subscribe_log(time, view, ws_client)
    await time.until(lambda: settled(view), OPERATION_LIMIT)
    check(settled(view), "bounded", "neither connected nor unavailable")


async def subscribe_log(time: TimeDriver, view: FurbyView, ws_client: WebSocketGenerator) -> None:
    """Follow the Furby's log over the websocket while a command runs under the fault."""
    handlers = view.hass.data.get(websocket_api.DOMAIN, {})
    if LOG_SUBSCRIBE not in handlers:
        pytest.skip(f"{LOG_SUBSCRIBE} is not registered in this tree")
    client = await ws_client(view.hass)
    await client.send_json_auto_id({"type": LOG_SUBSCRIBE, "device_id": view.device_id})
    reply = (await time.run(client.receive_json(), 10)).result()
    check(reply.get("success") is True, "handled", f"log subscribe answered {reply}")
    call = view.call("set_antenna", {"red": 9, "green": 8, "blue": 7})
    handled(await time.run(call, OPERATION_LIMIT), "set_antenna")
    first = (await time.run(client.receive_json(), 10)).result()
    check(first.get("type") == "event", "handled", f"log subscription sent {first}")
    await client.send_json_auto_id({"type": "unsubscribe_events", "subscription": reply["id"]})
    await client.close()


async def recover_and_verify(
    time: TimeDriver, view: FurbyView, toy: VirtualFurby, value: int
) -> None:
    """Take the fault away; the Furby must come back and the next operations work."""
    repair(toy)
    back = await time.until(lambda: view.connected, RECOVERY_LIMIT)
    check(back, "recovers", f"not connected {RECOVERY_LIMIT:.0f} s after the fault was gone")
    colour = {"red": value, "green": 255 - value, "blue": 77}
    done = await time.run(view.call("set_antenna", colour), OPERATION_LIMIT)
    check(done.exception() is None, "recovers", f"set_antenna then failed: {done.exception()!r}")
    check(toy.antenna == (value, 255 - value, 77), "recovers", f"toy shows {toy.antenna}")
    slots = await time.run(view.call("get_dlc_slots", response=True), OPERATION_LIMIT)
    check(slots.exception() is None, "recovers", f"get_dlc_slots failed: {slots.exception()!r}")


def task_file(task: asyncio.Task[Any]) -> str:
    """The source file of the coroutine a task runs ("" when unknown)."""
    code = getattr(task.get_coro(), "cr_code", None)
    return "" if code is None else str(code.co_filename)


def toy_filled(toy: VirtualFurby) -> list[int]:
    """The toy's slots that hold something."""
    return [number for number in range(14) if toy.slots[number].state is not SlotState.EMPTY]


async def unload_and_check(
    time: TimeDriver, view: FurbyView, toy: VirtualFurby, hass_storage: dict[str, Any]
) -> None:
    """Unload the entry; the stored state matches the toy and no task of ours is left."""
    hass = view.hass
    unloaded = await time.run(hass.config_entries.async_unload(view.entry.entry_id), 60)
    check(unloaded.exception() is None, "no_leftovers", f"unload raised {unloaded.exception()!r}")
    check(view.entry.state is ConfigEntryState.NOT_LOADED, "no_leftovers", "entry still loaded")
    await time.until(lambda: False, 2)
    ours = [task for task in asyncio.all_tasks() if OUR_CODE in task_file(task)]
    check(not ours, "no_leftovers", f"tasks left after unload: {ours}")
    stored = hass_storage.get(storage_key(view.entry.entry_id), {}).get("data")
    check(stored is not None, "persisted", "nothing stored")
    assert stored is not None
    check(
        tuple(stored["antenna"] or ()) == toy.antenna,
        "persisted",
        f"stored antenna {stored['antenna']}, toy {toy.antenna}",
    )
    filled = (stored.get("slots") or {}).get("filled")
    check(filled == toy_filled(toy), "persisted", f"stored slots {filled}, toy {toy_filled(toy)}")


def unhandled_records(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Log records that carry an exception or say one went unhandled."""
    found = []
    for record in caplog.records:
        if record.name.startswith(UNRELATED_LOGGERS):
            continue
        text = record.getMessage()
        if record.exc_info is not None or (
            record.levelno >= logging.ERROR and any(m in text for m in UNHANDLED_MARKERS)
        ):
            found.append(f"{record.name}: {text.splitlines()[0] if text else ''}")
    return found


async def test_chaos_run(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    furby_factory: FurbyFactory,
    furby_clock: ManualClock,
    hass_storage: dict[str, Any],
    hass_ws_client: WebSocketGenerator,
    allowed: Path,
    caplog: pytest.LogCaptureFixture,
    chaos_case: ChaosCase,
    request: pytest.FixtureRequest,
) -> None:
    """One fault in one operation: bounded, handled, recovered, persisted, nothing left over."""
    case = chaos_case
    request.node.user_properties.append(("chaos", (case.fault, case.operation)))
    caplog.set_level(logging.WARNING)
    toy = furby_factory(**toy_options(case))
    inject = injector(case)
    time = TimeDriver(hass, freezer, furby_clock)
    entry = make_entry(toy.address)
    entry.add_to_hass(hass)
    if case.operation in ("connect", "device_info"):
        inject(toy)
        view = await async_setup(hass, entry)
    else:
        view = await async_setup(hass, entry)
        connected = await time.until(lambda: view.connected, RECOVERY_LIMIT)
        check(connected, "recovers", "the toy did not connect before the fault")
        inject(toy)
    await operate(case, time, view, toy, allowed, hass_ws_client)
    await recover_and_verify(time, view, toy, case.params["value"])
    await unload_and_check(time, view, toy, hass_storage)
    found = unhandled_records(caplog)
    check(not found, "no_unhandled", "; ".join(found[:3]))
