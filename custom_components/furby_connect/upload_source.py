"""The file of one DLC upload: opened once, checked, validated, streamed and let go.

A ``DlcFile`` comes from the ``upload_dlc`` action's ``path`` (it must pass
``hass.config.is_allowed_path``) or ``file_id`` (a file posted to ``/api/file_upload``, deleted
when the upload lets go of it). The file is opened once, and everything after that works on that
open file, never on its name again:

- opened with ``O_NOFOLLOW | O_NONBLOCK`` (a FIFO cannot block the open, a symlink as the last
  component is refused) and checked with ``fstat``: only a regular file is taken;
- the allowlist is checked on the real path of what was opened (``/proc/self/fd``), so a folder
  or link swapped in between the check and the open cannot lead outside it;
- validated with ``protocol.dlc.validate_stream`` and then streamed for the transfer from that
  same descriptor, in ``READ_CHUNK_SIZE`` reads at explicit offsets off the event loop: replacing,
  deleting or re-linking the path afterwards changes nothing that is sent. The transfer itself
  holds its last packet until the bytes it read match the validated size and Adler-32
  (``protocol/transfer.py``), so a file rewritten in place is never completed on the toy.

Every file-system step is bounded by ``FILE_STEP_TIMEOUT``. Failures are translated
``ServiceValidationError``s with the ``upload_<reason>`` keys of ``translations/en.json``.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import functools
import logging
import os
import stat
from collections.abc import AsyncGenerator, Callable
from pathlib import Path
from typing import Final

from homeassistant.components.file_upload import process_uploaded_file
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .errors import translated_error
from .protocol.dlc import DlcInfo, DlcValidationError, validate_stream

_LOGGER = logging.getLogger(__name__)

READ_CHUNK_SIZE: Final = 64 * 1024
"""Bytes per read, for validation and for the transfer."""

FILE_STEP_TIMEOUT: Final = 30.0
"""Seconds one file-system step (the allowlist check, the open, one read) may take."""

OPEN_FLAGS: Final = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
"""Read only; refuse a symlink as the last component; never block on a FIFO or a device."""


def upload_error[E: HomeAssistantError](kind: type[E], key: str, **placeholders: str) -> E:
    """Build a translated error of ``kind`` with ``translation_key`` ``upload_<key>``."""
    return translated_error(kind, f"upload_{key}", **placeholders)


class NotRegularFileError(OSError):
    """The path names a FIFO, a device, a directory or a socket, not a regular file."""


class NotAllowedError(PermissionError):
    """The path, or what was actually opened, is outside the allowed folders."""


class UnreadableFileError(ServiceValidationError):
    """The file system refused to open or read the upload's file, or did not answer in time.

    Translated (``upload_file_unreadable``); raised when the file is opened, while it is
    validated and while it is streamed to the toy, where the upload ends as ``file_unreadable``.
    """


async def _bounded[T](hass: HomeAssistant, func: Callable[[], T]) -> T:
    """Run one blocking file-system step in the executor, for at most ``FILE_STEP_TIMEOUT``."""
    async with asyncio.timeout(FILE_STEP_TIMEOUT):
        return await hass.async_add_executor_job(func)


async def _bounded_open[T](
    hass: HomeAssistant, func: Callable[[], T], fd_of: Callable[[T], int]
) -> T:
    """Run ``func`` (which opens a descriptor) like ``_bounded``; never leak what it opens.

    An executor job cannot be stopped once it runs: when the wait is abandoned (cancelled, or
    past ``FILE_STEP_TIMEOUT``), the descriptor the job still opens is closed when it finishes.
    """
    job = hass.async_add_executor_job(func)
    try:
        async with asyncio.timeout(FILE_STEP_TIMEOUT):
            return await asyncio.shield(job)
    except BaseException:

        def close_abandoned(done: asyncio.Future[T]) -> None:
            if not done.cancelled() and done.exception() is None:
                os.close(fd_of(done.result()))

        job.add_done_callback(close_abandoned)
        raise


def _open_regular_file(path: str) -> int:
    """Open ``path`` for reading (``OPEN_FLAGS``); return the descriptor of a regular file.

    Raises ``NotRegularFileError`` for anything but a regular file (FIFO, device, directory,
    socket) and ``OSError`` with ``ELOOP`` for a symlink as the last component.
    """
    fd = os.open(path, OPEN_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFileError(errno.EINVAL, "not a regular file", path)
        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _opened_path(fd: int, fallback: str) -> str:
    """Return the real path of the file open as ``fd`` (``fallback`` without ``/proc``)."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return fallback


def _open_allowed(hass: HomeAssistant, path: str) -> tuple[int, str]:
    """Open an allowed regular file once; return its descriptor and the real path opened.

    The allowlist is checked on the resolved path before the open and again on the path of
    what was actually opened. Raises ``NotAllowedError``, ``NotRegularFileError``,
    ``FileNotFoundError`` or another ``OSError``.
    """
    if not hass.config.is_allowed_path(path):
        raise NotAllowedError(errno.EACCES, "not allowed", path)
    real = os.path.realpath(path)
    fd = _open_regular_file(real)
    try:
        opened = _opened_path(fd, real)
        if not hass.config.is_allowed_path(opened):
            raise NotAllowedError(errno.EACCES, "not allowed", path)
    except BaseException:
        os.close(fd)
        raise
    return fd, opened


async def async_open_dlc(hass: HomeAssistant, path: str | None, file_id: str | None) -> DlcFile:
    """Open the file to send: an allowed ``path`` or the uploaded ``file_id``."""
    if file_id is not None:
        release = process_uploaded_file(hass, file_id)
        try:
            found = await _bounded(hass, release.__enter__)
        except ValueError as err:
            raise upload_error(ServiceValidationError, "file_id_unknown", file_id=file_id) from err
        try:
            fd = await _bounded_open(hass, lambda: _open_regular_file(str(found)), int)
        except BaseException as err:
            with contextlib.suppress(Exception):
                await _bounded(hass, lambda: release.__exit__(None, None, None))
            if isinstance(err, OSError | TimeoutError):
                raise _file_error(str(found), err) from err
            raise
        return DlcFile(hass, fd, found.name, str(found), release)
    assert path is not None  # the schema requires one of the two
    try:
        fd, opened = await _bounded_open(
            hass, lambda: _open_allowed(hass, path), lambda opened: opened[0]
        )
    except (OSError, TimeoutError) as err:
        raise _file_error(path, err) from err
    return DlcFile(hass, fd, Path(opened).name, path, None)


def _file_error(path: str, err: OSError | TimeoutError) -> ServiceValidationError:
    """Build the translated refusal of a file that could not be opened or read for an upload."""
    if isinstance(err, NotAllowedError):
        return upload_error(ServiceValidationError, "path_not_allowed", path=path)
    if isinstance(err, NotRegularFileError | IsADirectoryError) or (
        isinstance(err, OSError) and err.errno == errno.ELOOP
    ):
        return upload_error(ServiceValidationError, "not_a_file", path=path)
    if isinstance(err, FileNotFoundError | NotADirectoryError):
        return upload_error(ServiceValidationError, "file_not_found", path=path)
    if isinstance(err, TimeoutError):
        error = f"no answer from the file system within {FILE_STEP_TIMEOUT:g} s"
    else:
        error = err.strerror or str(err)
    return upload_error(UnreadableFileError, "file_unreadable", path=path, error=error)


class DlcFile:
    """The open file of one upload (see the module docstring); made by ``async_open_dlc``."""

    def __init__(
        self,
        hass: HomeAssistant,
        fd: int,
        name: str,
        shown_path: str,
        release: contextlib.AbstractContextManager[Path] | None,
    ) -> None:
        """Own the open descriptor ``fd``; ``release`` lets go of an uploaded file."""
        self._hass = hass
        self._fd: int | None = fd
        self.name = name
        """The file's name (what its announce name is made from)."""
        self.shown_path = shown_path
        """The path as the user gave it (for messages)."""
        self._release = release

    async def async_validate(self) -> DlcInfo:
        """Validate the file as a DLC in constant memory; raise a translated error if it is not."""
        chunks = self.chunks()
        try:
            return await validate_stream(chunks)
        except DlcValidationError as err:
            raise upload_error(
                ServiceValidationError, "invalid_dlc", reason=str(err.reason), detail=err.detail
            ) from err
        finally:
            await chunks.aclose()

    async def chunks(self) -> AsyncGenerator[bytes]:
        """Read the open file from its start in ``READ_CHUNK_SIZE`` chunks (each read bounded).

        A read that fails or finds no answer in time raises ``UnreadableFileError``.
        """
        fd = self._fd
        if fd is None:
            raise _file_error(
                self.shown_path, OSError(errno.EBADF, "the upload's file was already let go of")
            )
        offset = 0
        while True:
            try:
                chunk = await _bounded(
                    self._hass, functools.partial(os.pread, fd, READ_CHUNK_SIZE, offset)
                )
            except (OSError, TimeoutError) as err:
                raise _file_error(self.shown_path, err) from err
            if not chunk:
                return
            offset += len(chunk)
            yield chunk

    async def async_release(self) -> None:
        """Close the file; an uploaded one (``file_id``) is deleted."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing a regular file's descriptor does not block
        release, self._release = self._release, None
        if release is None:
            return
        try:
            await _bounded(self._hass, lambda: release.__exit__(None, None, None))
        except (KeyError, OSError, TimeoutError) as err:  # already removed by file_upload itself
            _LOGGER.debug("Uploaded file not removed: %r", err)
