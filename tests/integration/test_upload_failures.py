"""DLC uploads that fail, one table row per way of failing: each ends in ``failed`` with its
reason and translated message, the slot table is re-read, and a retry then succeeds.

Faults come from the virtual Furby (its fault injection, its clock, its link model); the
integration's own timers are moved with ``async_fire_time_changed``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.furby_connect.protocol.gatt import FILE_WRITE
from tests.protocol.dlc_factory import build_dlc
from virtual_furby.clock import ManualClock
from virtual_furby.intake import IntakeModel
from virtual_furby.slots import SlotState
from virtual_furby.toy import ToyTiming, VirtualFurby

from .conftest import async_drive_clock_until, async_wait_until
from .entity_helpers import FurbyView
from .upload_helpers import (
    announces,
    async_upload_end,
    skip_result_grace,
    upload_ended,
    write_file,
)

PAUSE_TIMEOUT = 10.0
"""Seconds the sender stays paused without the toy draining before it fails (``stalled``)."""
CONNECT_TIMEOUT = 20.0
"""Seconds a call waits for a link before ``not_connected``."""


@dataclass(frozen=True)
class Env:
    """What a failure case works with."""

    hass: HomeAssistant
    furby: VirtualFurby
    view: FurbyView
    clock: ManualClock
    size: int
    path: str


async def _nothing(_env: Env) -> None:
    """A case that needs nothing done while the upload runs."""


@dataclass(frozen=True)
class Failure:
    """One way an upload fails and how to undo it for the retry."""

    inject: Callable[[Env], None]
    error: str
    message: str
    meanwhile: Callable[[Env], Awaitable[None]] = _nothing
    """Done after the upload started, before waiting for its end."""
    slots_after: list[int] | None = field(default_factory=list)
    """The filled slots shown after the failure (``None``: not checked)."""
    repair: Callable[[Env], None] = lambda env: env.furby.faults.clear()


async def _toy_gives_up(env: Env) -> None:
    """The sender pauses after ~10 packets (no acks); the toy's 1 s timeout runs out (24 03)."""
    await async_wait_until(env.hass, lambda: env.furby.transfer.received >= 11 * 20)
    await env.clock.advance(2.0)


async def _sender_stalls(env: Env) -> None:
    """The sender pauses (no acks) and its pause timeout passes."""
    await async_wait_until(env.hass, lambda: env.furby.transfer.received >= 12 * 20)
    async_fire_time_changed(env.hass, dt_util.utcnow() + timedelta(seconds=PAUSE_TIMEOUT + 1))


async def _toy_stores_other_bytes(env: Env) -> None:
    """Once the toy holds the whole file, its stored Adler-32 is changed before verification."""
    slot = env.furby.slots[13]
    await async_wait_until(
        env.hass, lambda: slot.state is SlotState.DOWNLOADED and slot.length == env.size
    )
    slot.adler32 ^= 1


async def _no_link_in_time(env: Env) -> None:
    """The upload waits for a link (announcing) until the connect timeout passes."""
    await async_wait_until(env.hass, lambda: env.view.upload["phase"] == "announcing")
    assert not env.view.connected
    async_fire_time_changed(env.hass, dt_util.utcnow() + timedelta(seconds=CONNECT_TIMEOUT + 1))


def _tiny_buffer(env: Env) -> None:
    env.furby.intake = IntakeModel(buffer_packets=2)


async def _toy_loses_packets(env: Env) -> None:
    """The toy stops processing mid-stream until its 2-packet buffer overflows and a packet is
    lost (the sender keeps going: the toy's backlog never exceeds 2), then goes on: at the end
    it reports the receive error (24 06).
    """
    transfer = env.furby.transfer
    await async_wait_until(env.hass, lambda: transfer.received >= 20 * 20)
    env.furby.faults.stall_intake()
    await async_wait_until(env.hass, lambda: transfer.lost_packets >= 1)
    env.furby.faults.resume_intake()


def _default_intake(env: Env) -> None:
    env.furby.intake = IntakeModel()


def _toy_timeout(env: Env) -> None:
    env.furby.timing = ToyTiming(file_timeout=1.0)
    env.furby.faults.stop_acks()


def _out_of_range(env: Env) -> None:
    env.furby.faults.go_out_of_range()


FAILURES: dict[str, Failure] = {
    "link_lost": Failure(
        inject=lambda env: env.furby.faults.drop_link_after_bytes(2_000),
        error="link_lost",
        message="connection to the Furby was lost",
        slots_after=None,  # re-read once reconnected (see below)
    ),
    "received_error": Failure(
        inject=_tiny_buffer,
        meanwhile=_toy_loses_packets,
        error="received_error",
        message="an error while receiving the DLC",
        repair=_default_intake,
    ),
    "toy_timeout": Failure(
        inject=_toy_timeout,
        meanwhile=_toy_gives_up,
        error="toy_timeout",
        message="stopped waiting for data",
    ),
    "stalled": Failure(
        inject=lambda env: env.furby.faults.stop_acks(),
        meanwhile=_sender_stalls,
        error="stalled",
        message="stopped taking data",
    ),
    "verify_mismatch": Failure(
        inject=lambda _env: None,
        meanwhile=_toy_stores_other_bytes,
        error="verify_mismatch",
        message="does not match the file",
        slots_after=None,
    ),
    "unexpected": Failure(
        inject=lambda env: env.furby.faults.stack_failure(FILE_WRITE, ValueError, ops=["write"]),
        error="unexpected",
        message="failed unexpectedly",
    ),
    "not_connected": Failure(
        inject=_out_of_range,
        meanwhile=_no_link_in_time,
        error="not_connected",
        message="could not start",
        slots_after=None,
    ),
}


@pytest.mark.parametrize("case", list(FAILURES))
async def test_a_failed_upload_reports_its_reason_and_a_retry_works(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    furby_clock: ManualClock,
    allowed: Path,
    case: str,
) -> None:
    """Each failure ends in ``failed`` with its reason key and translated message, shown on the
    upload sensor and in the finished event; a retry after repairing the fault ends in ``done``.
    """
    failure = FAILURES[case]
    size = 4_000
    path = write_file(allowed, "chilli.dlc", build_dlc(size))
    env = Env(hass, furby, furby_view, furby_clock, size, path)
    failure.inject(env)

    await furby_view.call("upload_dlc", {"path": env.path})
    await failure.meanwhile(env)
    status = await async_upload_end(hass, furby_view)

    assert (status["phase"], status["error"]) == ("failed", failure.error)
    assert failure.message in status["message"]
    if failure.slots_after is not None:
        await async_wait_until(hass, lambda: furby_view.connected)
        assert furby_view.state("sensor", "active_slot").attributes["filled_slots"] == (
            failure.slots_after
        )
    if case == "not_connected":
        assert announces(furby) == []

    failure.repair(env)
    if not furby_view.connected:
        # The proxy re-advertises every 10 s; the advertisement lets the link come back.
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=11))
        await async_wait_until(hass, lambda: furby_view.connected)
    await furby_view.call("upload_dlc", {"path": env.path})
    retried = await async_upload_end(hass, furby_view)
    assert (retried["phase"], retried["error"]) == ("done", None)


async def test_after_a_link_drop_the_partial_slot_is_deleted_once_reconnected(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
) -> None:
    """A transfer cut by a drop leaves a partial slot the link could not delete; once the link
    is back the slot table is re-read, the partial slot is deleted, and the retry lands in the
    freed slot.
    """
    path = write_file(allowed, "chilli.dlc", build_dlc(8_000))
    furby.faults.drop_link_after_bytes(2_000)
    await furby_view.call("upload_dlc", {"path": path})
    status = await async_upload_end(hass, furby_view)
    assert status["error"] == "link_lost"
    # The proxy re-advertises every 10 s; the advertisement lets the integration reconnect.
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=11))
    await async_wait_until(hass, lambda: furby.slots[13].state is SlotState.EMPTY)
    await async_wait_until(
        hass,
        lambda: furby_view.state("sensor", "active_slot").attributes.get("filled_slots") == [],
    )
    await furby_view.call("upload_dlc", {"path": path})
    assert (await async_upload_end(hass, furby_view))["phase"] == "done"
    assert furby.slots[13].state is SlotState.ACTIVE


async def test_an_error_after_ok_with_a_bad_slot_fails_and_deletes_the_slot(
    hass: HomeAssistant,
    timed: FurbyView,
    timed_furby: VirtualFurby,
    furby_clock: ManualClock,
    allowed: Path,
) -> None:
    """The toy says ``24 06`` right after ``24 05`` and what it stored is not the file: the
    upload fails as ``error_after_ok``, the slot is deleted (the name is free again), and a retry
    works. The clock is moved by the test, so the stored checksum changes before the integration
    can look at it.
    """
    furby = timed_furby
    data = build_dlc(3_000)
    path = write_file(allowed, "chilli.dlc", data)
    furby.faults.send_error_after_ok()
    await timed.call("upload_dlc", {"path": path})
    slot = furby.slots[13]
    await async_drive_clock_until(
        furby_clock, lambda: slot.state is SlotState.DOWNLOADED and slot.length == len(data)
    )
    slot.adler32 ^= 1
    await async_drive_clock_until(
        furby_clock, lambda: upload_ended(timed), tick=lambda: skip_result_grace(hass, timed)
    )
    status = timed.upload
    assert (status["phase"], status["error"]) == ("failed", "error_after_ok")
    assert "error right after confirming the file" in status["message"]
    await async_drive_clock_until(  # the slot table is re-read after the end
        furby_clock, lambda: "filled_slots" in timed.state("sensor", "active_slot").attributes
    )
    assert timed.state("sensor", "active_slot").attributes["filled_slots"] == []

    furby.faults.clear()
    await timed.call("upload_dlc", {"path": path})
    await async_drive_clock_until(
        furby_clock, lambda: upload_ended(timed), tick=lambda: skip_result_grace(hass, timed)
    )
    assert timed.upload["phase"] == "done"
