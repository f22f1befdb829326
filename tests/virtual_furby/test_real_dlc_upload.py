"""Real DLC files over the realistic radio, in virtual time (skipped without the samples)."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from virtual_furby.intake import IntakeModel
from virtual_furby.profiles import min_upload_seconds
from virtual_furby.radio import RadioModel
from virtual_furby.slots import SlotState
from virtual_furby.toy import VirtualFurby
from virtual_furby.virtual_time import run_in_virtual_time

from .host import Host, UploadResult, upload

DLC_DIR = Path(__file__).resolve().parents[2] / "../shared/furby/dlc"


def _sample(name: str) -> bytes:
    path = DLC_DIR / name
    if not path.is_file():
        pytest.skip(f"DLC sample {name} not available")
    return path.read_bytes()


def _upload(data: bytes, filename: str) -> tuple[VirtualFurby, UploadResult, bytes]:
    async def main() -> tuple[VirtualFurby, UploadResult, bytes]:
        toy = VirtualFurby()
        host = Host(toy)
        await host.connect()
        result = await upload(host, data, filename)
        seen = len(host.gp)
        await host.send("dab91383-b5a1-e29c-b041-bcd562613bde", "730d")
        info = await host.wait_gp(b"\x73", seen)
        await host.client.disconnect()
        return toy, result, info

    return run_in_virtual_time(main())


def test_hacked_dlc_checksum_matches_the_slot_reply() -> None:
    """A real DLC lands in slot 13 and the 73 reply carries its name, length and Adler-32."""
    data = _sample("hacked.dlc")
    toy, result, info = _upload(data, "HACKED01.DLC")
    assert result.status == 0x05
    assert toy.slots[13].state is SlotState.DOWNLOADED
    assert info[2:10] == b"HACKED01"
    assert int.from_bytes(info[10:13], "big") == len(data) == 141_142
    assert int.from_bytes(info[13:17], "big") == zlib.adler32(data) == 0xF47A3F06


def test_original_dlc_takes_minutes() -> None:
    """Hasbro's 1.13 MB DLC takes minutes on the default toy, as bluefluff reports (§5.3)."""
    data = _sample("tu003410.dlc")
    toy, result, info = _upload(data, "TU003410.DLC")
    assert result.status == 0x05
    assert int.from_bytes(info[13:17], "big") == 0x7504602E
    best = min_upload_seconds(RadioModel(), IntakeModel(), len(data))
    assert best == pytest.approx(282.49)
    # bluefluff: "3-5 minutes" for a DLC; a FurBLE-style host gets within 30 % of the bound.
    assert best <= result.seconds < 1.3 * best
    assert toy.transfer.lost_packets == 0
