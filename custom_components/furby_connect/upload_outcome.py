"""How an upload ended when it did not succeed: its reason key and translated message.

``UploadStatus.error`` is a ``TransferFailure`` value, a refusal of the file (``upload_source``)
or one of the keys here; its message is ``exceptions.upload_<key>`` of ``translations/en.json``.
"""

from __future__ import annotations

from typing import Final

from homeassistant.exceptions import HomeAssistantError

from .protocol.transfer import TransferError, TransferFailure, TransferResult
from .upload_source import UnreadableFileError, upload_error

NOT_CONNECTED: Final = "not_connected"
"""``UploadStatus.error`` when no link could be made for the transfer."""
FILE_UNREADABLE: Final = "file_unreadable"
"""``UploadStatus.error`` when the file could not be read while it was sent (also a refusal)."""
UNEXPECTED: Final = "unexpected"
"""``UploadStatus.error`` after an error nobody planned for (logged with its traceback)."""

type TransferEnd = TransferResult | TransferError | UnreadableFileError
"""How a transfer ended: verified, the transfer's failure, or a file that could not be read."""

type TransferOutcome = TransferResult | tuple[str, str]
"""A verified upload, or why it failed: ``(reason key, translated message)``."""


_LINK_FAILURES: Final[dict[str, TransferFailure]] = {
    "connection_lost": TransferFailure.LINK_LOST,
    "no_reply": TransferFailure.NO_REPLY,
}
"""The executor's errors (translation keys) that have a transfer failure of their own."""


def link_failure(err: HomeAssistantError) -> tuple[str, str]:
    """Turn ``err``, which ended a transfer in the executor, into the upload's outcome.

    No link in time is ``not_connected``; a lost link or a missing reply keep their transfer
    reasons; anything else is ``unexpected`` (with the error's own message).
    """
    key = err.translation_key
    if key == NOT_CONNECTED:
        return NOT_CONNECTED, str(upload_error(HomeAssistantError, NOT_CONNECTED, error=str(err)))
    if key is not None and (failure := _LINK_FAILURES.get(key)) is not None:
        return str(failure), str(upload_error(HomeAssistantError, failure, detail=str(err)))
    return UNEXPECTED, str(upload_error(HomeAssistantError, UNEXPECTED, error=str(err)))


def transfer_outcome(ended: TransferEnd) -> TransferOutcome:
    """Turn how the transfer ended into the upload's outcome: verified, or why it failed."""
    if isinstance(ended, UnreadableFileError):
        return FILE_UNREADABLE, str(ended)
    if isinstance(ended, TransferError):
        message = upload_error(HomeAssistantError, ended.reason, detail=ended.detail)
        return str(ended.reason), str(message)
    return ended
