"""Every way an upload can fail has a translated message (``exceptions.upload_<reason>``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custom_components.furby_connect.protocol.transfer import TransferFailure
from custom_components.furby_connect.upload_outcome import NOT_CONNECTED, UNEXPECTED

TRANSLATIONS = Path(__file__).parents[1] / "custom_components/furby_connect/translations/en.json"


@pytest.mark.parametrize("reason", [*TransferFailure, NOT_CONNECTED, UNEXPECTED, "cancelled"])
def test_every_upload_failure_has_a_translation(reason: str) -> None:
    """A failed upload shows ``exceptions.upload_<reason>``: each reason the transfer or the
    upload job can give has that key, with a message.
    """
    exceptions = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))["exceptions"]
    assert exceptions.get(f"upload_{reason}", {}).get("message")
