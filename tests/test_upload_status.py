"""The upload's status value and the 12-character announce name of a file."""

from __future__ import annotations

import pytest

from custom_components.furby_connect.models import UploadStatus
from custom_components.furby_connect.protocol.transfer import UploadPhase
from custom_components.furby_connect.upload_source import announce_name


@pytest.mark.parametrize(
    ("file_name", "announced"),
    [
        ("chilli.dlc", "__CHILLI.DLC"),
        ("TU003410.DLC", "TU003410.DLC"),
        ("/media/furby/hacked.dlc", "__HACKED.DLC"),
        ("my custom file.dlc", "MYCUSTOM.DLC"),  # spaces are refused by the 12-character rule
        ("a_very_long_name.dlc", "A_VERY_L.DLC"),
        ("ünïcödé.dlc", "_____NCD.DLC"),
        ("日本.dlc", "__UPLOAD.DLC"),
    ],
)
def test_announce_name(file_name: str, announced: str) -> None:
    """Any file name becomes a 12-character announce name the toy accepts."""
    assert announce_name(file_name) == announced


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
