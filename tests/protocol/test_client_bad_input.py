"""Bad input to FurbyClient raises before anything reaches the toy.

Runs on virtual time against the virtual Furby over the real bleak API (harness in
``test_client.py``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from bleak import BleakClient

from custom_components.furby_connect.protocol import gatt
from custom_components.furby_connect.protocol.client import FurbyClient
from custom_components.furby_connect.protocol.commands import MoodMeter
from virtual_furby.bleak_backend import virtual_bleak_client
from virtual_furby.clock import LoopClock
from virtual_furby.toy import VirtualFurby

from .test_client import GP, NORDIC, rig, virtual_time

type Call = Callable[[FurbyClient], Awaitable[Any]]

OUT_OF_RANGE: list[tuple[str, Call, str]] = [
    ("antenna red", lambda c: c.set_antenna(256, 0, 0), "red"),
    ("antenna blue", lambda c: c.set_antenna(0, 0, -1), "blue"),
    ("action input", lambda c: c.trigger_action(256), "input"),
    ("action index", lambda c: c.trigger_action(1, -1), "index"),
    ("action gap", lambda c: c.trigger_action(1, None, 2), "subindex given without index"),
    ("confirmed action", lambda c: c.trigger_action(300, confirm=True), "input"),
    ("name crash", lambda c: c.trigger_action(33, 0, 0, 129), "crash"),
    ("name id", lambda c: c.set_name(129), "name_id"),
    ("negative name id", lambda c: c.set_name(-1), "name_id"),
    ("mood value", lambda c: c.set_mood(MoodMeter.WELLNESS, 101), "value"),
    ("mood meter", lambda c: c.set_mood(7, 10), "meter"),  # type: ignore[arg-type]
    ("mood opcode", lambda c: c.set_mood(MoodMeter.WELLNESS, 1, opcode=0x25), "opcode"),  # type: ignore[arg-type]
    ("slot info", lambda c: c.get_slot_info(14), "slot"),
    ("load slot", lambda c: c.load_slot(-1), "slot"),
    ("deactivate slot", lambda c: c.deactivate_slot(99), "slot"),
    ("delete slot", lambda c: c.delete_slot(14), "slot"),
    ("comm test", lambda c: c.comm_test(0, 256), "b"),
    ("empty write", lambda c: c.write(GP, b""), "1 to 20 bytes"),
    ("long write", lambda c: c.write(GP, bytes(21)), "1 to 20 bytes"),
    ("read-only characteristic", lambda c: c.write(gatt.GENERALPLUS_LISTEN, b"\x00"), "write"),
    ("unknown characteristic", lambda c: c.write("not-a-uuid", b"\x00"), "write"),
    ("zero timeout", lambda c: c.request(GP, b"\xfe", lambda n: True, timeout=0), "timeout"),
]

WRONG_TYPE: list[tuple[str, Call]] = [
    ("eyes", lambda c: c.set_eyes("on")),  # type: ignore[arg-type]
    ("antenna", lambda c: c.set_antenna(1.5, 0, 0)),  # type: ignore[arg-type]
    ("mood add", lambda c: c.set_mood(MoodMeter.FULLNESS, 5, add="yes")),  # type: ignore[arg-type]
    ("packet acks", lambda c: c.set_packet_acks(1)),  # type: ignore[arg-type]
    ("action", lambda c: c.trigger_action("55")),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(
    ("call", "message"), [(c, m) for _, c, m in OUT_OF_RANGE], ids=[n for n, _, _ in OUT_OF_RANGE]
)
@virtual_time
async def test_out_of_range_raises_value_error_before_writing(call: Call, message: str) -> None:
    """Out-of-range arguments raise ValueError naming the field; nothing reaches the toy."""
    async with rig() as r:
        session = r.furby.session
        assert session is not None
        received = session.bytes_received
        with pytest.raises(ValueError, match=message):
            await call(r.client)
        await asyncio.sleep(0.1)
        assert r.writes_since() == []
        assert session.bytes_received == received
        assert r.client.is_running


@pytest.mark.parametrize("call", [c for _, c in WRONG_TYPE], ids=[n for n, _ in WRONG_TYPE])
@virtual_time
async def test_wrong_type_raises_type_error_before_writing(call: Call) -> None:
    """Arguments of the wrong type raise TypeError; nothing reaches the toy."""
    async with rig() as r:
        with pytest.raises(TypeError):
            await call(r.client)
        await asyncio.sleep(0.1)
        assert r.writes_since() == []


@pytest.mark.parametrize(
    "options",
    [
        {"request_timeout": 0},
        {"request_timeout": -5.0},
        {"keepalive_interval": 0},
        {"keepalive_interval": -3.0},
    ],
)
@virtual_time
async def test_bad_client_options(options: dict[str, float]) -> None:
    """Non-positive keep-alive or request timeouts are refused when the client is made."""
    toy = VirtualFurby(clock=LoopClock())
    ble: BleakClient = virtual_bleak_client(toy)
    with pytest.raises(ValueError, match="must be positive"):
        FurbyClient(ble, **options)
    toy.close()


@virtual_time
async def test_nordic_write_accepts_its_own_characteristic() -> None:
    """The negative cases above are not vacuous: the same calls with good values go through."""
    async with rig() as r:
        await r.client.write(NORDIC, b"\x03")
        await r.client.write(GP, bytes(20))
        await r.client.set_name(0)
        await asyncio.sleep(0.1)
        assert r.writes_since() == [
            (NORDIC, "03"),
            (GP, " ".join(["00"] * 20)),
            (GP, "21 00"),
            (GP, "13 00 21 00 00 00"),
        ]
