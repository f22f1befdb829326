"""DLC uploads through Home Assistant under every reading of the toy's acks (issue: ack models).

A representative subset of the upload matrix (docs/simulator.md "The upload matrix"): each ack
model (a-d) once, with flash-writing and steady intakes and all three radios among them. Each
toy sits behind the virtual proxy in Home Assistant's bluetooth stack; the upload is started with
the ``furby_connect.upload_dlc`` action and followed to the ``furby_connect_upload_finished``
event. The flash blocks are 4 KiB here instead of 64 KiB, so a 10 KB file makes the toy pause to
write flash three times without minutes of sending; the toy's clock jumps over those pauses by
itself (``furby_clock_max_jump`` below).
"""

from __future__ import annotations

import asyncio
import zlib
from pathlib import Path
from typing import Any

import pytest
from homeassistant.const import ATTR_DEVICE_ID, CONF_ADDRESS, STATE_ON
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.furby_connect.const import DOMAIN
from tests.protocol.dlc_factory import build_dlc
from tests.virtual_furby_fixtures import FurbyFactory
from virtual_furby import AckModel, FullBuffer, IntakeModel, SlotState, VirtualFurby
from virtual_furby.profiles import RADIOS

from .conftest import HANG_GUARD

FLASH_BLOCK = 4_096
"""Small flash blocks: a small file crosses several (the protocol tests use 64 KiB)."""

SIZE = 10_007
"""Two full 4 KiB blocks and a partial one; not a multiple of 20."""

UPLOAD_FINISHED = f"{DOMAIN}_upload_finished"

CELLS = [
    pytest.param(AckModel.BACKLOG_AND_DRAIN, 12, True, "default", id="a-flash_12-default"),
    pytest.param(AckModel.BACKLOG, 32, True, "slow", id="b-flash_32-slow"),
    pytest.param(AckModel.SINCE_LAST_REPORT, 12, False, "fast", id="c-steady_12-fast"),
    pytest.param(AckModel.NONE, 12, True, "default", id="d-flash_12-default"),
]


@pytest.fixture
def furby_clock_max_jump() -> float:
    """Let the toy's clock jump over a whole flash write (at most 2 s) by itself."""
    return 2.5


def intake_of(buffer_packets: int, flash: bool) -> IntakeModel:
    """The matrix's intake with 4 KiB flash blocks (flash toys hold back, steady ones drop)."""
    if not flash:
        return IntakeModel(buffer_packets=buffer_packets)
    return IntakeModel(
        buffer_packets=buffer_packets,
        flash_block_bytes=FLASH_BLOCK,
        flash_pause=(0.5, 2.0),
        when_full=FullBuffer.HOLD,
    )


async def set_up(hass: HomeAssistant, furby: VirtualFurby) -> str:
    """Add and set up a config entry for ``furby``, wait until it is connected; return its device.

    "Connected" is the entry's connectivity binary sensor turning on.
    """
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id=furby.address, data={CONF_ADDRESS: furby.address}
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    sensors = [
        item.entity_id
        for item in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if item.domain == "binary_sensor"
    ]
    assert len(sensors) == 1
    connected = hass.loop.create_future()

    @callback
    def on_change(_event: Event[Any] | None = None) -> None:
        state = hass.states.get(sensors[0])
        if state is not None and state.state == STATE_ON and not connected.done():
            connected.set_result(None)

    remove = async_track_state_change_event(hass, sensors, on_change)
    try:
        on_change()
        async with asyncio.timeout(HANG_GUARD):
            await connected
    finally:
        remove()
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert len(devices) == 1
    return devices[0].id


async def upload(hass: HomeAssistant, device_id: str, path: Path) -> dict[str, Any]:
    """Start an upload with the action and return the finished event's data."""
    finished: asyncio.Future[dict[str, Any]] = hass.loop.create_future()

    @callback
    def on_finished(event: Event) -> None:
        if event.data.get(ATTR_DEVICE_ID) == device_id and not finished.done():
            finished.set_result(dict(event.data))

    remove = hass.bus.async_listen(UPLOAD_FINISHED, on_finished)
    try:
        await hass.services.async_call(
            DOMAIN,
            "upload_dlc",
            {ATTR_DEVICE_ID: device_id, "path": str(path)},
            blocking=True,
            return_response=True,
        )
        async with asyncio.timeout(HANG_GUARD):
            return await finished
    finally:
        remove()


@pytest.mark.parametrize(("acks", "buffer_packets", "flash", "radio"), CELLS)
async def test_upload_succeeds_under_each_ack_model(
    hass: HomeAssistant,
    furby_factory: FurbyFactory,
    tmp_path: Path,
    acks: AckModel,
    buffer_packets: int,
    flash: bool,
    radio: str,
) -> None:
    """The action uploads the file intact with no packet lost, whatever the acks mean."""
    intake = intake_of(buffer_packets, flash)
    furby = furby_factory(radio=RADIOS[radio], intake=intake, acks=acks)
    data = build_dlc(SIZE, seed=3)
    path = tmp_path / "matrix.dlc"
    path.write_bytes(data)
    hass.config.allowlist_external_dirs = {str(tmp_path)}
    device_id = await set_up(hass, furby)

    result = await upload(hass, device_id, path)

    assert (result["phase"], result["error"]) == ("done", None)
    assert (furby.transfer.lost_packets, furby.transfer.overloads) == (0, 0)
    assert furby.transfer.intake.flash_writes == (3 if flash else 0)
    slot = furby.slots[result["slot"]]
    assert (slot.state, slot.length, slot.adler32) == (SlotState.ACTIVE, SIZE, zlib.adler32(data))
    assert (furby.transfer.acks.sent > 0) is (acks is not AckModel.NONE)
