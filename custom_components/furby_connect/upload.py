"""DLC uploads of one Furby: at most one at a time, run in the background under a lease.

``FurbyUploadManager`` (one per entry, in ``entry.runtime_data.uploads``) starts, cancels and
stops uploads; an ``UploadJob`` is one of them:

1. find and validate the file (``upload_source.py``) before anything is sent; a refusal is a
   translated ``ServiceValidationError`` and the upload ends in ``failed``;
2. run the transfer (``protocol.transfer.upload_dlc``) as a background task of the entry (so
   unloading the entry or stopping Home Assistant cancels it), holding the link with
   ``async with coordinator.reserve_for_upload() as lease`` so every other command is refused
   with ``busy_uploading`` meanwhile;
3. after the lease is released (so other commands are not kept out), re-read the slot table and
   declare the end: ``done``, ``failed`` with a reason key (a ``TransferFailure`` value, a
   validation refusal, ``not_connected`` or ``unexpected``) and its translated message
   (``exceptions.upload_<reason>``), or ``cancelled``.

Progress (phase, bytes, percent, rate, ETA), throttled by the transfer to one report per second
plus every phase change, is published as ``coordinator.state.upload`` (an ``UploadStatus``)
with ``FurbyChange.UPLOAD`` for the listeners (the upload sensor, the card), each phase change
as a log entry, and the end as the bus event ``furby_connect_upload_finished`` (the status plus
``device_id``) for automations.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.util.ulid import ulid_now

from .const import DOMAIN
from .coordinator import FurbyCoordinator
from .executor import UploadLease
from .models import FurbyChange, LogKind, LogLevel, SlotTable, UploadStatus
from .protocol import commands
from .protocol.client import FurbyClient
from .protocol.dlc import DlcInfo
from .protocol.transfer import (
    TransferError,
    TransferFailure,
    TransferProgress,
    TransferResult,
    TransferSettings,
    UploadPhase,
    upload_dlc,
)
from .protocol.transfer_slots import SLOT_NAME_LENGTH
from .upload_outcome import (
    NOT_CONNECTED,
    UNEXPECTED,
    TransferEnd,
    TransferOutcome,
    link_failure,
    transfer_outcome,
)
from .upload_source import DlcFile, UnreadableFileError, async_open_dlc, upload_error

_LOGGER = logging.getLogger(__name__)

EVENT_UPLOAD_FINISHED: Final = f"{DOMAIN}_upload_finished"
"""Fired once per upload that got past finding its file, when it is done, failed or cancelled."""

TRANSFER_SETTINGS: Final = TransferSettings()
"""Timeouts and pacing of the transfer."""

REFRESH_ATTEMPTS: Final = 3
"""Tries to re-read the slot table after an upload."""

LINK_SETTLE_SECONDS: Final = 2.0
"""How long to wait for the coordinator to notice a dropped link before re-reading slots."""


class UploadJob:
    """One upload to one Furby (see the module docstring)."""

    def __init__(self, coordinator: FurbyCoordinator) -> None:
        """Prepare an upload to the coordinator's Furby that has not found its file yet."""
        self.hass = coordinator.hass
        self.entry = coordinator.entry
        self.coordinator = coordinator
        self.status = UploadStatus(
            upload_id=ulid_now(), filename="", phase=UploadPhase.VALIDATING, total_bytes=0
        )
        self.task: asyncio.Task[None] | None = None
        self._file: DlcFile | None = None
        self._info: DlcInfo | None = None

    @property
    def running(self) -> bool:
        """Whether the upload has not ended yet."""
        return self.status.running

    @callback
    def _publish(self, status: UploadStatus) -> None:
        """Show ``status`` on the coordinator; log a change of phase, or progress (debug)."""
        previous, self.status = self.status, status
        self.coordinator.async_set_upload_status(status)
        name = status.filename or status.upload_id
        if status.phase != previous.phase or status is previous:
            failed = status.phase is UploadPhase.FAILED
            self.coordinator.async_log(
                LogLevel.ERROR if failed else LogLevel.INFO,
                LogKind.UPLOAD,
                f"Upload {name}: {status.phase}"
                + (f" ({status.message})" if failed and status.message else ""),
                status.as_dict(),
            )
        elif status.bytes_sent != previous.bytes_sent:
            self.coordinator.async_log(
                LogLevel.DEBUG,
                LogKind.UPLOAD,
                f"Upload {name}: {describe_progress(status)}",
                status.as_dict(),
            )

    async def async_run(self, path: str | None, file_id: str | None, activate: bool) -> None:
        """Start the upload as a background task of the entry; return once the transfer starts.

        The task exists from the moment the upload is accepted, so ``cancel_upload`` and
        unloading the entry stop it in any phase, validation included. A file that cannot be sent
        raises its translated error here (the upload ends in ``failed``); an upload cancelled
        before its transfer started raises ``upload_cancelled``.
        """
        started: asyncio.Future[None] = self.hass.loop.create_future()
        # Not started eagerly: the task exists before any of its steps runs, so a cancel made
        # at once by whoever follows the status always finds it.
        self.task = task = self.entry.async_create_background_task(
            self.hass,
            self._async_run(path, file_id, activate, started),
            f"{DOMAIN} upload {self.status.upload_id}",
            eager_start=False,
        )
        task.add_done_callback(lambda _task: started.cancel())  # no-op once it has started
        self._publish(self.status)
        try:
            await asyncio.shield(started)
        except asyncio.CancelledError:
            if started.cancelled():  # the upload was cancelled, not this call
                raise upload_error(
                    HomeAssistantError, "cancelled", name=self.coordinator.name
                ) from None
            raise

    async def _async_prepare(self, path: str | None, file_id: str | None, activate: bool) -> None:
        """Open, check and validate the file; raise a translated error if it cannot be sent."""
        try:
            self._file = dlc = await async_open_dlc(self.hass, path, file_id)
            self._publish(dataclasses.replace(self.status, activate=activate))
            self._info = info = await dlc.async_validate()
        except HomeAssistantError as err:
            key = (err.translation_key or "").removeprefix("upload_")
            await self._async_finish(UploadPhase.FAILED, key, str(err))
            raise
        except asyncio.CancelledError:
            raise
        except Exception as err:  # never leave the upload running
            _LOGGER.exception("%s: DLC upload failed unexpectedly", self.coordinator.name)
            await self._async_finish(UploadPhase.FAILED, UNEXPECTED, repr(err))
            raise upload_error(HomeAssistantError, UNEXPECTED, error=repr(err)) from err
        name = commands.dlc_announce_name(dlc.name, info.adler32)
        self._publish(dataclasses.replace(self.status, filename=name, total_bytes=info.size))

    async def _async_run(
        self,
        path: str | None,
        file_id: str | None,
        activate: bool,
        started: asyncio.Future[None],
    ) -> None:
        """Validate; then transfer under the lease, re-read the slots (lease released), finish."""
        try:
            try:
                await self._async_prepare(path, file_id, activate)
            except HomeAssistantError as err:
                if not started.done():
                    started.set_exception(err)
                return
            if self._stopping():  # the entry began unloading while the file was validated
                raise asyncio.CancelledError
            started.set_result(None)
            outcome = await self._async_transfer_leased()
            if isinstance(outcome, TransferResult):
                await self.async_refresh_slots()  # before "done": the state shows the new slot
                await self._async_finish(UploadPhase.DONE, None, None)
                return
        except asyncio.CancelledError:
            if not started.done():
                started.cancel()
            await self._async_finish(UploadPhase.CANCELLED, None, None)
            raise
        if self._stopping():
            await self._async_finish(UploadPhase.CANCELLED, None, None)
            return
        key, message = outcome
        _LOGGER.warning(
            "%s: DLC upload %s failed: %s", self.coordinator.name, self.status.upload_id, message
        )
        await self._async_finish(UploadPhase.FAILED, key, message)
        if key != NOT_CONNECTED:  # after a drop this waits for the reconnect
            table = await self.async_refresh_slots()
            if key == TransferFailure.LINK_LOST and table is not None:
                await self._async_discard_partial(table)

    async def _async_discard_partial(self, table: SlotTable) -> None:
        """Delete the partial slot a lost link left (the transfer could not: the link was down).

        A slot is the upload's partial one when it is filled but not active, carries the
        upload's announce name (which is never one of Hasbro's, ``dlc_announce_name``) and does
        not hold the file's length and Adler-32. Best effort: a failure is only logged.
        """
        assert self._info is not None  # the transfer ran
        name = self.status.filename[:SLOT_NAME_LENGTH]
        for slot in sorted(table.filled - table.active):
            info = table.info.get(slot)
            if info is None or info.name != name:
                continue
            if (info.length, info.adler32) == (self._info.size, self._info.adler32):
                continue
            try:
                await self.coordinator.async_delete_dlc(slot)
            except HomeAssistantError as err:
                _LOGGER.debug("%s: partial slot %s kept: %s", self.coordinator.name, slot, err)

    async def _async_transfer_leased(self) -> TransferOutcome:
        """Hold the link for the transfer; an unplanned error becomes the ``unexpected`` outcome."""
        try:
            async with self.coordinator.reserve_for_upload() as lease:
                return await self._async_transfer(lease)
        except Exception as err:  # a bug must not leave the upload running
            _LOGGER.exception("%s: DLC upload failed unexpectedly", self.coordinator.name)
            return UNEXPECTED, str(upload_error(HomeAssistantError, UNEXPECTED, error=repr(err)))

    def _stopping(self) -> bool:
        """Whether the entry is unloading or Home Assistant is stopping (a drop is expected)."""
        return self.entry.state is ConfigEntryState.UNLOAD_IN_PROGRESS or self.hass.is_stopping

    async def _async_transfer(self, lease: UploadLease) -> TransferOutcome:
        """Run ``upload_dlc`` on the leased link."""
        assert self._file is not None  # set by async_prepare
        assert self._info is not None
        dlc, info = self._file, self._info

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

        async def attempt(client: FurbyClient) -> TransferEnd:
            chunks = dlc.chunks()
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
            except (TransferError, UnreadableFileError) as err:
                return err  # the transfer deleted the slot it filled
            finally:
                await chunks.aclose()  # closes the file now, not when the generator is collected

        self._publish(dataclasses.replace(self.status, phase=UploadPhase.ANNOUNCING))
        try:
            outcome = await lease.execute(attempt)
        except HomeAssistantError as err:
            return link_failure(err)
        return transfer_outcome(outcome)

    async def async_refresh_slots(self) -> SlotTable | None:
        """Re-read the toy's slot table into the coordinator's state (best effort); return it.

        Right after a drop the coordinator may not have noticed it yet and hand out the dead
        link: then wait for its next change of the link (at most ``LINK_SETTLE_SECONDS``) and
        try again; the next try waits for the reconnect. Another upload holding the link ends
        the attempts: it re-reads the table itself when it ends.
        """
        for _attempt in range(REFRESH_ATTEMPTS):
            if self._stopping():
                return None
            try:
                return await self.coordinator.async_refresh_slots()
            except HomeAssistantError as err:
                _LOGGER.debug("%s: slot table not re-read: %s", self.coordinator.name, err)
                if err.translation_key == "busy_uploading":
                    return None
                if self.coordinator.connected:
                    await self._async_next_link_change(LINK_SETTLE_SECONDS)
        return None

    async def _async_next_link_change(self, seconds: float) -> None:
        """Wait for the coordinator's next change of the link, at most ``seconds``."""
        changed = asyncio.Event()
        remove = self.coordinator.async_add_listener(
            lambda _changed: changed.set(), FurbyChange.LINK
        )
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
        """Publish the final status, fire the finished event and let go of the file."""
        self._publish(dataclasses.replace(self.status, phase=phase, error=error, message=message))
        dlc, self._file = self._file, None
        if dlc is None:
            return
        # got past finding the file: tell automations how it ended
        devices = dr.async_entries_for_config_entry(dr.async_get(self.hass), self.entry.entry_id)
        self.hass.bus.async_fire(
            EVENT_UPLOAD_FINISHED,
            {**self.status.as_dict(), ATTR_DEVICE_ID: devices[0].id if devices else None},
        )
        await dlc.async_release()

    async def async_cancel(self) -> None:
        """Cancel the transfer and wait until it has ended."""
        task = self.task
        if task is not None and not task.done():
            task.cancel()
            await asyncio.wait({task})
        if self.running:  # cancelled before its first step: it could not say so itself
            await self._async_finish(UploadPhase.CANCELLED, None, None)


class FurbyUploadManager:
    """The DLC uploads of one Furby (see the module docstring)."""

    def __init__(self, coordinator: FurbyCoordinator) -> None:
        """Start with no upload to the coordinator's Furby."""
        self._coordinator = coordinator
        self._job: UploadJob | None = None

    @property
    def running(self) -> bool:
        """Whether an upload has not ended yet."""
        return self._job is not None and self._job.running

    async def async_upload(self, path: str | None, file_id: str | None, activate: bool) -> str:
        """Validate the file and start the upload in the background; return its id.

        Refused with ``upload_in_progress`` while another upload of this Furby runs.
        """
        current = self._job
        if current is not None and current.running:
            raise upload_error(
                ServiceValidationError,
                "in_progress",
                name=self._coordinator.name,
                upload_id=current.status.upload_id,
            )
        job = UploadJob(self._coordinator)
        self._job = job  # taken before the first await: no second upload slips in
        await job.async_run(path, file_id, activate)
        return job.status.upload_id

    async def async_cancel(self) -> None:
        """Cancel the running upload and re-read the slot table; refused when none runs."""
        job = self._job
        if job is None or not job.running:
            raise upload_error(ServiceValidationError, "not_running", name=self._coordinator.name)
        await job.async_cancel()
        await job.async_refresh_slots()

    async def async_shutdown(self) -> None:
        """Cancel a running upload (call it first in ``async_unload_entry``, link still up)."""
        if self._job is not None:
            await self._job.async_cancel()


def describe_progress(status: UploadStatus) -> str:
    """One line of progress: percent, bytes, rate and time left when known."""
    parts = [f"{status.bytes_sent:,} of {status.total_bytes:,} bytes"]
    if status.rate is not None:
        parts.append(f"{status.rate / 1000:.1f} kB/s")
    if status.eta is not None:
        parts.append(f"{status.eta:.0f} s left")
    return f"{status.percent:.1f} % ({', '.join(parts)})"
