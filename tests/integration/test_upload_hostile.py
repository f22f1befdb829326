"""DLC uploads under hostile or unlucky file systems, cancels and unloads (issue 9).

The file of an upload is opened once: whatever happens to its path afterwards (swapped for a
symlink, replaced, rewritten in place, turned into a FIFO, deleted), the toy gets the validated
bytes or nothing complete. An upload can be cancelled, and the entry unloaded, while the file is
still being validated; nothing starts afterwards.
"""

from __future__ import annotations

import asyncio
import os
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.event import async_track_state_change_event
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.furby_connect.protocol.commands import dlc_announce_name
from tests.protocol.dlc_factory import build_dlc
from virtual_furby.slots import SlotState
from virtual_furby.toy import VirtualFurby

from .conftest import async_wait_until
from .entity_helpers import FurbyView
from .upload_helpers import (
    announces,
    async_upload_end,
    descriptors_of,
    file_writes,
    write_file,
)

SIZE = 4_000
"""A multiple of the 20-byte packet: the last packet is a full one."""


async def _upload_then(
    hass: HomeAssistant, view: FurbyView, path: str, meddle: Callable[[], None]
) -> dict[str, object]:
    """Start an upload of ``path``; right after it was validated (before the transfer reads a
    byte) run ``meddle``; return the final status.
    """
    await view.call("upload_dlc", {"path": path})
    meddle()  # blocking on purpose: the transfer gets no loop turn before the path changed
    return await async_upload_end(hass, view)


async def test_a_symlink_swapped_in_after_validation_sends_nothing_of_its_target(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
    tmp_path: Path,
) -> None:
    """The validated file is swapped for a symlink to a same-size file outside the allowlist:
    the toy receives the validated bytes, none of the secret's.
    """
    data = build_dlc(SIZE)
    path = write_file(allowed, "chilli.dlc", data)
    secret = tmp_path / "secrets.yaml"
    secret.write_bytes(b"api_password: hunter2\n".ljust(SIZE, b"#"))

    def swap() -> None:
        os.unlink(path)
        os.symlink(secret, path)

    status = await _upload_then(hass, furby_view, path, swap)

    assert status["phase"] == "done"
    assert file_writes(furby) == data
    assert b"hunter2" not in file_writes(furby)
    assert furby.slots[13].adler32 == zlib.adler32(data)


async def test_a_file_replaced_after_validation_sends_the_validated_bytes(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
) -> None:
    """The file is replaced by another of the same size: the toy stores the validated one."""
    data = build_dlc(SIZE)
    path = write_file(allowed, "chilli.dlc", data)
    other = write_file(allowed, "other.tmp", build_dlc(SIZE, seed=9))

    status = await _upload_then(hass, furby_view, path, lambda: os.replace(other, path))

    assert status["phase"] == "done"
    assert file_writes(furby) == data
    assert furby.slots[13].adler32 == zlib.adler32(data)


async def test_a_file_rewritten_in_place_never_completes_on_the_toy(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
) -> None:
    """The validated file itself is rewritten (same size, other bytes): its last packet is held
    back, so the toy never completes the transfer; the upload fails as ``file_changed`` and the
    partial slot is deleted.
    """
    data = build_dlc(SIZE)
    path = write_file(allowed, "chilli.dlc", data)

    def rewrite() -> None:
        with open(path, "r+b") as file:
            file.seek(SIZE - 40)
            file.write(b"\xee" * 40)

    status = await _upload_then(hass, furby_view, path, rewrite)

    assert (status["phase"], status["error"]) == ("failed", "file_changed")
    assert len(file_writes(furby)) < SIZE
    assert furby.slots[13].state is SlotState.EMPTY
    await async_wait_until(
        hass,
        lambda: furby_view.state("sensor", "active_slot").attributes.get("filled_slots") == [],
    )


async def test_a_fifo_swapped_in_after_validation_changes_nothing(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
) -> None:
    """The file is replaced by a FIFO after validation: the upload does not hang, it sends the
    validated bytes and ends; a command afterwards is not refused as busy.
    """
    data = build_dlc(SIZE)
    path = write_file(allowed, "chilli.dlc", data)

    def fifo() -> None:
        os.unlink(path)
        os.mkfifo(path)

    status = await _upload_then(hass, furby_view, path, fifo)

    assert status["phase"] == "done"
    assert file_writes(furby) == data
    await furby_view.call("trigger_action", {"action": "giggle"})


async def test_a_file_deleted_after_validation_is_still_sent(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
) -> None:
    """The file is deleted after validation: the open file is still sent whole and verified."""
    data = build_dlc(SIZE)
    path = write_file(allowed, "chilli.dlc", data)

    status = await _upload_then(hass, furby_view, path, lambda: os.unlink(path))

    assert (status["phase"], status["error"]) == ("done", None)
    assert furby.slots[13].state is SlotState.ACTIVE


@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
async def test_anything_but_a_regular_file_is_refused_at_once(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
    kind: str,
) -> None:
    """A FIFO (which would block an open), a device or a directory as the file is refused at
    once with a translated error before anything is sent; the next upload is not refused as in
    progress.
    """
    path = allowed / "chilli.dlc"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        hass.config.allowlist_external_dirs = {str(allowed), "/dev"}
        path = Path("/dev/null")
    else:
        path.mkdir()
    with pytest.raises(ServiceValidationError) as raised:
        await furby_view.call("upload_dlc", {"path": str(path)})
    assert raised.value.translation_key == "upload_not_a_file"
    assert (furby_view.upload["phase"], furby_view.upload["error"]) == ("failed", "not_a_file")
    assert announces(furby) == []

    good = write_file(allowed, "good.dlc", build_dlc(SIZE))
    await furby_view.call("upload_dlc", {"path": good})
    assert (await async_upload_end(hass, furby_view))["phase"] == "done"


async def test_a_name_over_255_bytes_is_refused_translated(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
) -> None:
    """A path whose file name is longer than the file system allows is a translated
    ``file_unreadable`` refusal, not an unexpected error.
    """
    path = str(allowed / ("x" * 300 + ".dlc"))
    with pytest.raises(ServiceValidationError) as raised:
        await furby_view.call("upload_dlc", {"path": path})
    assert raised.value.translation_key == "upload_file_unreadable"
    assert (furby_view.upload["phase"], furby_view.upload["error"]) == (
        "failed",
        "file_unreadable",
    )
    assert announces(furby) == []


async def test_a_long_file_name_is_announced_by_its_checksum(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
) -> None:
    """A name the announce cannot carry is announced as the file's Adler-32 in hex."""
    data = build_dlc(SIZE)
    path = write_file(allowed, "a_very_long_name.dlc", data)
    await furby_view.call("upload_dlc", {"path": path})
    status = await async_upload_end(hass, furby_view)
    assert status["filename"] == f"{zlib.adler32(data):08X}.DLC"
    assert status["filename"] == dlc_announce_name("a_very_long_name.dlc", zlib.adler32(data))


# ------------------------------------------------------------------------ before the transfer

BIG = 12 * 1024 * 1024
"""Big enough that validating it takes many reads (each one a turn of the event loop)."""


def _when_validating(hass: HomeAssistant, view: FurbyView, action: Callable[[], object]) -> None:
    """Run ``action`` once, when the upload sensor first shows ``validating``."""
    done = False

    @callback
    def seen(event: Event[EventStateChangedData]) -> None:
        nonlocal done
        new = event.data["new_state"]
        if not done and new is not None and new.attributes.get("phase") == "validating":
            done = True
            action()

    async_track_state_change_event(hass, [view.entity_id("sensor", "upload_progress")], seen)


async def test_cancel_while_the_file_is_validated_stops_the_upload(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
) -> None:
    """``cancel_upload`` sent as soon as the upload shows ``validating`` ends it in
    ``cancelled`` and nothing is installed. When the cancel lands before the transfer started
    (the usual case: validating a big file takes many reads), the ``upload_dlc`` call says it was
    cancelled and nothing at all reached the toy.
    """
    path = write_file(allowed, "chilli.dlc", build_dlc(BIG))
    cancels: list[asyncio.Task[object]] = []
    _when_validating(
        hass,
        furby_view,
        lambda: cancels.append(hass.async_create_task(furby_view.call("cancel_upload"))),
    )
    try:
        await furby_view.call("upload_dlc", {"path": path})
    except HomeAssistantError as err:
        refused: HomeAssistantError | None = err
    else:
        refused = None
    if refused is not None:  # the cancel landed before the transfer started
        assert refused.translation_key == "upload_cancelled"
        assert announces(furby) == []
    await cancels[0]
    await async_wait_until(hass, lambda: furby_view.upload["phase"] != "validating")
    assert furby_view.upload["phase"] == "cancelled"
    await hass.async_block_till_done()
    assert furby.slots.active == frozenset()
    assert furby.slots[13].state is SlotState.EMPTY
    assert descriptors_of(path) == []  # the file is closed, even when opened as the cancel came


async def test_unloading_while_the_file_is_validated_starts_nothing(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
) -> None:
    """Unloading the entry as soon as the upload shows ``validating`` cancels it: the
    ``upload_dlc`` call says so, nothing is announced to the toy, nothing is installed.
    """
    path = write_file(allowed, "chilli.dlc", build_dlc(BIG))
    unloads: list[asyncio.Task[bool]] = []
    _when_validating(
        hass,
        furby_view,
        lambda: unloads.append(
            hass.async_create_task(hass.config_entries.async_unload(connected_entry.entry_id))
        ),
    )
    with pytest.raises(HomeAssistantError) as raised:
        await furby_view.call("upload_dlc", {"path": path})
    assert raised.value.translation_key == "upload_cancelled"
    assert announces(furby) == []
    assert await unloads[0]
    await hass.async_block_till_done()
    writes = len(furby.writes)
    await async_wait_until(hass, lambda: not furby.is_connected)
    assert len(furby.writes) == writes  # nothing more is sent once unloaded
    assert furby.slots.active == frozenset()
    assert furby.slots[13].state is SlotState.EMPTY
    assert descriptors_of(path) == []  # the file is closed, even when opened as the unload came
