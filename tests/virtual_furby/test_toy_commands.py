"""The toy's replies to GeneralPlus and Nordic commands (docs/protocol.md §3, §4, §11)."""

from __future__ import annotations

import pytest

from custom_components.furby_connect.protocol import gatt
from virtual_furby.clock import ManualClock, settle
from virtual_furby.intake import IntakeModel
from virtual_furby.radio import RadioModel
from virtual_furby.toy import ToyTiming, VirtualFurby

from .host import Host, reread


@pytest.mark.parametrize(
    ("command", "replies"),
    [
        ("fe", ["fe04"]),
        ("cd00", ["2018"]),
        ("cd01", ["2017"]),
        ("2006", ["22" + "00" * 18]),
        ("200f", ["2500"]),
        ("2010", ["2600"]),
        ("2001", ["2005", "2001"]),
        ("2002", ["2002", "2004"]),
        ("200a", ["200e"]),
        ("200b", ["200d"]),
        ("200c", ["2308"]),
        ("3101", ["201b"]),
        ("46", ["200d"]),
        ("53", ["53"]),
        ("58", ["58"]),
        ("70", ["56"]),
        ("71", ["57"]),
        ("bc01", ["2015"]),
        ("bc00", ["2016"]),
        ("e1", ["e0"]),
        ("e2", ["201a"]),
        ("e3", ["e0"]),
        ("f0", ["f0"]),
        ("f201", ["f200"]),
        ("00", []),
        ("2099", []),
        ("99", []),
    ],
)
async def test_generalplus_replies(host: Host, command: str, replies: list[str]) -> None:
    """Each GeneralPlus command gets the replies of docs/protocol.md §3.1/§3.2."""
    assert [r.hex() for r in await host.gp_exchange(command)] == replies


@pytest.mark.parametrize(
    ("command", "replies"),
    [
        ("01", ["0119000000"]),
        ("03", ["0300"]),
        ("04a55a", ["045aa5"]),
        ("0400ff", ["04ff00"]),
        ("06", ["0600000000"]),
        ("08", ["08"]),
        ("0e", ["0e0c00"]),
        ("0401", []),
        ("ff", []),
    ],
)
async def test_nordic_replies(host: Host, command: str, replies: list[str]) -> None:
    """Each Nordic command gets the reply of §3.3."""
    assert [r.hex() for r in await host.nordic_exchange(command)] == replies


async def test_empty_writes_are_ignored(host: Host, toy: VirtualFurby) -> None:
    """Empty writes are ignored."""
    assert await host.gp_exchange(b"") == []
    assert await host.nordic_exchange(b"") == []
    assert toy.is_connected


async def test_eyes_state_follows_cd(host: Host, toy: VirtualFurby) -> None:
    """cd 00 / cd 01 switch the eyes and are answered."""
    await host.gp_exchange("cd00")
    assert toy.eyes_on is False
    await host.gp_exchange("cd01")
    assert reread(toy).eyes_on is True
    assert await host.gp_exchange("cd") == []


async def test_antenna_colour(host: Host, toy: VirtualFurby) -> None:
    """14 RR GG BB sets the antenna colour silently."""
    assert toy.antenna is None
    assert await host.gp_exchange("14ff8001") == []
    assert reread(toy).antenna == (0xFF, 0x80, 0x01)
    await host.gp_exchange("14ff80")  # too short: ignored
    assert reread(toy).antenna == (0xFF, 0x80, 0x01)


async def test_set_name_then_say_it(host: Host, toy: VirtualFurby) -> None:
    """21 NN names the toy; the input-33 action says the name."""
    await host.gp_exchange("2137")
    await host.gp_exchange("130021000037")
    assert toy.name_id == 0x37
    assert toy.played_actions == [(33, 0, 0, 0x37)]
    assert not toy.glitched


@pytest.mark.parametrize("command", ["2181", "130021000081"])
async def test_name_ids_above_128_make_the_toy_glitch(
    host: Host, toy: VirtualFurby, command: str
) -> None:
    """Name ids above 128 make the toy glitch instead of answering (§7.2)."""
    assert await host.gp_exchange(command) == []
    assert toy.glitched
    assert toy.played_actions == []


@pytest.mark.parametrize("opcode", ["23", "24"])
async def test_both_mood_opcodes_set_and_add(host: Host, toy: VirtualFurby, opcode: str) -> None:
    """Both mood opcodes (23 and 24) set and add."""
    await host.gp_exchange(opcode + "010010")  # set excitedness to 16
    assert toy.moods[0] == 16
    await host.gp_exchange(opcode + "000005")  # add 5
    assert toy.moods[0] == 21
    await host.gp_exchange(opcode + "0000fb")  # add -5 (signed byte)
    assert toy.moods[0] == 16


async def test_mood_values_are_clamped_and_bad_ones_ignored(host: Host, toy: VirtualFurby) -> None:
    """Mood values are clamped to 0-100; malformed mood commands are ignored."""
    await host.gp_exchange("230102c8")  # set tiredness to 200
    assert toy.moods[2] == 100
    await host.gp_exchange("23000280")  # add -128
    assert toy.moods[2] == 0
    before = dict(toy.moods)
    for bad in ("230105", "23010520", "23020120", "2301"):
        await host.gp_exchange(bad)
    assert toy.moods == before


async def test_specific_action_is_played(host: Host, toy: VirtualFurby) -> None:
    """13 00 II XX SS PP plays that action, silently."""
    assert await host.gp_exchange("130037020e00") == []
    assert toy.played_actions == [(55, 2, 14, 0)]


@pytest.mark.parametrize(
    ("command", "error"),
    [
        ("130000000000", "200f"),  # input 0
        ("13004c000000", "200f"),  # input 76
        ("130049000000", "200f"),  # input 73 is empty
        ("130001040000", "2010"),  # input 1 has indexes 0-3
        ("130001000200", "2011"),  # 1/0 has subindexes 0-1
        ("130001000009", "2012"),  # 1/0/0 has specifics 0-8
        ("110001 04".replace(" ", ""), "2010"),
        ("12000100 02".replace(" ", ""), "2011"),
        ("10004d", "200f"),
    ],
)
async def test_out_of_range_actions_are_refused(
    host: Host, toy: VirtualFurby, command: str, error: str
) -> None:
    """Out-of-range actions get 20 0f-20 12 and are not played."""
    assert [r.hex() for r in await host.gp_exchange(command)] == [error]
    assert toy.played_actions == []


async def test_partial_actions_are_completed_at_random_within_range(
    host: Host, toy: VirtualFurby
) -> None:
    """10-12 complete the action at random within the listed ranges."""
    await host.gp_exchange("100001")
    await host.gp_exchange("11000102")
    await host.gp_exchange("1200010201")
    first, second, third = toy.played_actions
    assert first[0] == 1
    assert second[:2] == (1, 2)
    assert third[:3] == (1, 2, 1)
    assert 0 <= third[3] <= 5


async def test_unlisted_input_is_accepted_with_zeros(host: Host, toy: VirtualFurby) -> None:
    """An input the list does not cover is accepted (the list is incomplete)."""
    await host.gp_exchange("10001f")  # input 31 "reactions" is not in the list
    assert toy.played_actions == [(31, 0, 0, 0)]


async def test_truncated_action_is_ignored(host: Host, toy: VirtualFurby) -> None:
    """An action command too short for its opcode is ignored."""
    assert await host.gp_exchange("13003702") == []
    assert toy.played_actions == []


async def test_dlc_input_needs_an_active_slot(host: Host, toy: VirtualFurby) -> None:
    """Input 75 (DLC content) needs an active DLC slot."""
    assert [r.hex() for r in await host.gp_exchange("13004b000404")] == ["200f"]
    toy.slots.install(3, "TU003410.DLC", b"dlc", active=True)
    assert await host.gp_exchange("13004b000404") == []
    assert toy.played_actions == [(75, 0, 4, 4)]


async def test_group_activation(host: Host, toy: VirtualFurby) -> None:
    """e0 00 00 00 00 makes actions fail with 20 19 until e0 ... 01."""
    await host.gp_exchange("e000000000")
    assert [r.hex() for r in await host.gp_exchange("130037020e00")] == ["2019"]
    await host.gp_exchange("e000000001")
    assert await host.gp_exchange("130037020e00") == []
    assert toy.played_actions == [(55, 2, 14, 0)]


async def test_debug_screen_cycles(host: Host, toy: VirtualFurby) -> None:
    """db cycles through the seven debug screens and back."""
    for expected in [1, 2, 3, 4, 5, 6, 7, 0]:
        await host.gp_exchange("db")
        assert toy.debug_screen == expected


async def test_packet_ack_switch(host: Host, toy: VirtualFurby) -> None:
    """09 01 00 and 09 00 00 switch the packet acks."""
    await host.nordic_exchange("090100")
    assert toy.packet_acks
    await host.nordic_exchange("090000")
    assert not toy.packet_acks


@pytest.mark.parametrize(("characteristic", "command"), [("gp", "2005"), ("nordic", "07")])
async def test_disconnect_commands_drop_the_link(
    host: Host, toy: VirtualFurby, characteristic: str, command: str
) -> None:
    """20 05 and Nordic 07 make the toy drop the link."""
    uuid = gatt.GENERALPLUS_WRITE if characteristic == "gp" else gatt.NORDIC_WRITE
    await host.send(uuid, command)
    await settle()
    assert not toy.is_connected
    assert not host.client.is_connected
    assert host.disconnects == 1


async def test_writes_are_recorded(host: Host, toy: VirtualFurby) -> None:
    """Every write is recorded with its characteristic, bytes and time."""
    await host.gp_exchange("fe")
    await host.nordic_exchange("01")
    assert [(w.uuid, w.data) for w in toy.writes][-2:] == [
        (gatt.GENERALPLUS_WRITE, b"\xfe"),
        (gatt.NORDIC_WRITE, b"\x01"),
    ]


async def test_quiet_mode_needs_generalplus_traffic(
    host: Host, toy: VirtualFurby, clock: ManualClock
) -> None:
    """The toy stays quiet while GeneralPlus writes come, and wakes without them (§8)."""
    assert toy.quiet
    await clock.advance(9)
    await host.gp_exchange("2006")
    await clock.advance(9)
    assert toy.quiet
    await clock.advance(1)
    assert not reread(toy).quiet
    await host.gp_exchange("00")
    assert reread(toy).quiet


async def test_quiet_is_false_when_disconnected(toy: VirtualFurby) -> None:
    """A disconnected toy is never quiet."""
    assert not toy.quiet


async def test_custom_timing_is_used(clock: ManualClock) -> None:
    """A toy's own timing (quiet timeout) is used."""
    toy = VirtualFurby(
        clock=clock,
        radio=RadioModel.instant(),
        intake=IntakeModel.instant(),
        timing=ToyTiming(quiet_timeout=2),
    )
    host = Host(toy)
    await host.connect()
    await clock.advance(2)
    assert not toy.quiet
    toy.close()
