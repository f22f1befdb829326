"""Reading the Device Information service through FurbyClient (docs/protocol.md §2).

Runs on virtual time against the virtual Furby over the real bleak API (harness in
``test_client.py``).
"""

from __future__ import annotations

import asyncio

import pytest

from custom_components.furby_connect.protocol import gatt
from custom_components.furby_connect.protocol.client import DeviceInformation
from custom_components.furby_connect.protocol.device_info import decode_device_string
from virtual_furby.clock import LoopClock
from virtual_furby.toy import VirtualFurby

from .test_client import rig, virtual_time

CUSTOM = {
    "manufacturer": "Hasbro Inc.",
    "model": "Furby Connect",
    "serial_number": "FC-000123",
    "hardware_version": "B2",
    "firmware_version": "4",
    "software_version": "0.19",
}


@virtual_time
async def test_reads_all_six_fields() -> None:
    """The six Device Information strings are read as the toy holds them."""
    toy = VirtualFurby(clock=LoopClock(), device_info=CUSTOM)
    async with rig(furby=toy) as r:
        assert await r.client.read_device_information() == DeviceInformation(**CUSTOM)


@virtual_time
async def test_works_before_start() -> None:
    """Device Information can be read before the client is started."""
    async with rig(start=False) as r:
        info = await r.client.read_device_information()
        assert info.manufacturer == "Hasbro"
        assert not r.client.is_running


@pytest.mark.parametrize("field", list(gatt.DEVICE_INFORMATION_FIELDS))
@virtual_time
async def test_a_failing_read_leaves_only_that_field_none(field: str) -> None:
    """A read that fails leaves only its own field unknown."""
    toy = VirtualFurby(clock=LoopClock(), device_info=CUSTOM)
    toy.faults.gatt_error(gatt.DEVICE_INFORMATION_FIELDS[field], ops={"read"})
    async with rig(furby=toy) as r:
        info = await r.client.read_device_information()
        assert info == DeviceInformation(**{**CUSTOM, field: None})
        assert r.client.is_running


@virtual_time
async def test_nuls_are_stripped_and_undecodable_bytes_give_none() -> None:
    """NUL padding is stripped; bytes that are not UTF-8 make the field unknown."""
    async with rig() as r:
        r.furby.gatt.characteristic(gatt.SERIAL_NUMBER).value = b"FC-1\x00\x00\x00"
        r.furby.gatt.characteristic(gatt.MODEL_NUMBER).value = b"\x00Furby Connect \x00"
        r.furby.gatt.characteristic(gatt.HARDWARE_REVISION).value = b"\xff\xfe\x80"
        r.furby.gatt.characteristic(gatt.SOFTWARE_REVISION).value = b"\x00\x00"
        info = await r.client.read_device_information()
        assert info.serial_number == "FC-1"
        assert info.model == "Furby Connect"
        assert info.hardware_version is None
        assert info.software_version is None
        assert info.manufacturer == "Hasbro"


@virtual_time
async def test_reads_run_in_parallel_with_a_timeout_each() -> None:
    """The reads run together, each with its own timeout, on a very slow link."""
    async with rig() as r:
        # 100x slower connection events (1.5 s): ATT reads queue behind each other on the link,
        # so the first reads finish and the later ones run out of their own time.
        r.furby.faults.slow_link(100)
        loop = asyncio.get_running_loop()
        started = loop.time()
        info = await r.client.read_device_information(timeout=5.0)
        elapsed = loop.time() - started
        assert 5.0 <= elapsed < 5.1  # one timeout for all six reads, not six in a row
        assert info.manufacturer == "Hasbro"
        assert info.software_version is None
        r.furby.faults.slow_link(1)
        await asyncio.sleep(10)  # let the abandoned reads drain from the link
        assert await r.client.read_device_information() == DeviceInformation(
            manufacturer="Hasbro",
            model="Furby Connect",
            serial_number="0000000001",
            hardware_version="1.0",
            firmware_version="1.0.0",
            software_version="1.0.0",
        )


@pytest.mark.parametrize("seconds", [0, -1.0])
@virtual_time
async def test_bad_timeout_is_refused(seconds: float) -> None:
    """A per-read timeout that is not positive is refused."""
    async with rig() as r:
        with pytest.raises(ValueError, match="timeout must be positive"):
            await r.client.read_device_information(timeout=seconds)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"1.0.0", "1.0.0"),
        (bytearray(b"1.0\x00\x00"), "1.0"),
        (b"\x00\x00Hasbro", "Hasbro"),
        (b"  spaced \n", "spaced"),
        ("Füße".encode(), "Füße"),
        (b"", None),
        (b"\x00" * 20, None),
        (b"   ", None),
        (b"\xff", None),
        (b"ok\xc3", None),
    ],
)
def test_decode_device_string(raw: bytes, expected: str | None) -> None:
    """Device strings are decoded as UTF-8 without NULs and blanks."""
    assert decode_device_string(raw) == expected
