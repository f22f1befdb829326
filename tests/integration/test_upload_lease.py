"""The upload's hold on the link (its lease): while an upload transfers, every other command is
refused at once, whoever sends it; it ends with the transfer, before the slot table is re-read;
a retry started meanwhile holds the link for itself.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from tests.protocol.dlc_factory import build_dlc
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.clock import ManualClock
from virtual_furby.toy import VirtualFurby

from .conftest import async_drive_clock, async_drive_clock_until
from .entity_helpers import FurbyView
from .upload_helpers import async_upload_end, skip_result_grace, upload_ended, write_file

GIGGLE = (55, 2, 14, 0)


async def _giggle(view: FurbyView) -> None:
    await view.call("trigger_action", {"action": "giggle"})


async def test_commands_are_refused_at_once_while_an_upload_transfers(
    hass: HomeAssistant,
    timed: FurbyView,
    timed_furby: VirtualFurby,
    furby_clock: ManualClock,
    allowed: Path,
) -> None:
    """During the transfer a command fails at once with ``busy_uploading`` (it does not queue
    behind the upload: the toy's clock does not move meanwhile); after the upload it runs.
    """
    path = write_file(allowed, "chilli.dlc", build_dlc(20_000))
    await timed.call("upload_dlc", {"path": path})
    await async_drive_clock_until(furby_clock, lambda: timed_furby.transfer.received >= 2_000)

    with pytest.raises(HomeAssistantError) as busy:
        await _giggle(timed)
    assert busy.value.translation_key == "busy_uploading"
    assert busy.value.translation_placeholders == {"name": timed.entry.title}
    await async_drive_clock_until(
        furby_clock, lambda: upload_ended(timed), tick=lambda: skip_result_grace(hass, timed)
    )
    assert timed.upload["phase"] == "done"
    assert GIGGLE not in timed_furby.played_actions

    await async_drive_clock(furby_clock, _giggle(timed))
    assert timed_furby.played_actions[-1] == GIGGLE


async def test_an_automation_triggered_by_the_upload_is_refused_too(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An automation started by the upload sensor (a task spawned from inside the upload) gets
    no pass: its command is refused as busy and never plays, not even after the upload.
    """
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": [
                    {
                        "trigger": "state",
                        "entity_id": furby_view.entity_id("sensor", "upload_progress"),
                        "attribute": "phase",
                        "to": "transferring",
                    }
                ],
                "actions": [
                    {
                        "action": "furby_connect.trigger_action",
                        "data": {"device_id": furby_view.device_id, "action": "giggle"},
                    }
                ],
            }
        },
    )
    path = write_file(allowed, "chilli.dlc", build_dlc(8_000))
    with caplog.at_level(logging.ERROR):
        await furby_view.call("upload_dlc", {"path": path})
        assert (await async_upload_end(hass, furby_view))["phase"] == "done"
        await hass.async_block_till_done()
    assert "is receiving a DLC upload" in caplog.text
    assert GIGGLE not in furby.played_actions


async def test_the_slot_reread_after_a_failure_keeps_nobody_out(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
) -> None:
    """After a link drop fails the upload, its slot re-read waits for the reconnect without
    holding the link: a command sent meanwhile is not refused, it waits and then plays.
    """
    path = write_file(allowed, "chilli.dlc", build_dlc(8_000))
    furby.faults.drop_link_after_bytes(2_000)
    furby.faults.refuse_connections()
    await furby_view.call("upload_dlc", {"path": path})
    assert (await async_upload_end(hass, furby_view))["error"] == "link_lost"

    command = hass.async_create_task(_giggle(furby_view))
    await async_furby_link_idle(hass)
    assert not command.done()  # waiting for the link, not refused as busy
    furby.faults.allow_connections()
    # The proxy re-advertises every 10 s; the advertisement lets the integration reconnect.
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=11))
    await asyncio.wait_for(command, timeout=10)
    assert furby.played_actions[-1] == GIGGLE


async def test_a_retry_during_the_reread_holds_the_link_for_itself(
    hass: HomeAssistant,
    timed: FurbyView,
    timed_furby: VirtualFurby,
    furby_clock: ManualClock,
    allowed: Path,
) -> None:
    """A retry started while the failed upload still re-reads the slots is not freed by the
    failed one ending: during its transfer other commands are still refused.
    """
    furby = timed_furby
    path = write_file(allowed, "chilli.dlc", build_dlc(20_000))
    furby.faults.drop_link_after_bytes(2_000)
    furby.faults.refuse_connections()
    await timed.call("upload_dlc", {"path": path})
    await async_drive_clock_until(furby_clock, lambda: upload_ended(timed))
    assert timed.upload["error"] == "link_lost"

    retry_id = (await timed.call("upload_dlc", {"path": path}, response=True))["upload_id"]
    furby.faults.allow_connections()
    # The proxy re-advertises every 10 s; the advertisement lets the integration reconnect.
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=11))
    await async_drive_clock_until(
        furby_clock,
        lambda: timed.upload["upload_id"] == retry_id and furby.transfer.received >= 2_000,
    )
    with pytest.raises(HomeAssistantError) as busy:
        await _giggle(timed)
    assert busy.value.translation_key == "busy_uploading"
    await async_drive_clock_until(
        furby_clock, lambda: upload_ended(timed), tick=lambda: skip_result_grace(hass, timed)
    )
    assert timed.upload["phase"] == "done"
    await async_drive_clock(furby_clock, _giggle(timed))
    assert furby.played_actions == [GIGGLE]
