"""Sensor packets: the snapshot, interactions and the ``20 0d`` stream (docs/protocol.md §4.5)."""

from __future__ import annotations

import pytest

from virtual_furby.clock import ManualClock, settle
from virtual_furby.sensors import (
    INTERACTION_BITS,
    ORIENTATION_BITS,
    check_interaction,
    check_orientation,
    encode_sensor_packet,
)
from virtual_furby.toy import VirtualFurby

from .host import Host, reread


async def test_snapshot_follows_the_generalplus_subscription(toy: VirtualFurby) -> None:
    """Subscribing to GeneralPlusListen brings one 21 snapshot (bluefluff #7)."""
    host = Host(toy)
    await host.connect()
    await settle()
    assert host.gp == [bytes.fromhex("2100000001000000")]
    toy.close()


async def test_no_snapshot_without_subscription(toy: VirtualFurby) -> None:
    """Without a subscription the toy sends no snapshot."""
    host = Host(toy)
    await host.connect(subscribe=False)
    await settle()
    toy.press("tongue")
    await settle()
    assert host.gp == []
    toy.close()


@pytest.mark.parametrize(
    ("interaction", "packet"),
    [
        ("antenna_left", "2102000001000000"),
        ("antenna_right", "2101000001000000"),
        ("antenna_forward", "2100400001000000"),
        ("antenna_back", "2100800001000000"),
        ("antenna_down", "2100c00001000000"),
        ("tickle_back", "2100010001000000"),
        ("tickle_tummy", "2100020001000000"),
        ("tickle_right", "2100040001000000"),
        ("tickle_left", "2100080001000000"),
        ("tail_pull", "2100100001000000"),
        ("tongue", "2100200001000000"),
    ],
)
async def test_each_interaction_sets_its_bit(
    host: Host, toy: VirtualFurby, interaction: str, packet: str
) -> None:
    """Each interaction sets its bit of the 21 packet (docs/protocol.md §4.5)."""
    toy.press(interaction)
    toy.release(interaction)
    await settle()
    assert [p.hex() for p in host.gp] == [packet, "2100000001000000"]


@pytest.mark.parametrize(
    ("orientation", "byte4"),
    [
        ("upright", 0x01),
        ("upside_down", 0x02),
        ("on_right_side", 0x04),
        ("on_left_side", 0x08),
        ("leaning_back", 0x20),
        ("tilted_right", 0x40),
        ("tilted_left", 0x80),
        (None, 0x00),
    ],
)
async def test_orientation_byte(
    host: Host, toy: VirtualFurby, orientation: str | None, byte4: int
) -> None:
    """Each orientation sets its byte-4 bit; none clears it."""
    toy.set_orientation(orientation)
    await settle()
    assert host.gp == [bytes([0x21, 0, 0, 0, byte4, 0, 0, 0])]


async def test_interact_holds_then_releases(
    host: Host, toy: VirtualFurby, clock: ManualClock
) -> None:
    """interact() presses, then releases after the hold time."""
    toy.interact("tickle_tummy", seconds=2)
    await clock.advance(1.9)
    assert [p.hex() for p in host.gp] == ["2100020001000000"]
    await clock.advance(0.1)
    assert [p.hex() for p in host.gp] == ["2100020001000000", "2100000001000000"]
    assert toy.pressed == set()


async def test_combined_presses(host: Host, toy: VirtualFurby) -> None:
    """Several presses show in one packet and release one by one."""
    toy.press("antenna_left", "tail_pull", "tickle_back")
    await settle()
    assert host.gp == [bytes.fromhex("2102110001000000")]


async def test_tongue_feeds_the_toy(toy: VirtualFurby) -> None:
    """Pushing the tongue adds 5 fullness, up to 100 (§7.4)."""
    toy.moods[3] = 97
    toy.press("tongue")
    toy.press("tongue")  # still held: no second feeding
    assert toy.moods[3] == 100


async def test_stream_sends_packets_until_stopped(
    host: Host, toy: VirtualFurby, clock: ManualClock
) -> None:
    """20 0d streams a packet every 100 ms until 20 0e."""
    await host.gp_exchange("200d")
    assert toy.streaming
    await clock.advance(1.0)
    assert len(host.gp) == 10
    assert set(host.gp) == {bytes.fromhex("2100000001000000")}
    await host.gp_exchange("200e")
    assert not reread(toy).streaming
    await clock.advance(1.0)
    assert len(host.gp) == 10


async def test_stream_stops_on_disconnect(
    host: Host, toy: VirtualFurby, clock: ManualClock
) -> None:
    """A drop stops the stream and its timer."""
    await host.gp_exchange("200d")
    await host.client.disconnect()
    assert not toy.streaming
    assert clock.pending_timers == 0


def test_bad_interaction_and_orientation_names_are_refused(toy: VirtualFurby) -> None:
    """Unknown interaction or orientation names are refused, listing the known ones."""
    with pytest.raises(ValueError, match="unknown interaction 'wiggle'"):
        toy.press("wiggle")
    with pytest.raises(ValueError, match="unknown orientation 'sideways'"):
        toy.set_orientation("sideways")
    with pytest.raises(ValueError, match="known: "):
        check_interaction("")
    with pytest.raises(ValueError, match="unknown orientation"):
        check_orientation("UPRIGHT")


def test_encoder_covers_every_name() -> None:
    """Every interaction and orientation has its bits."""
    everything = encode_sensor_packet(frozenset(INTERACTION_BITS), "tilted_left")
    assert everything == bytes([0x21, 0x03, 0xFF, 0x00, 0x80, 0, 0, 0])
    assert len(ORIENTATION_BITS) == 7
