"""Helpers for the DLC upload tests: files, the upload sensor, waits on the toy's clock.

Uploads are started with the ``upload_dlc`` action and followed on the Furby's upload sensor
(its attributes are the upload's status) and on the virtual Furby. After the last packet the
integration waits a second of event-loop time for a late ``24 06``; ``async_upload_end`` fires
that timer with ``async_fire_time_changed`` once all bytes are out, so no test waits in real
time.
"""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta
from pathlib import Path
from typing import Any, Final

from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.furby_connect.protocol import gatt
from tests.virtual_furby_fixtures import async_furby_link_idle
from virtual_furby.toy import VirtualFurby

from .conftest import HANG_GUARD
from .entity_helpers import FurbyView

ANNOUNCE: Final = 0x50
FINAL_PHASES: Final = frozenset({"done", "failed", "cancelled"})
ERROR_GRACE: Final = 1.0
"""Seconds the transfer waits for a ``24 06`` after ``24 05`` (``TransferSettings``)."""


def write_file(folder: Path, name: str, data: bytes) -> str:
    """Write ``data`` to ``folder/name`` and return the path as a string."""
    path = folder / name
    path.write_bytes(data)
    return str(path)


def file_writes(furby: VirtualFurby) -> bytes:
    """Every FileWrite byte the toy received, in order."""
    return b"".join(write.data for write in furby.writes if write.uuid == gatt.FILE_WRITE)


def descriptors_of(path: str) -> list[str]:
    """The descriptors this process holds open on ``path`` (Linux ``/proc/self/fd``)."""
    fd_dir = Path("/proc/self/fd")
    held = []
    for link in fd_dir.iterdir():
        try:
            if os.readlink(link) == path:
                held.append(link.name)
        except OSError:  # closed meanwhile
            continue
    return held


def announces(furby: VirtualFurby) -> list[bytes]:
    """The ``50`` announces the toy received."""
    return [
        write.data
        for write in furby.writes
        if write.uuid == gatt.GENERALPLUS_WRITE and write.data[0] == ANNOUNCE
    ]


def upload_ended(view: FurbyView) -> bool:
    """Whether the upload sensor shows an upload that has ended."""
    return view.upload.get("phase") in FINAL_PHASES


@callback
def skip_result_grace(hass: HomeAssistant, view: FurbyView) -> None:
    """Once every byte is out, fire the timer of the wait for a late ``24 06``."""
    upload = view.upload
    if upload.get("phase") == "transferring" and upload.get("bytes_sent") == upload.get(
        "total_bytes"
    ):
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=ERROR_GRACE))


async def async_upload_end(hass: HomeAssistant, view: FurbyView) -> dict[str, Any]:
    """Let the upload run to its end (the toy's clock driven) and return its final status."""
    async with asyncio.timeout(HANG_GUARD):
        while not upload_ended(view):
            skip_result_grace(hass, view)
            await async_furby_link_idle(hass)
    return view.upload


class UploadReports:
    """Every status the upload sensor showed, in order (its attributes plus ``percent``)."""

    def __init__(self, hass: HomeAssistant, view: FurbyView) -> None:
        self.statuses: list[dict[str, Any]] = []

        @callback
        def record(event: Event[EventStateChangedData]) -> None:
            new = event.data["new_state"]
            if new is not None and "phase" in new.attributes:
                self.statuses.append({**new.attributes, "percent": new.state})

        self.remove = async_track_state_change_event(
            hass, [view.entity_id("sensor", "upload_progress")], record
        )

    @property
    def phases(self) -> list[str]:
        """The phase of each status."""
        return [status["phase"] for status in self.statuses]
