"""DLC upload through ``furby_connect.upload_dlc``: progress, activation, file sources, refusals,
cancelling, unloading and stopping.

The toy sits behind the virtual proxy in HA's bluetooth stack with the default link model
(docs/protocol.md §5.3). Most tests let the clock driver move the toy's clock; those that must
act in the middle of a transfer run on ``manual_furby_clock`` and move it themselves. Failures
and retries are in ``test_upload_failures.py``, the upload's hold on the link in
``test_upload_lease.py``.
"""

from __future__ import annotations

import gc
import os
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
import voluptuous as vol
from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError, Unauthorized, UnknownUser
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.furby_connect.const import DOMAIN
from custom_components.furby_connect.upload import EVENT_UPLOAD_FINISHED
from tests.protocol.dlc_factory import build_dlc
from virtual_furby.clock import ManualClock
from virtual_furby.slots import SlotState
from virtual_furby.toy import VirtualFurby

from .conftest import async_drive_clock, async_drive_clock_until, async_wait_until
from .entity_helpers import FurbyView, WriteLog
from .upload_helpers import (
    UploadReports,
    announces,
    async_upload_end,
    skip_result_grace,
    upload_ended,
    write_file,
)


def acks_on(furby: VirtualFurby) -> bool:
    """Whether the toy sends packet acks (a call, so mypy does not keep an earlier narrowing)."""
    return furby.packet_acks


# ------------------------------------------------------------------------------ happy paths


async def test_upload_reports_progress_activates_and_fires_the_event(
    hass: HomeAssistant,
    timed: FurbyView,
    timed_furby: VirtualFurby,
    furby_clock: ManualClock,
    allowed: Path,
) -> None:
    """A file goes through validating ... activating to done on the sensor, throttled; the toy
    stores and activates it (the old DLC deactivated); one finished event names the device.
    """
    timed_furby.slots.install(3, "OLDDLC.DLC", b"old", active=True)
    data = build_dlc(3_001, seed=7)
    path = write_file(allowed, "chilli.dlc", data)
    reports = UploadReports(hass, timed)
    finished_events = async_capture_events(hass, EVENT_UPLOAD_FINISHED)

    response = await timed.call("upload_dlc", {"path": path}, response=True)
    upload_id = response["upload_id"]
    await async_drive_clock_until(
        furby_clock, lambda: upload_ended(timed), tick=lambda: skip_result_grace(hass, timed)
    )

    status = timed.upload
    assert (status["upload_id"], status["phase"], status["error"]) == (upload_id, "done", None)
    assert (status["filename"], status["slot"], status["bytes_sent"]) == (
        "__CHILLI.DLC",
        13,
        len(data),
    )
    assert status["percent"] == "100.0"
    assert "percent" not in timed.state("sensor", "upload_progress").attributes
    stored = timed_furby.slots[13]
    assert (stored.state, stored.length, stored.name) == (SlotState.ACTIVE, len(data), b"__CHILLI")
    assert timed_furby.slots[3].state is SlotState.DOWNLOADED  # the old DLC was deactivated
    assert timed.state("sensor", "active_slot").state == "13"  # slot table re-read
    assert timed_furby.transfer.overloads == 0
    assert not timed_furby.packet_acks

    phases = reports.phases
    order = ["validating", "announcing", "transferring", "verifying", "activating", "done"]
    assert phases[0] == "validating"
    assert phases[-1] == "done"
    assert [order.index(p) for p in phases] == sorted(order.index(p) for p in phases)
    assert set(order) <= set(phases)
    sent = [report["bytes_sent"] for report in reports.statuses]
    assert sent == sorted(sent)
    assert len(reports.statuses) < len(data) // 20  # throttled, not one update per packet
    assert len(finished_events) == 1
    event = finished_events[0].data
    assert (event["upload_id"], event["phase"], event[ATTR_DEVICE_ID]) == (
        upload_id,
        "done",
        timed.device_id,
    )


async def test_upload_without_activation_and_without_response(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
) -> None:
    """``activate: false`` stores the DLC without activating it; no response when none asked."""
    path = write_file(allowed, "TU003410.DLC", build_dlc(2_000))
    response = await furby_view.call("upload_dlc", {"path": path, "activate": False})
    assert response is None
    status = await async_upload_end(hass, furby_view)
    assert (status["phase"], status["activate"]) == ("done", False)
    assert furby.slots[13].state is SlotState.DOWNLOADED
    assert furby.slots.active == frozenset()


async def test_upload_by_file_id_deletes_the_uploaded_file(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    hass_client: ClientSessionGenerator,
    tmp_path: Path,
) -> None:
    """A file posted to ``/api/file_upload`` is uploaded by its id and deleted afterwards."""
    assert await async_setup_component(hass, "file_upload", {})
    data = build_dlc(1_500, seed=3)
    source = tmp_path / "hacked.dlc"
    source.write_bytes(data)
    client = await hass_client()
    # file_upload keeps its files in one fixed folder under the temp dir, which it wipes when
    # it first stores a file and at stop; a private temp dir keeps other test runs out of it.
    private = tmp_path / "temp"
    private.mkdir()
    with (
        patch(
            "homeassistant.components.file_upload.tempfile.gettempdir", return_value=str(private)
        ),
        source.open("rb") as file,
    ):
        posted = await client.post("/api/file_upload", data={"file": file})
    assert posted.status == 200
    file_id = (await posted.json())["file_id"]

    await furby_view.call("upload_dlc", {"file_id": file_id}, response=True)
    status = await async_upload_end(hass, furby_view)
    await hass.async_block_till_done(wait_background_tasks=True)  # the upload lets go of it

    assert (status["phase"], status["filename"]) == ("done", "__HACKED.DLC")
    assert furby.slots[13].length == len(data)
    assert not any(private.rglob("hacked.dlc"))  # the uploaded file is deleted afterwards
    with pytest.raises(ServiceValidationError) as raised:
        await furby_view.call("upload_dlc", {"file_id": file_id}, response=True)
    assert raised.value.translation_key == "upload_file_id_unknown"


async def test_the_upload_sensor_is_unknown_until_an_upload_and_always_available(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
) -> None:
    """The sensor is unknown before the first upload and stays available without the toy."""
    state = furby_view.state("sensor", "upload_progress")
    assert (state.state, "phase" in state.attributes) == ("unknown", False)
    path = write_file(allowed, "context.dlc", build_dlc(1_200))
    await furby_view.call("upload_dlc", {"path": path})
    await async_upload_end(hass, furby_view)
    furby.faults.go_out_of_range()
    await async_wait_until(hass, lambda: not furby_view.connected)
    state = furby_view.state("sensor", "upload_progress")
    assert (state.state, state.attributes["phase"], state.attributes["total_bytes"]) == (
        "100.0",
        "done",
        1200,
    )


async def test_an_unloaded_entry_frees_its_upload_and_coordinator(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby_view: FurbyView,
    allowed: Path,
) -> None:
    """After an upload, unloading the entry frees the upload manager and the coordinator."""
    path = write_file(allowed, "chilli.dlc", build_dlc(1_100))
    await furby_view.call("upload_dlc", {"path": path})
    await async_upload_end(hass, furby_view)
    uploads = weakref.ref(connected_entry.runtime_data.uploads)
    coordinator = weakref.ref(connected_entry.runtime_data.coordinator)
    assert await hass.config_entries.async_unload(connected_entry.entry_id)
    await hass.async_block_till_done()
    gc.collect()
    assert (uploads(), coordinator()) == (None, None)


# ------------------------------------------------------------------------------ refusals


async def test_path_outside_the_allowlist_is_refused(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    tmp_path: Path,
    allowed: Path,
) -> None:
    """A path Home Assistant may not read is refused before anything is sent."""
    path = write_file(tmp_path, "outside.dlc", build_dlc(1_100))
    with pytest.raises(ServiceValidationError) as raised:
        await furby_view.call("upload_dlc", {"path": path})
    assert raised.value.translation_key == "upload_path_not_allowed"
    assert raised.value.translation_placeholders == {"path": path}
    assert announces(furby) == []
    assert (furby_view.upload["phase"], furby_view.upload["error"]) == (
        "failed",
        "path_not_allowed",
    )


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"path": "none.dlc"}, "upload_file_not_found"),
        ({"path": "."}, "upload_not_a_file"),  # a folder
        ({"file_id": "nope"}, "upload_file_id_unknown"),
    ],
)
async def test_a_missing_file_is_refused(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
    data: dict[str, str],
    key: str,
) -> None:
    """A path that is not a file, or an unknown file id, is refused with its translated key."""
    if "path" in data:
        data = {"path": str(allowed / data["path"])}
    with pytest.raises(ServiceValidationError) as raised:
        await furby_view.call("upload_dlc", data)
    assert raised.value.translation_key == key
    assert announces(furby) == []


async def test_an_unreadable_file_is_refused(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """A file whose reading fails (here this process's ``mem``: EIO at offset 0) is refused."""
    process = Path(f"/proc/{os.getpid()}")
    if not (process / "mem").is_file():
        pytest.skip("needs Linux procfs")
    hass.config.allowlist_external_dirs = {str(process)}
    with pytest.raises(ServiceValidationError) as raised:
        await furby_view.call("upload_dlc", {"path": str(process / "mem")})
    assert raised.value.translation_key == "upload_file_unreadable"
    assert (furby_view.upload["phase"], furby_view.upload["error"]) == (
        "failed",
        "file_unreadable",
    )
    assert announces(furby) == []


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda data: bytes([data[0] ^ 0xFF]) + data[1:], "bad_magic"),
        (lambda data: data[:-1], "size_mismatch"),
    ],
)
async def test_an_invalid_dlc_is_refused_with_its_reason(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
    damage: Callable[[bytes], bytes],
    reason: str,
) -> None:
    """A file that is not a valid DLC is refused with the validator's reason; the upload ends in
    ``failed`` and the finished event says so; nothing is sent.
    """
    path = write_file(allowed, "broken.dlc", damage(build_dlc(1_100)))
    events = async_capture_events(hass, EVENT_UPLOAD_FINISHED)
    with pytest.raises(ServiceValidationError) as raised:
        await furby_view.call("upload_dlc", {"path": path})
    assert raised.value.translation_key == "upload_invalid_dlc"
    assert raised.value.translation_placeholders is not None
    assert raised.value.translation_placeholders["reason"] == reason
    assert announces(furby) == []
    assert (furby_view.upload["phase"], furby_view.upload["error"]) == ("failed", "invalid_dlc")
    await hass.async_block_till_done()
    assert [event.data["error"] for event in events] == ["invalid_dlc"]


async def test_non_admin_and_unknown_users_are_refused(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
    hass_read_only_user: User,
) -> None:
    """Uploads and cancels are for administrators; nothing starts for anyone else."""
    path = write_file(allowed, "chilli.dlc", build_dlc(1_100))
    with pytest.raises(Unauthorized):
        await furby_view.call(
            "upload_dlc", {"path": path}, context=Context(user_id=hass_read_only_user.id)
        )
    with pytest.raises(UnknownUser):
        await furby_view.call("upload_dlc", {"path": path}, context=Context(user_id="nobody"))
    with pytest.raises(Unauthorized):
        await furby_view.call("cancel_upload", context=Context(user_id=hass_read_only_user.id))
    assert announces(furby) == []
    assert furby_view.state("sensor", "upload_progress").state == "unknown"


@pytest.mark.parametrize(
    "data",
    [
        {"path": "/a.dlc", "file_id": "x"},  # both sources
        {},  # no source
        {"path": ""},
        {"path": "/a.dlc", "activate": "perhaps"},
    ],
)
async def test_bad_service_data_is_refused_by_the_schema(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    data: dict[str, Any],
) -> None:
    """Malformed upload data is refused by the schema; nothing is sent."""
    with pytest.raises(vol.Invalid):
        await furby_view.call("upload_dlc", data)
    assert announces(furby) == []


@pytest.mark.parametrize("service", ["upload_dlc", "cancel_upload"])
async def test_devices_that_are_not_loaded_furbies_are_refused(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby_view: FurbyView, service: str
) -> None:
    """An unknown device, another integration's device and an unloaded Furby are refused."""
    data = {"path": "/a.dlc"} if service == "upload_dlc" else {}
    other = MockConfigEntry(domain="other_domain")
    other.add_to_hass(hass)
    lamp = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("other_domain", "x")}, name="Lamp"
    )
    device_id = furby_view.device_id
    assert await hass.config_entries.async_unload(connected_entry.entry_id)
    for device, key in (
        ("nope", "device_not_found"),
        (lamp.id, "device_not_furby"),
        (device_id, "device_not_loaded"),
    ):
        with pytest.raises(ServiceValidationError) as raised:
            await hass.services.async_call(
                DOMAIN, service, {ATTR_DEVICE_ID: device, **data}, blocking=True
            )
        assert raised.value.translation_key == key


# ------------------------------------------------------------------------------ one at a time


async def test_a_second_upload_is_refused_then_cancel_stops_the_first(
    hass: HomeAssistant,
    timed: FurbyView,
    timed_furby: VirtualFurby,
    furby_clock: ManualClock,
    allowed: Path,
) -> None:
    """While an upload runs a second one is refused (naming the first); cancel_upload ends it
    in ``cancelled``, deletes the partial slot and re-reads the slots, and a later cancel is
    refused.
    """
    path = write_file(allowed, "chilli.dlc", build_dlc(20_000))
    events = async_capture_events(hass, EVENT_UPLOAD_FINISHED)
    first = await timed.call("upload_dlc", {"path": path}, response=True)
    await async_drive_clock_until(furby_clock, lambda: timed_furby.transfer.received >= 2_000)

    with pytest.raises(ServiceValidationError) as raised:
        await timed.call("upload_dlc", {"path": path}, response=True)
    assert raised.value.translation_key == "upload_in_progress"
    assert raised.value.translation_placeholders is not None
    assert raised.value.translation_placeholders["upload_id"] == first["upload_id"]
    assert len(announces(timed_furby)) == 1

    await async_drive_clock(furby_clock, timed.call("cancel_upload"))
    status = timed.upload
    assert (status["phase"], status["error"]) == ("cancelled", None)
    assert timed_furby.transfer.received < 20_000
    assert timed.state("sensor", "active_slot").attributes["filled_slots"] == []
    assert timed_furby.slots[13].state is SlotState.EMPTY
    await hass.async_block_till_done()
    assert [event.data["phase"] for event in events] == ["cancelled"]

    with pytest.raises(ServiceValidationError) as raised:
        await timed.call("cancel_upload")
    assert raised.value.translation_key == "upload_not_running"


async def test_unload_during_an_upload_cancels_it_and_turns_the_acks_off_first(
    hass: HomeAssistant,
    timed: FurbyView,
    timed_furby: VirtualFurby,
    furby_clock: ManualClock,
    allowed: Path,
) -> None:
    """Unloading the entry cancels the running upload while the link is still up, so the
    packet acks are turned off (``09 00 00``) before it disconnects.
    """
    path = write_file(allowed, "chilli.dlc", build_dlc(20_000))
    events = async_capture_events(hass, EVENT_UPLOAD_FINISHED)
    await timed.call("upload_dlc", {"path": path})
    await async_drive_clock_until(furby_clock, lambda: timed_furby.transfer.received >= 2_000)
    assert timed_furby.packet_acks
    log = WriteLog(timed_furby)

    assert await async_drive_clock(
        furby_clock, hass.config_entries.async_unload(timed.entry.entry_id)
    )

    assert timed.entry.state is ConfigEntryState.NOT_LOADED
    assert [event.data["phase"] for event in events] == ["cancelled"]
    assert bytes.fromhex("09 00 00") in [data for _uuid, data in log.all()]
    assert not acks_on(timed_furby)
    assert not timed_furby.is_connected


async def test_stopping_home_assistant_cancels_the_upload(
    hass: HomeAssistant,
    timed: FurbyView,
    timed_furby: VirtualFurby,
    furby_clock: ManualClock,
    allowed: Path,
) -> None:
    """Stopping Home Assistant ends a running upload in ``cancelled`` with its event."""
    path = write_file(allowed, "chilli.dlc", build_dlc(20_000))
    events = async_capture_events(hass, EVENT_UPLOAD_FINISHED)
    await timed.call("upload_dlc", {"path": path})
    await async_drive_clock_until(furby_clock, lambda: timed_furby.transfer.received >= 2_000)

    await async_drive_clock(furby_clock, hass.async_stop())

    assert timed.upload["phase"] == "cancelled"
    assert [event.data["phase"] for event in events] == ["cancelled"]
    assert timed_furby.transfer.received < 20_000
