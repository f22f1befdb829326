"""The DLC upload job: file access, validation, the background transfer and its progress.

An ``UploadJob`` uploads one file to one Furby; ``UPLOAD_JOBS`` keeps each config entry's job,
running or last finished. The ``upload_dlc`` and ``cancel_upload`` service actions that start and
cancel jobs are in ``upload_services.py``. A job first finds its file, a ``path`` (must pass
``hass.config.is_allowed_path``) or a ``file_id`` from ``/api/file_upload`` (the uploaded file is
deleted when the job ends), and validates it with ``protocol.dlc`` (read with aiofiles in chunks)
before anything is sent; then the transfer (``protocol.transfer``) runs as a config entry
background task, so unloading the entry or stopping Home Assistant cancels it.

Progress (phase, bytes, percent, rate, ETA) is published, throttled by the transfer to one
update per second plus every phase change, in three places:

- ``coordinator.state.upload`` (an ``UploadStatus``), with the coordinator's listeners called, so
  the progress sensor (``upload_sensor.py``) and the card follow it;
- the dispatcher signal ``upload_signal(entry_id)`` with the ``UploadStatus`` as its argument,
  for the websocket log;
- once at the end, the bus event ``furby_connect_upload_finished`` with ``UploadStatus.as_dict()``
  plus ``device_id``, for automations.

A failed upload ends in phase ``failed`` with ``error`` set to a reason key (a
``TransferFailure`` value, a validation refusal, ``not_connected`` or ``unexpected``) and
``message`` to its translation (``exceptions.upload_<reason>``); the slot table is re-read so a
stuck slot shows up. A retry is a new service call. Unloading the entry or stopping Home
Assistant ends a running upload in ``cancelled``; ``async_stop_upload`` cancels it while the
link is still up (call it first in ``async_unload_entry``).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import re
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import aiofiles
from homeassistant.components.file_upload import process_uploaded_file
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.util.hass_dict import HassKey
from homeassistant.util.ulid import ulid_now

from .const import DOMAIN
from .coordinator import FurbyConfigEntry, FurbyCoordinator
from .errors import translated_error
from .protocol import commands
from .protocol.client import FurbyClient
from .protocol.dlc import DlcInfo, DlcValidationError, DlcValidator
from .protocol.transfer import (
    TransferError,
    TransferProgress,
    TransferResult,
    TransferSettings,
    UploadPhase,
    upload_dlc,
)

_LOGGER = logging.getLogger(__name__)

EVENT_UPLOAD_FINISHED: Final = f"{DOMAIN}_upload_finished"
"""Fired once per upload that got past validation, when it is done, failed or cancelled."""

READ_CHUNK_SIZE: Final = 64 * 1024
"""Bytes per aiofiles read, for validation and for the transfer."""

TRANSFER_SETTINGS: Final = TransferSettings()
"""Timeouts and pacing of the transfer (tests may patch shorter ones)."""

REFRESH_ATTEMPTS: Final = 3
"""Tries to re-read the slot table after an upload."""

LINK_SETTLE_SECONDS: Final = 2.0
"""How long to wait for the coordinator to notice a dropped link before re-reading slots."""

NOT_CONNECTED: Final = "not_connected"
"""``UploadStatus.error`` when no link could be made for the transfer."""
UNEXPECTED: Final = "unexpected"
"""``UploadStatus.error`` after an error nobody planned for (logged with its traceback)."""

UPLOAD_JOBS: HassKey[dict[str, UploadJob]] = HassKey(f"{DOMAIN}_upload_jobs")
"""The upload of each config entry, running or last finished, by entry id.

Created empty by ``async_setup_upload_services`` (``upload_services.py``).
"""


def upload_signal(entry_id: str) -> str:
    """Dispatcher signal carrying every ``UploadStatus`` of one config entry."""
    return f"{DOMAIN}_upload_progress_{entry_id}"


@dataclass(frozen=True, slots=True)
class UploadStatus:
    """One upload as last reported; ``error`` is a reason key, ``message`` its translation."""

    upload_id: str
    filename: str
    phase: UploadPhase
    total_bytes: int
    bytes_sent: int = 0
    rate: float | None = None
    eta: float | None = None
    slot: int | None = None
    activate: bool = True
    error: str | None = None
    message: str | None = None

    @property
    def percent(self) -> float:
        """Share of the file sent, 0-100."""
        return 100.0 * self.bytes_sent / self.total_bytes if self.total_bytes else 0.0

    def as_dict(self) -> dict[str, Any]:
        """Describe the upload as JSON-friendly data (event data, card, attributes)."""
        data = dataclasses.asdict(self)
        data["phase"] = str(self.phase)
        data["percent"] = round(self.percent, 1)
        return data


def announce_name(file_name: str) -> str:
    """Return the 12-character announce name for a file (§5.1): ``chilli.dlc`` → ``__CHILLI.DLC``.

    A name the 12-character rule refuses is cut to 8 letters, digits or ``_``, plus ``.DLC``.
    """
    try:
        return commands.dlc_filename(file_name)
    except ValueError:
        stem = re.sub(r"[^A-Z0-9_]", "", Path(file_name).stem.upper())[:8] or "UPLOAD"
        return commands.dlc_filename(f"{stem}.DLC")


def upload_error[E: HomeAssistantError](kind: type[E], key: str, **placeholders: str) -> E:
    """Build a translated error of ``kind`` with ``translation_key`` ``upload_<key>``."""
    return translated_error(kind, f"upload_{key}", **placeholders)


async def _read_chunks(path: Path) -> AsyncGenerator[bytes]:
    """Yield the file in ``READ_CHUNK_SIZE`` pieces, read off the event loop."""
    async with aiofiles.open(path, "rb") as file:
        while chunk := await file.read(READ_CHUNK_SIZE):
            yield chunk


async def _validate(path: Path) -> DlcInfo:
    """Validate the DLC at ``path`` in constant memory (``protocol.dlc``)."""
    validator = DlcValidator()
    async for chunk in _read_chunks(path):
        validator.feed(chunk)
    return validator.finish()


class UploadJob:
    """One upload to one Furby: preparation, the background transfer and its reports."""

    def __init__(self, hass: HomeAssistant, entry: FurbyConfigEntry, activate: bool) -> None:
        """Reserve the Furby for this upload (phase ``validating``)."""
        self.hass = hass
        self.entry = entry
        self.coordinator: FurbyCoordinator = entry.runtime_data
        self.status = UploadStatus(
            upload_id=ulid_now(),
            filename="",
            phase=UploadPhase.VALIDATING,
            total_bytes=0,
            activate=activate,
        )
        self.task: asyncio.Task[None] | None = None
        self._path: Path | None = None
        self._release: contextlib.AbstractContextManager[Path] | None = None
        self._info: DlcInfo | None = None

    @property
    def running(self) -> bool:
        """Whether the upload has not ended yet."""
        return not self.status.phase.is_final

    @callback
    def _publish(self, status: UploadStatus) -> None:
        """Store ``status`` on the coordinator and tell its listeners and the dispatcher."""
        self.status = status
        self.coordinator.state.upload = status
        self.coordinator.async_update_listeners()
        async_dispatcher_send(self.hass, upload_signal(self.entry.entry_id), status)

    async def async_prepare(self, path: str | None, file_id: str | None) -> None:
        """Find, check and validate the file; raise a translated error if it cannot be sent."""
        self._publish(self.status)
        try:
            self._path = await self._async_resolve(path, file_id)
            self._publish(dataclasses.replace(self.status, filename=announce_name(self._path.name)))
            try:
                self._info = await _validate(self._path)
            except DlcValidationError as err:
                raise upload_error(
                    ServiceValidationError, "invalid_dlc", reason=str(err.reason), detail=err.detail
                ) from err
            except OSError as err:
                raise upload_error(
                    ServiceValidationError, "file_unreadable", path=str(self._path), error=str(err)
                ) from err
        except HomeAssistantError as err:
            key = (err.translation_key or "").removeprefix("upload_")
            await self._async_finish(UploadPhase.FAILED, key, str(err))
            raise
        except BaseException as err:  # never leave the Furby reserved
            await self._async_finish(UploadPhase.FAILED, UNEXPECTED, repr(err))
            raise
        self._publish(dataclasses.replace(self.status, total_bytes=self._info.size))

    async def _async_resolve(self, path: str | None, file_id: str | None) -> Path:
        """Return the file to send: an allowed ``path`` or the uploaded ``file_id``."""
        hass = self.hass
        if file_id is not None:
            release = process_uploaded_file(hass, file_id)
            try:
                found = await hass.async_add_executor_job(release.__enter__)
            except ValueError as err:
                raise upload_error(
                    ServiceValidationError, "file_id_unknown", file_id=file_id
                ) from err
            self._release = release
            return found
        assert path is not None  # the schema requires one of the two
        if not await hass.async_add_executor_job(hass.config.is_allowed_path, path):
            raise upload_error(ServiceValidationError, "path_not_allowed", path=path)
        if not await hass.async_add_executor_job(Path(path).is_file):
            raise upload_error(ServiceValidationError, "file_not_found", path=path)
        return Path(path)

    def start(self) -> None:
        """Run the transfer as a background task of the entry (cancelled on unload and stop)."""
        self.task = self.entry.async_create_background_task(
            self.hass, self._async_run(), f"{DOMAIN} upload {self.status.upload_id}"
        )

    async def _async_run(self) -> None:
        """Transfer, record the outcome and re-read the slot table."""
        with self.coordinator.uploading():
            await self._async_run_reserved()

    async def _async_run_reserved(self) -> None:
        """Run the upload with the link reserved for it (the body of ``_async_run``)."""
        try:
            outcome = await self._async_transfer()
        except asyncio.CancelledError:
            await self._async_finish(UploadPhase.CANCELLED, None, None)
            raise
        except Exception as err:  # a bug must not leave the Furby reserved
            _LOGGER.exception("%s: DLC upload failed unexpectedly", self.coordinator.name)
            outcome = UNEXPECTED, str(upload_error(HomeAssistantError, UNEXPECTED, error=repr(err)))
        if isinstance(outcome, TransferResult):
            await self.async_refresh_slots()  # before "done", so the state shows the new slot
            await self._async_finish(UploadPhase.DONE, None, None)
            return
        if self._stopping:
            await self._async_finish(UploadPhase.CANCELLED, None, None)
            return
        key, message = outcome
        _LOGGER.warning(
            "%s: DLC upload %s failed: %s", self.coordinator.name, self.status.upload_id, message
        )
        await self._async_finish(UploadPhase.FAILED, key, message)
        if key != NOT_CONNECTED:  # after a drop this waits for the reconnect
            await self.async_refresh_slots()

    @property
    def _stopping(self) -> bool:
        """Whether the entry is unloading or Home Assistant is stopping (a drop is expected)."""
        return self.entry.state is ConfigEntryState.UNLOAD_IN_PROGRESS or self.hass.is_stopping

    async def _async_transfer(self) -> TransferResult | tuple[str, str]:
        """Run ``upload_dlc`` on the coordinator's link; a failure is ``(reason, message)``."""
        assert self._path is not None  # set by async_prepare
        assert self._info is not None
        path, info = self._path, self._info

        @callback
        def on_progress(progress: TransferProgress) -> None:
            # The job, not the transfer, declares the end (after re-reading the slots).
            phase = self.status.phase if progress.phase.is_final else progress.phase
            self._publish(
                dataclasses.replace(
                    self.status,
                    phase=phase,
                    bytes_sent=progress.bytes_sent,
                    rate=progress.rate,
                    eta=progress.eta,
                    slot=progress.slot,
                )
            )

        async def attempt(client: FurbyClient) -> TransferResult | TransferError:
            chunks = _read_chunks(path)
            try:
                return await upload_dlc(
                    client,
                    chunks,
                    size=info.size,
                    adler32=info.adler32,
                    filename=self.status.filename,
                    activate=self.status.activate,
                    on_progress=on_progress,
                    settings=TRANSFER_SETTINGS,
                )
            except TransferError as err:
                return err
            finally:
                await chunks.aclose()  # closes the file now, not when the generator is collected

        self._publish(dataclasses.replace(self.status, phase=UploadPhase.ANNOUNCING))
        try:
            outcome = await self.coordinator.async_execute(attempt)
        except HomeAssistantError as err:
            return NOT_CONNECTED, str(
                upload_error(HomeAssistantError, NOT_CONNECTED, error=str(err))
            )
        if isinstance(outcome, TransferError):
            message = upload_error(HomeAssistantError, outcome.reason, detail=outcome.detail)
            return str(outcome.reason), str(message)
        return outcome

    async def async_refresh_slots(self) -> None:
        """Re-read the toy's slot table into the coordinator's state (best effort).

        Right after a drop the coordinator may not have noticed it yet and hand out the dead
        link: then wait for its next state change (at most ``LINK_SETTLE_SECONDS``) and try
        again; the next try waits for the reconnect.
        """
        for _attempt in range(REFRESH_ATTEMPTS):
            if self._stopping:
                return
            try:
                await self.coordinator.async_refresh_slots()
            except HomeAssistantError as err:
                _LOGGER.debug("%s: slot table not re-read: %s", self.coordinator.name, err)
                if self.coordinator.connected:
                    await self._async_next_change(LINK_SETTLE_SECONDS)
            else:
                return

    async def _async_next_change(self, seconds: float) -> None:
        """Wait for the coordinator's next state change, at most ``seconds``."""
        changed = asyncio.Event()
        remove = self.coordinator.async_add_listener(changed.set)
        try:
            async with asyncio.timeout(seconds):
                await changed.wait()
        except TimeoutError:
            pass
        finally:
            remove()

    async def _async_finish(
        self, phase: UploadPhase, error: str | None, message: str | None
    ) -> None:
        """Publish the final status, fire the finished event and release an uploaded file."""
        self._publish(dataclasses.replace(self.status, phase=phase, error=error, message=message))
        if self._path is not None:  # got past resolving: tell automations how it ended
            device = dr.async_get(self.hass).async_get_device(
                identifiers={(DOMAIN, self.coordinator.address)}
            )
            self.hass.bus.async_fire(
                EVENT_UPLOAD_FINISHED,
                {**self.status.as_dict(), ATTR_DEVICE_ID: device.id if device else None},
            )
        release, self._release = self._release, None
        if release is not None:
            try:
                await self.hass.async_add_executor_job(release.__exit__, None, None, None)
            except (KeyError, OSError) as err:  # already removed by file_upload itself
                _LOGGER.debug("Uploaded file not removed: %r", err)

    async def async_cancel(self) -> None:
        """Cancel the transfer and wait until it has ended."""
        task = self.task
        if task is not None and not task.done():
            task.cancel()
            await asyncio.wait({task})


async def async_stop_upload(hass: HomeAssistant, entry: FurbyConfigEntry) -> None:
    """Cancel the entry's running upload, if any (call first in ``async_unload_entry``)."""
    job = hass.data.get(UPLOAD_JOBS, {}).get(entry.entry_id)
    if job is not None:
        await job.async_cancel()
