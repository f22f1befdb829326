"""The upload's status value (announce names are tested with ``protocol.commands``)."""

from __future__ import annotations

from custom_components.furby_connect.models import UploadStatus
from custom_components.furby_connect.protocol.transfer import UploadPhase


def test_status_as_dict_is_json_friendly() -> None:
    """The status turns into plain data with the phase as text and the percent rounded."""
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
    assert status.running
    assert UploadStatus("id", "", UploadPhase.VALIDATING, 0).percent == 0
    assert not UploadStatus("id", "", UploadPhase.DONE, 0).running
