"""DLC uploads from a file system that stops answering or fails (issue 9).

Every file-system step of an upload is bounded: a share that hangs on the open or on a read is
given up on after ``FILE_STEP_TIMEOUT`` with a translated error, and what the late open still
returns is closed. A file that can no longer be read while it is sent (a USB stick pulled out)
ends the upload as ``file_unreadable`` and the slot it started is deleted.

The file system is the operating system's: these tests replace ``os.open`` or ``os.pread`` for
the one file under test, nothing of the integration.
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from tests.protocol.dlc_factory import build_dlc
from virtual_furby.slots import SlotState
from virtual_furby.toy import VirtualFurby

from .conftest import HANG_GUARD
from .entity_helpers import FurbyView
from .upload_helpers import (
    announces,
    async_upload_end,
    descriptors_of,
    file_writes,
    write_file,
)

SIZE = 4_000
FILE_STEP_TIMEOUT = 30.0
"""Seconds one file-system step of an upload may take."""


def _file_of(first: object) -> str | None:
    """The file an ``os.open`` path or an ``os.pread`` descriptor names."""
    if isinstance(first, int):
        try:
            return os.readlink(f"/proc/self/fd/{first}")
        except OSError:
            return None
    if isinstance(first, str):
        return first
    return None


class FileOperation:
    """``os.<name>`` replaced for one file: ``before()`` runs ahead of each call on it."""

    def __init__(self, name: str, path: str, before: Callable[[], None]) -> None:
        """Watch ``os.<name>`` on ``path``."""
        self.real: Callable[..., Any] = getattr(os, name)
        self.target = os.path.realpath(path)
        self.before = before
        self.results: list[Any] = []
        self.returned = threading.Event()
        """Set once a call on the file has returned (or raised)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """The replacement of ``os.<name>``."""
        if _file_of(args[0]) != self.target:
            return self.real(*args, **kwargs)
        try:
            self.before()
            result = self.real(*args, **kwargs)
            self.results.append(result)
            return result
        finally:
            self.returned.set()


@contextmanager
def operation_on(
    monkeypatch: pytest.MonkeyPatch, name: str, path: str, before: Callable[[], None]
) -> Iterator[FileOperation]:
    """Replace ``os.<name>`` for ``path`` (see ``FileOperation``) inside the block."""
    operation = FileOperation(name, path, before)
    with monkeypatch.context() as patch:
        patch.setattr(os, name, operation)
        yield operation


@pytest.mark.parametrize("name", ["open", "pread"])
async def test_a_file_system_that_does_not_answer_is_given_up_on(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    """The open, or the first read of validation, does not return (a hung network share):
    after ``FILE_STEP_TIMEOUT`` the call fails with the translated ``file_unreadable`` saying
    so, nothing reaches the toy, and once the step returns after all nothing stays open; the
    next upload is not refused as in progress.
    """
    path = write_file(allowed, "chilli.dlc", build_dlc(SIZE))
    entered, release = threading.Event(), threading.Event()

    def hang() -> None:
        entered.set()
        release.wait(HANG_GUARD)

    try:
        with operation_on(monkeypatch, name, path, hang) as operation:
            call = hass.async_create_task(furby_view.call("upload_dlc", {"path": path}))
            assert await hass.async_add_executor_job(entered.wait, HANG_GUARD)
            assert not call.done()
            async_fire_time_changed(
                hass, dt_util.utcnow() + timedelta(seconds=FILE_STEP_TIMEOUT + 1)
            )
            with pytest.raises(ServiceValidationError) as raised:
                await call
            assert not operation.returned.is_set()  # given up on while the step still hangs
            release.set()
            assert await hass.async_add_executor_job(operation.returned.wait, HANG_GUARD)
    finally:
        release.set()
    await hass.async_block_till_done(wait_background_tasks=True)  # the step's job (the upload's)

    assert raised.value.translation_key == "upload_file_unreadable"
    assert "no answer from the file system within 30 s" in str(raised.value)
    assert (furby_view.upload["phase"], furby_view.upload["error"]) == (
        "failed",
        "file_unreadable",
    )
    assert announces(furby) == []
    if name == "open":
        assert len(operation.results) == 1  # the open did return a descriptor in the end ...
    assert descriptors_of(operation.target) == []  # ... and nothing is left open

    await furby_view.call("upload_dlc", {"path": path})
    assert (await async_upload_end(hass, furby_view))["phase"] == "done"


async def test_a_file_that_can_no_longer_be_read_ends_the_upload_and_its_slot(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
    allowed: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once validated, every read of the file fails with an I/O error (the USB stick holding it
    was pulled out): the upload ends as ``file_unreadable`` with the system's reason, not as a
    Furby that failed, the slot its announce started is deleted, and a retry works once the
    file can be read again.
    """
    path = write_file(allowed, "chilli.dlc", build_dlc(SIZE))
    pulled_out = False

    def read() -> None:
        if pulled_out:
            raise OSError(errno.EIO, os.strerror(errno.EIO))

    with operation_on(monkeypatch, "pread", path, read):
        await furby_view.call("upload_dlc", {"path": path})
        pulled_out = True  # the call returns once validated, before the transfer reads a byte
        status = await async_upload_end(hass, furby_view)

        assert (status["phase"], status["error"]) == ("failed", "file_unreadable")
        assert os.strerror(errno.EIO) in status["message"]
        assert len(announces(furby)) == 1
        assert file_writes(furby) == b""
        assert furby.slots[13].state is SlotState.EMPTY

        pulled_out = False
        await furby_view.call("upload_dlc", {"path": path})
        assert (await async_upload_end(hass, furby_view))["phase"] == "done"
    assert furby.slots[13].state is SlotState.ACTIVE
