"""The 14-slot DLC store and its commands (docs/protocol.md §4.4, §5.2 step 9)."""

from __future__ import annotations

import zlib

import pytest

from virtual_furby.slots import SLOT_COUNT, SlotState, SlotStore
from virtual_furby.toy import VirtualFurby

from .host import Host, reread


def test_empty_store_replies() -> None:
    """An empty store answers 72 with zero masks and 73 with empty slots."""
    store = SlotStore()
    assert len(store) == SLOT_COUNT == 14
    assert store.slots_reply() == bytes.fromhex("720000000000000000")
    assert store.slot_info_reply(0) == bytes.fromhex("7300") + bytes(15)
    assert store.free_slot() == 13


def test_install_and_masks() -> None:
    """Installed slots show in the filled and active masks of 72."""
    store = SlotStore()
    store.install(0, "TU003410.DLC", b"abc")
    store.install(13, "CHILLI.DLC", b"xyz", active=True)
    store[5].state = SlotState.INCOMPLETE
    assert store.filled == {0, 5, 13}
    assert store.active == {13}
    assert store.slots_reply() == bytes.fromhex("72 0000 2021 0000 2000".replace(" ", ""))
    assert store.free_slot() == 12


def test_slot_info_layout() -> None:
    """73 carries the slot, 8 name bytes, the u24 length and the u32 Adler-32."""
    store = SlotStore()
    data = b"\x00" * 313_690
    store.install(13, "TU002949.DLC", data)
    reply = store.slot_info_reply(13)
    assert len(reply) == 17
    assert reply[:2] == b"\x73\x0d"
    assert reply[2:10] == b"TU002949"
    assert int.from_bytes(reply[10:13], "big") == 313_690
    assert int.from_bytes(reply[13:17], "big") == zlib.adler32(data)


def test_short_names_are_padded() -> None:
    """Names shorter than 8 bytes are NUL-padded in 73."""
    store = SlotStore()
    store.install(2, "A.DLC", b"1")
    assert store.slot_info_reply(2)[2:10] == b"A.DLC\x00\x00\x00"


def test_full_store_has_no_free_slot() -> None:
    """A store with every slot taken has no free slot."""
    store = SlotStore()
    for index in range(SLOT_COUNT):
        store.install(index, f"F{index:07d}.DLC", b"x")
    assert store.free_slot() is None


@pytest.mark.parametrize("index", [-1, 14])
def test_install_rejects_bad_slots(index: int) -> None:
    """Installing outside slots 0-13 is refused."""
    with pytest.raises(ValueError, match="slot must be 0-13"):
        SlotStore().install(index, "X.DLC", b"")


def test_install_rejects_oversized_data() -> None:
    """Installing more than 2^24 - 1 bytes is refused."""
    with pytest.raises(ValueError, match="at most 16777215 bytes"):
        SlotStore().install(0, "X.DLC", bytes(2**24))


async def test_load_activate_deactivate_delete(host: Host, toy: VirtualFurby) -> None:
    """60, 61, 62 and 74 load, activate, deactivate and delete, each answered."""
    toy.slots.install(4, "TU003410.DLC", b"data")
    assert [r.hex() for r in await host.gp_exchange("6004")] == ["dc04"]
    assert toy.slots.loaded == 4
    assert [r.hex() for r in await host.gp_exchange("61")] == ["dc04"]
    assert toy.slots[4].state is SlotState.ACTIVE
    assert [r.hex() for r in await host.gp_exchange("72")] == ["720000001000000010"]
    assert [r.hex() for r in await host.gp_exchange("6204")] == ["dc04"]
    assert reread(toy).slots[4].state is SlotState.DOWNLOADED
    assert [r.hex() for r in await host.gp_exchange("7404")] == ["7404"]
    assert reread(toy).slots[4].state is SlotState.EMPTY
    assert reread(toy).slots.loaded is None
    assert [r.hex() for r in await host.gp_exchange("72")] == ["720000000000000000"]


async def test_slot_info_over_the_link(host: Host, toy: VirtualFurby) -> None:
    """73 over the radio returns the slot's details."""
    toy.slots.install(13, "TU002949.DLC", b"chilli")
    (reply,) = await host.gp_exchange("730d")
    assert reply == toy.slots.slot_info_reply(13)
    assert [r.hex() for r in await host.gp_exchange("7320")] == ["7320" + "00" * 15]


async def test_commands_on_empty_or_bad_slots_change_nothing(host: Host, toy: VirtualFurby) -> None:
    """Slot commands on empty or invalid slots are answered but change nothing."""
    assert [r.hex() for r in await host.gp_exchange("6003")] == ["dc03"]
    assert toy.slots.loaded is None
    assert [r.hex() for r in await host.gp_exchange("61")] == ["dcff"]
    assert toy.slots.active == frozenset()
    for command in ("6020", "6220", "7420"):
        await host.gp_exchange(command)
    assert toy.slots.filled == frozenset()
    for short in ("60", "62", "73", "74"):
        assert await host.gp_exchange(short) == []


async def test_activating_an_incomplete_slot_does_nothing(host: Host, toy: VirtualFurby) -> None:
    """A slot stuck at state 1 cannot be loaded or activated."""
    toy.slots[2].state = SlotState.INCOMPLETE
    await host.gp_exchange("6002")
    await host.gp_exchange("61")
    assert toy.slots[2].state is SlotState.INCOMPLETE
    await host.gp_exchange("6202")
    assert toy.slots[2].state is SlotState.INCOMPLETE


async def test_two_slots_can_be_active(host: Host, toy: VirtualFurby) -> None:
    """Two slots can be active at once (72 has an active mask)."""
    toy.slots.install(1, "A.DLC", b"a")
    toy.slots.install(2, "B.DLC", b"b")
    for command in ("6001", "61", "6002", "61"):
        await host.gp_exchange(command)
    assert toy.slots.active == {1, 2}
