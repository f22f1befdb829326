"""The file of one DLC upload: found, checked, validated, read in chunks and let go.

A ``DlcFile`` comes from the ``upload_dlc`` action's ``path`` (it must pass
``hass.config.is_allowed_path``) or ``file_id`` (a file posted to ``/api/file_upload``, deleted
when the upload lets go of it). It is validated with ``protocol.dlc.validate_stream`` reading
with aiofiles in ``READ_CHUNK_SIZE`` chunks, so the file is never held whole and nothing blocks
the event loop, and read the same way for the transfer. Failures are translated
``ServiceValidationError``s with the ``upload_<reason>`` keys of ``translations/en.json``.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import Final

import aiofiles
from homeassistant.components.file_upload import process_uploaded_file
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .errors import translated_error
from .protocol import commands
from .protocol.dlc import DlcInfo, DlcValidationError, validate_stream

_LOGGER = logging.getLogger(__name__)

READ_CHUNK_SIZE: Final = 64 * 1024
"""Bytes per aiofiles read, for validation and for the transfer."""


def upload_error[E: HomeAssistantError](kind: type[E], key: str, **placeholders: str) -> E:
    """Build a translated error of ``kind`` with ``translation_key`` ``upload_<key>``."""
    return translated_error(kind, f"upload_{key}", **placeholders)


def announce_name(file_name: str) -> str:
    """Return the 12-character announce name for a file (docs/protocol.md §5.1).

    ``chilli.dlc`` is announced as ``__CHILLI.DLC``; a name the 12-character rule refuses is cut
    to 8 letters, digits or ``_``, plus ``.DLC``.
    """
    try:
        return commands.dlc_filename(file_name)
    except ValueError:
        stem = re.sub(r"[^A-Z0-9_]", "", Path(file_name).stem.upper())[:8] or "UPLOAD"
        return commands.dlc_filename(f"{stem}.DLC")


async def read_chunks(path: Path) -> AsyncGenerator[bytes]:
    """Yield the file in ``READ_CHUNK_SIZE`` pieces, read off the event loop."""
    async with aiofiles.open(path, "rb") as file:
        while chunk := await file.read(READ_CHUNK_SIZE):
            yield chunk


async def async_find_dlc(hass: HomeAssistant, path: str | None, file_id: str | None) -> DlcFile:
    """Find the file to send: an allowed ``path`` or the uploaded ``file_id``."""
    if file_id is not None:
        release = process_uploaded_file(hass, file_id)
        try:
            found = await hass.async_add_executor_job(release.__enter__)
        except ValueError as err:
            raise upload_error(ServiceValidationError, "file_id_unknown", file_id=file_id) from err
        return DlcFile(hass, found, release)
    assert path is not None  # the schema requires one of the two
    if not await hass.async_add_executor_job(hass.config.is_allowed_path, path):
        raise upload_error(ServiceValidationError, "path_not_allowed", path=path)
    if not await hass.async_add_executor_job(Path(path).is_file):
        raise upload_error(ServiceValidationError, "file_not_found", path=path)
    return DlcFile(hass, Path(path), None)


class DlcFile:
    """The file of one upload (see the module docstring); made by ``async_find_dlc``."""

    def __init__(
        self,
        hass: HomeAssistant,
        path: Path,
        release: contextlib.AbstractContextManager[Path] | None,
    ) -> None:
        """Wrap a found file; ``release`` lets go of an uploaded one."""
        self._hass = hass
        self.path = path
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
        except OSError as err:
            raise upload_error(
                ServiceValidationError, "file_unreadable", path=str(self.path), error=str(err)
            ) from err
        finally:
            await chunks.aclose()  # closes the file now, not when the generator is collected

    def chunks(self) -> AsyncGenerator[bytes]:
        """Read the file in ``READ_CHUNK_SIZE`` chunks (close the generator when done)."""
        return read_chunks(self.path)

    async def async_release(self) -> None:
        """Let go of the file: an uploaded one (``file_id``) is deleted."""
        release, self._release = self._release, None
        if release is None:
            return
        try:
            await self._hass.async_add_executor_job(release.__exit__, None, None, None)
        except (KeyError, OSError) as err:  # already removed by file_upload itself
            _LOGGER.debug("Uploaded file not removed: %r", err)
