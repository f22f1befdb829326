"""FurbyClient's commands against the virtual Furby, over the real ``bleak.BleakClient`` API.

Every test runs on a fresh virtual-time event loop (``virtual_furby.virtual_time``): the toy, its
radio model (15 ms connection events by default), the client's keep-alive and its timeouts all
follow the loop's clock, so minutes pass in milliseconds and nothing sleeps for real. This module
also holds the harness the other ``test_client_*`` modules use.
"""

from __future__ import annotations

import asyncio
import functools
import zlib
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import bleak
import pytest

from custom_components.furby_connect.protocol import gatt
from custom_components.furby_connect.protocol.client import (
    FurbyClient,
    FurbyCommandError,
)
from custom_components.furby_connect.protocol.commands import MoodMeter, MoodOpcode
from custom_components.furby_connect.protocol.notifications import (
    DlcReport,
    FurbyMessage,
    FurbyMessageCode,
    Notification,
    SensorState,
    SlotDeleted,
)
from virtual_furby.bleak_backend import virtual_bleak_client
from virtual_furby.clock import LoopClock
from virtual_furby.radio import RadioModel
from virtual_furby.toy import VirtualFurby
from virtual_furby.virtual_time import run_in_virtual_time

GP = gatt.GENERALPLUS_WRITE
NORDIC = gatt.NORDIC_WRITE
RADIOS = pytest.mark.parametrize(
    "radio", [RadioModel(), RadioModel.instant()], ids=["15ms-radio", "instant-radio"]
)


def virtual_time[**P](test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """Run an async test body on its own virtual-time loop; it must leave no task behind."""

    @functools.wraps(test)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        async def body() -> None:
            await test(*args, **kwargs)
            leftover = asyncio.all_tasks() - {asyncio.current_task()}
            assert not leftover, f"tasks left behind: {leftover}"

        run_in_virtual_time(body())

    return run


@dataclass
class Rig:
    """A virtual Furby, the real bleak client connected to it, and the FurbyClient under test."""

    furby: VirtualFurby
    ble: bleak.BleakClient
    client: FurbyClient
    seen: list[Notification] = field(default_factory=list)

    def mark(self) -> int:
        """Position in the toy's write log, for ``writes_since``."""
        return len(self.furby.writes)

    def writes_since(self, mark: int = 0) -> list[tuple[str, str]]:
        """``(characteristic, hex)`` of every write the toy received after ``mark``."""
        return [(w.uuid, w.data.hex(" ")) for w in list(self.furby.writes)[mark:]]

    def gp_hex(self, mark: int = 0) -> list[str]:
        """Hex of the GeneralPlus writes the toy received after ``mark``."""
        return [data for uuid, data in self.writes_since(mark) if uuid == GP]


@asynccontextmanager
async def rig(
    *,
    radio: RadioModel | None = None,
    furby: VirtualFurby | None = None,
    start: bool = True,
    **client_options: float,
) -> AsyncIterator[Rig]:
    """Connect a FurbyClient to a virtual Furby; stop and disconnect everything afterwards.

    bleak's disconnected callback is wired to ``handle_disconnect`` as the coordinator does.
    """
    toy = furby if furby is not None else VirtualFurby(clock=LoopClock(), radio=radio)
    clients: list[FurbyClient] = []

    def on_disconnect(_ble: bleak.BleakClient) -> None:
        for client in clients:
            client.handle_disconnect()

    ble = virtual_bleak_client(toy, disconnected_callback=on_disconnect)
    await ble.connect()
    client = FurbyClient(ble, **client_options)
    clients.append(client)
    harness = Rig(toy, ble, client)
    client.add_listener(harness.seen.append)
    try:
        if start:
            await client.start()
        yield harness
    finally:
        await client.stop()
        if ble.is_connected:
            await ble.disconnect()
        toy.close()


# --------------------------------------------------------------------------- simple commands


@RADIOS
@virtual_time
async def test_set_antenna(radio: RadioModel) -> None:
    """set_antenna writes 14 RR GG BB and the toy shows the colour; all zero is off."""
    async with rig(radio=radio) as r:
        await r.client.set_antenna(255, 16, 0)
        await asyncio.sleep(0.1)
        assert r.gp_hex() == ["14 ff 10 00"]
        assert r.furby.antenna == (255, 16, 0)
        await r.client.set_antenna(0, 0, 0)
        await asyncio.sleep(0.1)
        assert r.furby.antenna == (0, 0, 0)


@RADIOS
@virtual_time
async def test_set_eyes_waits_for_the_toys_answer(radio: RadioModel) -> None:
    """set_eyes returns once the toy confirmed with 20 17 or 20 18."""
    async with rig(radio=radio) as r:
        states = []
        for on in (False, True):
            await r.client.set_eyes(on)  # returns once the toy's answer is in
            states.append(r.furby.eyes_on)
        assert states == [False, True]
        assert FurbyMessage(code=FurbyMessageCode.EYES_OFF, raw=b"\x20\x18") in r.seen
        assert FurbyMessage(code=FurbyMessageCode.EYES_ON, raw=b"\x20\x17") in r.seen
        assert r.gp_hex() == ["cd 00", "cd 01"]


@virtual_time
async def test_cycle_debug_screen() -> None:
    """Each cycle_debug_screen sends db and moves the toy's debug screen on."""
    async with rig() as r:
        for _ in range(3):
            await r.client.cycle_debug_screen()
        await asyncio.sleep(0.1)
        assert r.gp_hex() == ["db", "db", "db"]
        assert r.furby.debug_screen == 3


@virtual_time
async def test_set_name_renames_then_says_the_name() -> None:
    """set_name sends 21 NN, then the input-33 action that says the name."""
    async with rig() as r:
        await r.client.set_name(128)
        await asyncio.sleep(0.1)
        assert r.gp_hex() == ["21 80", "13 00 21 00 00 80"]
        assert r.furby.name_id == 128
        assert r.furby.played_actions == [(33, 0, 0, 128)]


@pytest.mark.parametrize(
    ("kwargs", "written", "tiredness"),
    [
        ({}, "23 01 02 50", 80),
        ({"add": True}, "23 00 02 50", 100),
        ({"opcode": MoodOpcode.SET_MOOD_24}, "24 01 02 50", 80),
    ],
)
@virtual_time
async def test_set_mood(kwargs: dict[str, Any], written: str, tiredness: int) -> None:
    """set_mood sets or raises a meter with the chosen opcode; the toy clamps to 0-100."""
    async with rig() as r:
        r.furby.moods[MoodMeter.TIREDNESS] = 30
        await r.client.set_mood(MoodMeter.TIREDNESS, 80, **kwargs)
        await asyncio.sleep(0.1)
        assert r.gp_hex() == [written]
        assert r.furby.moods[MoodMeter.TIREDNESS] == tiredness


@virtual_time
async def test_sensor_stream_starts_and_stops() -> None:
    """20 0d starts a stream of sensor packets and 20 0e stops it."""
    async with rig() as r:
        streaming = []
        await r.client.start_sensor_stream()
        await asyncio.sleep(1.0)
        streaming.append(r.furby.streaming)
        streamed = [n for n in r.seen if isinstance(n, SensorState)]
        assert len(streamed) >= 5  # one snapshot after subscribing, then every 0.1 s
        await r.client.stop_sensor_stream()
        await asyncio.sleep(0.1)
        streaming.append(r.furby.streaming)
        assert streaming == [True, False]
        count = len([n for n in r.seen if isinstance(n, SensorState)])
        await asyncio.sleep(1.0)
        assert len([n for n in r.seen if isinstance(n, SensorState)]) == count
        assert r.gp_hex() == ["20 0d", "20 0e"]


# --------------------------------------------------------------------------------- queries


@RADIOS
@virtual_time
async def test_queries_return_the_toys_answers(radio: RadioModel) -> None:
    """Each query returns the toy's answer to exactly the bytes it wrote."""
    async with rig(radio=radio) as r:
        r.furby.language = 3
        assert await r.client.get_firmware_version() == 4
        assert await r.client.get_language() == 3
        assert await r.client.get_nordic_firmware_version() == bytes.fromhex("19000000")
        assert await r.client.get_power_report() == 0
        assert await r.client.comm_test(0xA5, 0x00) is True
        assert r.writes_since() == [
            (GP, "fe"),
            (GP, "20 0f"),
            (NORDIC, "01"),
            (NORDIC, "03"),
            (NORDIC, "04 a5 00"),
        ]


@virtual_time
async def test_set_packet_acks() -> None:
    """set_packet_acks writes 09 01 00 / 09 00 00 and the toy switches its acks."""
    async with rig() as r:
        acks = []
        for enabled in (True, False):
            await r.client.set_packet_acks(enabled)
            await asyncio.sleep(0.1)
            acks.append(r.furby.packet_acks)
        assert acks == [True, False]
        assert r.writes_since() == [(NORDIC, "09 01 00"), (NORDIC, "09 00 00")]


@virtual_time
async def test_slot_commands() -> None:
    """Slot queries decode 72/73 replies; load, activate, deactivate and delete wait for theirs."""
    async with rig() as r:
        content = bytes(range(256)) * 40
        r.furby.slots.install(13, "TU002949.DLC", content)
        r.furby.slots.install(4, "CHILLI__.DLC", b"x" * 100, active=True)

        slots = await r.client.get_slots()
        assert (slots.filled, slots.active) == ({4, 13}, {4})
        info = await r.client.get_slot_info(13)
        assert (info.slot, info.name, info.length) == (13, "TU002949", len(content))
        assert info.adler32 == zlib.adler32(content)

        assert isinstance(await r.client.deactivate_slot(4), DlcReport)
        assert isinstance(await r.client.load_slot(13), DlcReport)
        assert isinstance(await r.client.activate_slot(), DlcReport)
        assert r.furby.slots.active == {13}
        assert isinstance(await r.client.delete_slot(4), SlotDeleted)
        assert r.furby.slots.filled == {13}
        assert r.gp_hex() == ["72", "73 0d", "62 04", "60 0d", "61", "74 04"]


@virtual_time
async def test_concurrent_slot_queries_each_get_their_own_slot() -> None:
    """Concurrent 73 queries each get the reply for their own slot."""
    async with rig() as r:
        for slot in (2, 7, 11):
            r.furby.slots.install(slot, f"SLOT{slot:04d}.DLC", bytes([slot]) * slot)
        infos = await asyncio.gather(*(r.client.get_slot_info(slot) for slot in range(14)))
        assert [info.slot for info in infos] == list(range(14))
        assert {info.slot: info.length for info in infos if info.length} == {2: 2, 7: 7, 11: 11}
        assert infos[7].name == "SLOT0007"


# -------------------------------------------------------------------------- trigger_action


@pytest.mark.parametrize(
    ("fields", "written"),
    [
        ((55,), "10 00 37"),
        ((55, 2), "11 00 37 02"),
        ((55, 2, 14), "12 00 37 02 0e"),
        ((55, 2, 14, 0), "13 00 37 02 0e 00"),
    ],
)
@virtual_time
async def test_trigger_action_plays_the_action(fields: tuple[int, ...], written: str) -> None:
    """trigger_action picks 10-13 by the fields given and the toy plays it."""
    async with rig() as r:
        await r.client.trigger_action(*fields)
        await asyncio.sleep(0.1)
        assert r.gp_hex() == [written]
        assert len(r.furby.played_actions) == 1
        assert r.furby.played_actions[0][: len(fields)] == fields


@virtual_time
async def test_unconfirmed_action_returns_at_once_and_a_refusal_reaches_listeners() -> None:
    """Without confirm the call returns at once; a refusal still reaches the listeners."""
    async with rig() as r:
        loop = asyncio.get_running_loop()
        started = loop.time()
        await r.client.trigger_action(76)  # input out of range (inputs are 1-75)
        assert loop.time() - started < 0.05  # one connection event at most: no reply awaited
        await asyncio.sleep(0.1)
        assert FurbyMessage(code=FurbyMessageCode.INPUT_OUT_OF_RANGE, raw=b"\x20\x0f") in r.seen
        assert r.furby.played_actions == []
        assert r.client.is_running


@RADIOS
@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ((76,), FurbyMessageCode.INPUT_OUT_OF_RANGE),
        ((1, 9), FurbyMessageCode.INDEX_OUT_OF_RANGE),
        ((1, 0, 9), FurbyMessageCode.SUBINDEX_OUT_OF_RANGE),
        ((1, 0, 0, 9), FurbyMessageCode.SPECIFIC_OUT_OF_RANGE),
    ],
)
@virtual_time
async def test_confirmed_action_raises_the_toys_refusal(
    radio: RadioModel, fields: tuple[int, ...], code: FurbyMessageCode
) -> None:
    """With confirm a refusal (20 0f-12) raises FurbyCommandError; the link stays usable."""
    async with rig(radio=radio) as r:
        with pytest.raises(FurbyCommandError, match=code.name.lower().replace("_", " ")) as err:
            await r.client.trigger_action(*fields, confirm=True)
        assert err.value.code == code
        assert r.furby.played_actions == []
        # The link is still usable afterwards.
        await r.client.trigger_action(1, 0, 0, 8, confirm=True)
        assert r.furby.played_actions == [(1, 0, 0, 8)]


@virtual_time
async def test_confirmed_action_accepted_costs_one_round_trip() -> None:
    """A confirmed, accepted action costs one fe round trip, no fixed delay."""
    async with rig() as r:
        loop = asyncio.get_running_loop()
        started = loop.time()
        await r.client.trigger_action(55, 2, 14, 0, confirm=True)
        assert loop.time() - started < 0.1  # a few 15 ms connection events, no fixed delay
        assert r.furby.played_actions == [(55, 2, 14, 0)]
        assert r.gp_hex() == ["13 00 37 02 0e 00", "fe"]


@virtual_time
async def test_confirmed_action_when_the_group_is_not_active() -> None:
    """An action refused with 20 19 (group not active) raises with that code."""
    async with rig() as r:
        await r.client.write(GP, bytes.fromhex("e0 00 00 00 00"))
        with pytest.raises(FurbyCommandError, match="group not active") as err:
            await r.client.trigger_action(55, 2, 14, 0, confirm=True)
        assert err.value.code == FurbyMessageCode.GROUP_NOT_ACTIVE
        await r.client.write(GP, bytes.fromhex("e0 00 00 00 01"))
        await r.client.trigger_action(55, 2, 14, 0, confirm=True)
        assert r.furby.played_actions == [(55, 2, 14, 0)]
