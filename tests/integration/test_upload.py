"""DLC upload through ``furby_connect.upload_dlc`` against the virtual Furby in Home Assistant.

The toy sits behind the virtual proxy in HA's bluetooth stack. Where link timing matters the toy
gets the default ``LinkModel`` (PROTOCOL.md §5.3) on the ``furby_clock`` virtual clock, which the
test moves forward (``drive``) while the upload runs; small synthetic DLC files keep that short.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar
from unittest.mock import patch

import pytest
import voluptuous as vol
from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import Context, HomeAssistant, callback
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
    UnknownUser,
)
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.furby_connect import upload
from custom_components.furby_connect.const import DOMAIN
from custom_components.furby_connect.coordinator import FurbyCoordinator
from custom_components.furby_connect.protocol import gatt
from custom_components.furby_connect.protocol.notifications import (
    FileTransferStatus,
    Notification,
)
from custom_components.furby_connect.protocol.transfer import TransferSettings, UploadPhase
from custom_components.furby_connect.upload import (
    EVENT_UPLOAD_FINISHED,
    UploadStatus,
    upload_signal,
)
from custom_components.furby_connect.upload_sensor import FurbyUploadSensor
from tests.protocol.dlc_factory import build_dlc
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.clock import ManualClock
from virtual_furby.link import LinkModel
from virtual_furby.slots import SlotState
from virtual_furby.toy import ToyTiming, VirtualFurby

from .conftest import HANG_GUARD, async_setup, async_wait_for, make_entry

T = TypeVar("T")
ANNOUNCE = 0x50


# ------------------------------------------------------------------------------ helpers


def device_of(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """The device id of an entry's Furby."""
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert len(devices) == 1
    return devices[0].id


def status_of(coordinator: FurbyCoordinator) -> UploadStatus:
    """The upload status stored on the coordinator."""
    status = coordinator.state.upload
    assert isinstance(status, UploadStatus)
    return status


def finished(coordinator: FurbyCoordinator) -> bool:
    """Whether the coordinator's upload has ended."""
    status = coordinator.state.upload
    return isinstance(status, UploadStatus) and status.phase.is_final


def announces(furby: VirtualFurby) -> list[bytes]:
    """The ``50`` announces the toy received."""
    return [
        write.data
        for write in furby.writes
        if write.uuid == gatt.GENERALPLUS_WRITE and write.data[0] == ANNOUNCE
    ]


async def drive[R](clock: ManualClock, work: Awaitable[R], step: float = 0.015) -> R:
    """Await ``work`` while moving the toy's virtual clock one connection interval at a time."""
    task = asyncio.ensure_future(work)
    async with asyncio.timeout(HANG_GUARD):
        while not task.done():
            await clock.advance(step)
    return task.result()


async def drive_until(clock: ManualClock, predicate: Callable[[], bool]) -> None:
    """Move the toy's virtual clock one connection interval at a time until ``predicate()``."""
    async with asyncio.timeout(HANG_GUARD):
        while not predicate():
            await clock.advance(0.015)


async def until(hass: HomeAssistant, predicate: Callable[[], bool]) -> None:
    """Let the loop and the toy's driven clock run until ``predicate()`` holds.

    Waiting for the link to go idle between checks (rather than spinning on ``sleep(0)``) lets
    the clock driver move the toy's time; the toy's counters have no event to wait on.
    """
    async with asyncio.timeout(HANG_GUARD):
        while not predicate():
            await async_furby_link_idle(hass)


async def upload_dlc(
    hass: HomeAssistant, data: dict[str, Any], *, context: Context | None = None
) -> Any:
    """Call ``upload_dlc`` (blocking) asking for the response."""
    return await hass.services.async_call(
        DOMAIN, "upload_dlc", data, blocking=True, return_response=True, context=context
    )


def write_file(folder: Path, name: str, data: bytes) -> str:
    """Write ``data`` to ``folder/name`` and return the path as a string."""
    path = folder / name
    path.write_bytes(data)
    return str(path)


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture(autouse=True)
def short_error_grace() -> Any:
    """Wait 0.1 s instead of 1 s (real time here) for a ``24 06`` after ``24 05``."""
    settings = TransferSettings(error_grace=0.1)
    with patch.object(upload, "TRANSFER_SETTINGS", settings):
        yield


@pytest.fixture
def allowed(hass: HomeAssistant, tmp_path: Path) -> Path:
    """A folder Home Assistant may read (in ``allowlist_external_dirs``)."""
    folder = tmp_path / "allowed"
    folder.mkdir()
    hass.config.allowlist_external_dirs = {str(folder)}
    return folder


@pytest.fixture
async def instant(hass: HomeAssistant, connected_entry: MockConfigEntry) -> MockConfigEntry:
    """The ``furby`` toy (default link, its clock driven by itself) set up and connected."""
    return connected_entry


@pytest.fixture
def timed_furby(
    furby_factory: Callable[..., VirtualFurby], manual_furby_clock: ManualClock
) -> VirtualFurby:
    """A toy with the default link model on ``furby_clock``, which only the test moves."""
    return furby_factory("F1:23:45:67:89:CD", link=LinkModel())


@pytest.fixture
async def timed(
    hass: HomeAssistant, timed_furby: VirtualFurby, furby_clock: ManualClock
) -> AsyncGenerator[MockConfigEntry]:
    """``timed_furby`` set up and connected (the clock is driven while it connects).

    At the end the entry is unloaded while the clock moves, so the disconnect's GATT requests
    are answered instead of timing out.
    """
    entry = make_entry(timed_furby.address)
    entry.add_to_hass(hass)
    coordinator = await drive(furby_clock, async_setup(hass, entry))
    await drive(furby_clock, async_wait_for(coordinator, lambda: coordinator.connected))
    yield entry
    if entry.state is ConfigEntryState.LOADED:
        await drive(furby_clock, hass.config_entries.async_unload(entry.entry_id))


# ------------------------------------------------------------------------------ happy path


async def test_upload_with_link_timing_reports_progress_and_activates(
    hass: HomeAssistant,
    timed: MockConfigEntry,
    timed_furby: VirtualFurby,
    furby_clock: ManualClock,
    allowed: Path,
) -> None:
    coordinator: FurbyCoordinator = timed.runtime_data
    timed_furby.slots.install(3, "OLDDLC.DLC", b"old", active=True)
    data = build_dlc(3_001, seed=7)
    path = write_file(allowed, "chilli.dlc", data)
    reports: list[UploadStatus] = []

    @callback
    def on_status(status: UploadStatus) -> None:
        reports.append(status)

    async_dispatcher_connect(hass, upload_signal(timed.entry_id), on_status)
    finished_events = async_capture_events(hass, EVENT_UPLOAD_FINISHED)
    device_id = device_of(hass, timed)

    response = await upload_dlc(hass, {ATTR_DEVICE_ID: device_id, "path": path})
    upload_id = response["upload_id"]
    await drive(furby_clock, async_wait_for(coordinator, lambda: finished(coordinator)))

    status = status_of(coordinator)
    assert (status.upload_id, status.phase, status.error) == (upload_id, UploadPhase.DONE, None)
    assert (status.filename, status.slot, status.bytes_sent) == ("__CHILLI.DLC", 13, len(data))
    assert status.percent == 100
    stored = timed_furby.slots[13]
    assert (stored.state, stored.length, stored.name) == (SlotState.ACTIVE, len(data), b"__CHILLI")
    assert timed_furby.slots[3].state is SlotState.DOWNLOADED  # the old DLC was deactivated
    assert coordinator.state.slots is not None
    assert coordinator.state.slots.active == {13}  # slot table re-read into the state
    assert timed_furby.transfer.overloads == 0
    assert not timed_furby.packet_acks

    phases = [report.phase for report in reports]
    order = list(UploadPhase)
    assert phases[0] is UploadPhase.VALIDATING
    assert phases[-1] is UploadPhase.DONE
    assert [order.index(p) for p in phases] == sorted(order.index(p) for p in phases)
    assert {UploadPhase.ANNOUNCING, UploadPhase.TRANSFERRING, UploadPhase.VERIFYING} <= set(phases)
    assert UploadPhase.ACTIVATING in phases
    sent = [report.bytes_sent for report in reports]
    assert sent == sorted(sent)
    assert len(reports) < len(data) // 20  # throttled, not one update per packet
    assert len(finished_events) == 1
    event = finished_events[0].data
    assert (event["upload_id"], event["phase"], event[ATTR_DEVICE_ID]) == (
        upload_id,
        "done",
        device_id,
    )


async def test_upload_without_activation_and_without_response(
    hass: HomeAssistant, instant: MockConfigEntry, furby: VirtualFurby, allowed: Path
) -> None:
    coordinator: FurbyCoordinator = instant.runtime_data
    path = write_file(allowed, "TU003410.DLC", build_dlc(2_000))
    response = await hass.services.async_call(
        DOMAIN,
        "upload_dlc",
        {ATTR_DEVICE_ID: device_of(hass, instant), "path": path, "activate": False},
        blocking=True,
    )
    assert response is None
    await async_wait_for(coordinator, lambda: finished(coordinator))
    assert status_of(coordinator).phase is UploadPhase.DONE
    assert furby.slots[13].state is SlotState.DOWNLOADED
    assert furby.slots.active == frozenset()


async def test_upload_by_file_id(
    hass: HomeAssistant,
    instant: MockConfigEntry,
    furby: VirtualFurby,
    hass_client: ClientSessionGenerator,
    tmp_path: Path,
) -> None:
    assert await async_setup_component(hass, "file_upload", {})
    coordinator: FurbyCoordinator = instant.runtime_data
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

    await upload_dlc(hass, {ATTR_DEVICE_ID: device_of(hass, instant), "file_id": file_id})
    await async_wait_for(coordinator, lambda: finished(coordinator))
    await hass.async_block_till_done(wait_background_tasks=True)  # the job releases the file

    assert status_of(coordinator).phase is UploadPhase.DONE
    assert status_of(coordinator).filename == "__HACKED.DLC"
    assert furby.slots[13].length == len(data)
    assert not any(private.rglob("hacked.dlc"))  # the uploaded file is deleted afterwards
    with pytest.raises(ServiceValidationError) as raised:
        await upload_dlc(hass, {ATTR_DEVICE_ID: device_of(hass, instant), "file_id": file_id})
    assert raised.value.translation_key == "upload_file_id_unknown"


async def test_upload_sensor_follows_the_status(
    hass: HomeAssistant, instant: MockConfigEntry, allowed: Path
) -> None:
    coordinator: FurbyCoordinator = instant.runtime_data
    sensor = FurbyUploadSensor(coordinator)
    assert (sensor.native_value, sensor.extra_state_attributes, sensor.available) == (
        None,
        None,
        True,
    )
    path = write_file(allowed, "context.dlc", build_dlc(1_200))
    await upload_dlc(hass, {ATTR_DEVICE_ID: device_of(hass, instant), "path": path})
    await async_wait_for(coordinator, lambda: finished(coordinator))
    attributes = sensor.extra_state_attributes
    assert sensor.native_value == 100
    assert attributes is not None
    assert (attributes["phase"], attributes["slot"], attributes["total_bytes"]) == (
        "done",
        13,
        1200,
    )
    assert "percent" not in attributes
    entity_id = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{coordinator.address}_upload_progress"
    )
    assert entity_id is not None  # added by sensor.py
    state = hass.states.get(entity_id)
    assert state is not None
    assert (state.state, state.attributes["phase"]) == ("100.0", "done")


@pytest.mark.parametrize(
    ("file_name", "announced"),
    [
        ("chilli.dlc", "__CHILLI.DLC"),
        ("TU003410.DLC", "TU003410.DLC"),
        ("/media/furby/hacked.dlc", "__HACKED.DLC"),
        ("my custom file.dlc", "MYCUSTOM.DLC"),  # spaces are refused by the 12-character rule
        ("a_very_long_name.dlc", "A_VERY_L.DLC"),
        ("ünïcödé.dlc", "_____NCD.DLC"),
        ("日本.dlc", "__UPLOAD.DLC"),
    ],
)
def test_announce_name(file_name: str, announced: str) -> None:
    assert upload.announce_name(file_name) == announced


def test_status_as_dict_is_json_friendly() -> None:
    status = UploadStatus("id", "__CHILLI.DLC", UploadPhase.TRANSFERRING, 2_000, bytes_sent=500)
    assert status.as_dict() == {
        "upload_id": "id",
        "filename": "__CHILLI.DLC",
        "phase": "transferring",
        "total_bytes": 2_000,
        "bytes_sent": 500,
        "rate": None,
        "eta": None,
        "slot": None,
        "activate": True,
        "error": None,
        "message": None,
        "percent": 25.0,
    }
    assert UploadStatus("id", "", UploadPhase.VALIDATING, 0).percent == 0


# ------------------------------------------------------------------------------ refusals


async def test_path_outside_the_allowlist_is_refused(
    hass: HomeAssistant,
    instant: MockConfigEntry,
    furby: VirtualFurby,
    tmp_path: Path,
    allowed: Path,
) -> None:
    path = write_file(tmp_path, "outside.dlc", build_dlc(1_100))
    with pytest.raises(ServiceValidationError) as raised:
        await upload_dlc(hass, {ATTR_DEVICE_ID: device_of(hass, instant), "path": path})
    assert raised.value.translation_key == "upload_path_not_allowed"
    assert raised.value.translation_placeholders == {"path": path}
    assert announces(furby) == []
    assert status_of(instant.runtime_data).error == "path_not_allowed"


async def test_missing_file_is_refused(
    hass: HomeAssistant, instant: MockConfigEntry, allowed: Path
) -> None:
    with pytest.raises(ServiceValidationError) as raised:
        await upload_dlc(
            hass, {ATTR_DEVICE_ID: device_of(hass, instant), "path": str(allowed / "none.dlc")}
        )
    assert raised.value.translation_key == "upload_file_not_found"


async def test_unknown_file_id_is_refused(hass: HomeAssistant, instant: MockConfigEntry) -> None:
    with pytest.raises(ServiceValidationError) as raised:
        await upload_dlc(hass, {ATTR_DEVICE_ID: device_of(hass, instant), "file_id": "nope"})
    assert raised.value.translation_key == "upload_file_id_unknown"


async def test_invalid_dlc_is_refused_with_its_reason(
    hass: HomeAssistant, instant: MockConfigEntry, furby: VirtualFurby, allowed: Path
) -> None:
    coordinator: FurbyCoordinator = instant.runtime_data
    data = bytearray(build_dlc(1_100))
    data[0] ^= 0xFF
    path = write_file(allowed, "broken.dlc", bytes(data))
    events = async_capture_events(hass, EVENT_UPLOAD_FINISHED)
    with pytest.raises(ServiceValidationError) as raised:
        await upload_dlc(hass, {ATTR_DEVICE_ID: device_of(hass, instant), "path": path})
    assert raised.value.translation_key == "upload_invalid_dlc"
    assert raised.value.translation_placeholders is not None
    assert raised.value.translation_placeholders["reason"] == "bad_magic"
    assert "FURBY" in str(raised.value)  # the translated message carries the detail
    assert announces(furby) == []
    status = status_of(coordinator)
    assert (status.phase, status.error) == (UploadPhase.FAILED, "invalid_dlc")
    await hass.async_block_till_done()
    assert [event.data["error"] for event in events] == ["invalid_dlc"]


async def test_truncated_dlc_is_refused(
    hass: HomeAssistant, instant: MockConfigEntry, allowed: Path
) -> None:
    path = write_file(allowed, "short.dlc", build_dlc(1_100)[:-1])
    with pytest.raises(ServiceValidationError) as raised:
        await upload_dlc(hass, {ATTR_DEVICE_ID: device_of(hass, instant), "path": path})
    assert raised.value.translation_placeholders is not None
    assert raised.value.translation_placeholders["reason"] == "size_mismatch"


async def test_non_admin_and_unknown_users_are_refused(
    hass: HomeAssistant,
    instant: MockConfigEntry,
    furby: VirtualFurby,
    allowed: Path,
    hass_read_only_user: User,
) -> None:
    path = write_file(allowed, "chilli.dlc", build_dlc(1_100))
    data = {ATTR_DEVICE_ID: device_of(hass, instant), "path": path}
    with pytest.raises(Unauthorized):
        await upload_dlc(hass, data, context=Context(user_id=hass_read_only_user.id))
    with pytest.raises(UnknownUser):
        await upload_dlc(hass, data, context=Context(user_id="no-such-user"))
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN,
            "cancel_upload",
            {ATTR_DEVICE_ID: data[ATTR_DEVICE_ID]},
            blocking=True,
            context=Context(user_id=hass_read_only_user.id),
        )
    assert announces(furby) == []
    assert instant.runtime_data.state.upload is None


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
    hass: HomeAssistant, instant: MockConfigEntry, data: dict[str, Any]
) -> None:
    with pytest.raises(vol.Invalid):
        await upload_dlc(hass, {ATTR_DEVICE_ID: device_of(hass, instant), **data})


async def test_unknown_device_is_refused(hass: HomeAssistant, instant: MockConfigEntry) -> None:
    with pytest.raises(ServiceValidationError) as raised:
        await upload_dlc(hass, {ATTR_DEVICE_ID: "nope", "path": "/a.dlc"})
    assert raised.value.translation_key == "device_not_found"


async def test_device_of_another_integration_is_refused(
    hass: HomeAssistant, instant: MockConfigEntry
) -> None:
    other = MockConfigEntry(domain="other_domain")
    other.add_to_hass(hass)
    lamp = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("other_domain", "x")}, name="Lamp"
    )
    with pytest.raises(ServiceValidationError) as raised:
        await upload_dlc(hass, {ATTR_DEVICE_ID: lamp.id, "path": "/a.dlc"})
    assert raised.value.translation_key == "device_not_furby"
    assert raised.value.translation_placeholders == {"device": "Lamp"}


async def test_device_of_an_unloaded_entry_is_refused(
    hass: HomeAssistant, instant: MockConfigEntry
) -> None:
    device_id = device_of(hass, instant)
    assert await hass.config_entries.async_unload(instant.entry_id)
    for service in ("upload_dlc", "cancel_upload"):
        with pytest.raises(ServiceValidationError) as raised:
            await hass.services.async_call(
                DOMAIN,
                service,
                {ATTR_DEVICE_ID: device_id, "path": "/a.dlc"}
                if service == "upload_dlc"
                else {ATTR_DEVICE_ID: device_id},
                blocking=True,
            )
        assert raised.value.translation_key == "device_not_loaded"


async def test_unreadable_file_is_refused(
    hass: HomeAssistant, instant: MockConfigEntry, allowed: Path
) -> None:
    path = write_file(allowed, "chilli.dlc", build_dlc(1_100))
    with (
        patch.object(upload, "_validate", side_effect=PermissionError(13, "Permission denied")),
        pytest.raises(ServiceValidationError) as raised,
    ):
        await upload_dlc(hass, {ATTR_DEVICE_ID: device_of(hass, instant), "path": path})
    assert raised.value.translation_key == "upload_file_unreadable"
    assert "Permission denied" in str(raised.value)
    assert status_of(instant.runtime_data).error == "file_unreadable"


async def test_second_upload_is_refused_then_cancel_stops_the_first(
    hass: HomeAssistant,
    timed: MockConfigEntry,
    timed_furby: VirtualFurby,
    furby_clock: ManualClock,
    allowed: Path,
) -> None:
    coordinator: FurbyCoordinator = timed.runtime_data
    device_id = device_of(hass, timed)
    path = write_file(allowed, "chilli.dlc", build_dlc(20_000))
    events = async_capture_events(hass, EVENT_UPLOAD_FINISHED)
    first = await upload_dlc(hass, {ATTR_DEVICE_ID: device_id, "path": path})
    await drive_until(furby_clock, lambda: timed_furby.transfer.received >= 2_000)

    with pytest.raises(ServiceValidationError) as raised:
        await upload_dlc(hass, {ATTR_DEVICE_ID: device_id, "path": path})
    assert raised.value.translation_key == "upload_in_progress"
    assert raised.value.translation_placeholders is not None
    assert raised.value.translation_placeholders["upload_id"] == first["upload_id"]
    assert len(announces(timed_furby)) == 1

    # other commands are refused at once instead of queueing behind the transfer
    played = len(timed_furby.played_actions)
    with pytest.raises(HomeAssistantError) as busy:
        await coordinator.async_trigger_action(55, 2, 14, 0)
    assert busy.value.translation_key == "busy_uploading"
    assert len(timed_furby.played_actions) == played

    await drive(
        furby_clock,
        hass.services.async_call(
            DOMAIN, "cancel_upload", {ATTR_DEVICE_ID: device_id}, blocking=True
        ),
    )
    await drive(furby_clock, coordinator.async_trigger_action(55, 2, 14, 0))
    assert len(timed_furby.played_actions) == played + 1
    status = status_of(coordinator)
    assert (status.phase, status.error) == (UploadPhase.CANCELLED, None)
    assert timed_furby.transfer.received < 20_000
    assert coordinator.state.slots is not None
    assert coordinator.state.slots.filled == {13}  # re-read: the partial slot stays
    await hass.async_block_till_done()
    assert [event.data["phase"] for event in events] == ["cancelled"]

    with pytest.raises(ServiceValidationError) as raised:
        await hass.services.async_call(
            DOMAIN, "cancel_upload", {ATTR_DEVICE_ID: device_id}, blocking=True
        )
    assert raised.value.translation_key == "upload_not_running"


async def test_unload_during_upload_cancels_it(
    hass: HomeAssistant,
    timed: MockConfigEntry,
    timed_furby: VirtualFurby,
    furby_clock: ManualClock,
    allowed: Path,
) -> None:
    coordinator: FurbyCoordinator = timed.runtime_data
    path = write_file(allowed, "chilli.dlc", build_dlc(20_000))
    await upload_dlc(hass, {ATTR_DEVICE_ID: device_of(hass, timed), "path": path})
    await drive_until(furby_clock, lambda: timed_furby.transfer.received >= 2_000)
    job = hass.data[upload.UPLOAD_JOBS][timed.entry_id]

    assert await drive(furby_clock, hass.config_entries.async_unload(timed.entry_id))

    assert timed.state is ConfigEntryState.NOT_LOADED
    assert job.task is not None
    assert job.task.done()
    assert status_of(coordinator).phase is UploadPhase.CANCELLED


async def test_stop_upload_cancels_while_the_link_is_up(
    hass: HomeAssistant,
    timed: MockConfigEntry,
    timed_furby: VirtualFurby,
    furby_clock: ManualClock,
    allowed: Path,
) -> None:
    coordinator: FurbyCoordinator = timed.runtime_data
    path = write_file(allowed, "chilli.dlc", build_dlc(20_000))
    await upload_dlc(hass, {ATTR_DEVICE_ID: device_of(hass, timed), "path": path})
    await drive_until(furby_clock, lambda: timed_furby.transfer.received >= 2_000)
    acks_while_sending = timed_furby.packet_acks

    await drive(furby_clock, upload.async_stop_upload(hass, timed))
    await furby_clock.advance(0.1)  # the last write reaches the toy

    assert status_of(coordinator).phase is UploadPhase.CANCELLED
    assert (acks_while_sending, timed_furby.packet_acks) == (True, False)  # off, link still up
    assert coordinator.connected
    await upload.async_stop_upload(hass, timed)  # nothing running: a no-op


async def test_stopping_home_assistant_cancels_the_upload(
    hass: HomeAssistant,
    timed: MockConfigEntry,
    timed_furby: VirtualFurby,
    furby_clock: ManualClock,
    allowed: Path,
) -> None:
    coordinator: FurbyCoordinator = timed.runtime_data
    path = write_file(allowed, "chilli.dlc", build_dlc(20_000))
    events = async_capture_events(hass, EVENT_UPLOAD_FINISHED)
    await upload_dlc(hass, {ATTR_DEVICE_ID: device_of(hass, timed), "path": path})
    await drive_until(furby_clock, lambda: timed_furby.transfer.received >= 2_000)
    job = hass.data[upload.UPLOAD_JOBS][timed.entry_id]

    await drive(furby_clock, hass.async_stop())

    assert job.task is not None
    assert job.task.done()
    assert status_of(coordinator).phase is UploadPhase.CANCELLED
    assert [event.data["phase"] for event in events] == ["cancelled"]
    assert timed_furby.transfer.received < 20_000


# ------------------------------------------------------------------------------ failures


async def _run_failing_upload(
    hass: HomeAssistant, entry: MockConfigEntry, path: str, clock: ManualClock | None = None
) -> UploadStatus:
    """Start an upload and return its final status."""
    coordinator: FurbyCoordinator = entry.runtime_data
    await upload_dlc(hass, {ATTR_DEVICE_ID: device_of(hass, entry), "path": path})
    wait = async_wait_for(coordinator, lambda: finished(coordinator))
    await (drive(clock, wait) if clock is not None else wait)
    return status_of(coordinator)


async def _retry_works(
    hass: HomeAssistant, entry: MockConfigEntry, path: str, clock: ManualClock | None = None
) -> None:
    """A second attempt after a failure ends in ``done``."""
    coordinator: FurbyCoordinator = entry.runtime_data
    if clock is None:
        await async_wait_for(coordinator, lambda: coordinator.connected)
    else:
        await drive(clock, async_wait_for(coordinator, lambda: coordinator.connected))
    status = await _run_failing_upload(hass, entry, path, clock)
    assert (status.phase, status.error) == (UploadPhase.DONE, None)


async def test_link_drop_mid_transfer(
    hass: HomeAssistant, instant: MockConfigEntry, furby: VirtualFurby, allowed: Path
) -> None:
    coordinator: FurbyCoordinator = instant.runtime_data
    path = write_file(allowed, "chilli.dlc", build_dlc(8_000))
    furby.faults.drop_link_after_bytes(2_000)
    status = await _run_failing_upload(hass, instant, path)
    assert (status.phase, status.error) == (UploadPhase.FAILED, "link_lost")
    assert status.message is not None
    assert "connection to the Furby was lost" in status.message  # translated
    # The proxy re-advertises every 10 s; the advertisement lets the coordinator reconnect.
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=11))
    await async_wait_for(coordinator, lambda: coordinator.state.slots is not None)
    assert coordinator.state.slots is not None
    assert coordinator.state.slots.filled == {13}  # re-read after reconnecting: stuck slot
    await _retry_works(hass, instant, path)
    assert furby.slots[12].state is SlotState.ACTIVE


async def test_error_after_ok(
    hass: HomeAssistant, instant: MockConfigEntry, furby: VirtualFurby, allowed: Path
) -> None:
    coordinator: FurbyCoordinator = instant.runtime_data
    path = write_file(allowed, "chilli.dlc", build_dlc(3_000))
    furby.faults.send_error_after_ok()
    status = await _run_failing_upload(hass, instant, path)
    assert (status.phase, status.error) == (UploadPhase.FAILED, "error_after_ok")
    assert status.message is not None
    assert "24 06 after 24 05" in status.message
    await async_wait_for(coordinator, lambda: coordinator.state.slots is not None)
    assert coordinator.state.slots is not None
    assert coordinator.state.slots.filled == frozenset()  # the bad slot was deleted
    furby.faults.clear()
    await _retry_works(hass, instant, path)


async def test_receive_error_mid_transfer(
    hass: HomeAssistant,
    timed: MockConfigEntry,
    timed_furby: VirtualFurby,
    furby_clock: ManualClock,
    allowed: Path,
) -> None:
    # The toy has less buffer than FurBLE's threshold assumes: it loses packets and says 24 06.
    timed_furby.link_model = LinkModel(toy_buffer_packets=4)
    path = write_file(allowed, "chilli.dlc", build_dlc(4_000))
    status = await _run_failing_upload(hass, timed, path, furby_clock)
    assert (status.phase, status.error) == (UploadPhase.FAILED, "received_error")
    assert timed_furby.transfer.overloads > 0
    timed_furby.link_model = LinkModel()
    await _retry_works(hass, timed, path, furby_clock)


async def test_toy_timeout(
    hass: HomeAssistant,
    instant: MockConfigEntry,
    furby: VirtualFurby,
    allowed: Path,
    furby_clock: ManualClock,
) -> None:
    coordinator: FurbyCoordinator = instant.runtime_data
    path = write_file(allowed, "chilli.dlc", build_dlc(4_000))
    furby.timing = ToyTiming(file_timeout=1.0)
    furby.faults.stop_acks()  # the host pauses after 10 packets and waits for news
    patient = TransferSettings(
        probe_interval=60.0, max_probe_interval=60.0, pause_timeout=120.0, error_grace=0.1
    )
    with patch.object(upload, "TRANSFER_SETTINGS", patient):
        await upload_dlc(hass, {ATTR_DEVICE_ID: device_of(hass, instant), "path": path})
        await until(hass, lambda: furby.transfer.received >= 11 * 20)
        await furby_clock.advance(2.0)  # the toy gives up: 24 03
        await async_wait_for(coordinator, lambda: finished(coordinator))
    status = status_of(coordinator)
    assert (status.phase, status.error) == (UploadPhase.FAILED, "toy_timeout")
    furby.faults.clear()
    await _retry_works(hass, instant, path)


async def test_timeout_while_paused(
    hass: HomeAssistant, instant: MockConfigEntry, furby: VirtualFurby, allowed: Path
) -> None:
    coordinator: FurbyCoordinator = instant.runtime_data
    path = write_file(allowed, "chilli.dlc", build_dlc(4_000))
    furby.faults.stop_acks()
    await upload_dlc(hass, {ATTR_DEVICE_ID: device_of(hass, instant), "path": path})
    # 10 packets fill the estimated backlog; the 12th is the first probe sent while paused.
    await until(hass, lambda: furby.transfer.received >= 12 * 20)
    pause = upload.TRANSFER_SETTINGS.pause_timeout
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=pause + 1))
    await async_wait_for(coordinator, lambda: finished(coordinator))
    status = status_of(coordinator)
    assert (status.phase, status.error) == (UploadPhase.FAILED, "stalled")
    assert status.bytes_sent < 4_000
    furby.faults.clear()
    await _retry_works(hass, instant, path)


async def test_verification_mismatch(
    hass: HomeAssistant, instant: MockConfigEntry, furby: VirtualFurby, allowed: Path
) -> None:
    coordinator: FurbyCoordinator = instant.runtime_data
    client = coordinator.connection.client
    assert client is not None

    def corrupt(notification: Notification) -> None:
        if isinstance(notification, FileTransferStatus) and notification.code == 5:
            furby.slots[13].adler32 ^= 1  # what the toy stored is not what was sent

    remove = client.add_listener(corrupt)
    path = write_file(allowed, "chilli.dlc", build_dlc(2_000))
    status = await _run_failing_upload(hass, instant, path)
    remove()
    assert (status.phase, status.error) == (UploadPhase.FAILED, "verify_mismatch")
    assert status.message is not None
    assert "does not match" in status.message
    await _retry_works(hass, instant, path)


async def test_unexpected_errors_do_not_leave_the_furby_reserved(
    hass: HomeAssistant, instant: MockConfigEntry, allowed: Path
) -> None:
    coordinator: FurbyCoordinator = instant.runtime_data
    data = {
        ATTR_DEVICE_ID: device_of(hass, instant),
        "path": write_file(allowed, "a.dlc", build_dlc(1_100)),
    }
    with (
        patch.object(upload, "_validate", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        await upload_dlc(hass, data)
    assert (status_of(coordinator).phase, status_of(coordinator).error) == (
        UploadPhase.FAILED,
        "unexpected",
    )
    with patch.object(upload, "upload_dlc", side_effect=RuntimeError("bug")):
        await upload_dlc(hass, data)
        await async_wait_for(coordinator, lambda: finished(coordinator))
    status = status_of(coordinator)
    assert (status.phase, status.error) == (UploadPhase.FAILED, "unexpected")
    assert status.message is not None
    assert "bug" in status.message
    await _run_failing_upload(hass, instant, data["path"])  # not refused as "in progress"
    assert status_of(coordinator).phase is UploadPhase.DONE


async def test_not_connected(
    hass: HomeAssistant, instant: MockConfigEntry, furby: VirtualFurby, allowed: Path
) -> None:
    coordinator: FurbyCoordinator = instant.runtime_data
    path = write_file(allowed, "chilli.dlc", build_dlc(1_100))
    furby.faults.go_out_of_range()
    await async_wait_for(coordinator, lambda: not coordinator.connected)
    await upload_dlc(hass, {ATTR_DEVICE_ID: device_of(hass, instant), "path": path})
    for _ in range(5):
        await asyncio.sleep(0)
    assert status_of(coordinator).phase is UploadPhase.ANNOUNCING  # waiting for a link
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=21))
    await async_wait_for(coordinator, lambda: finished(coordinator))
    status = status_of(coordinator)
    assert (status.phase, status.error) == (UploadPhase.FAILED, "not_connected")
    assert announces(furby) == []
