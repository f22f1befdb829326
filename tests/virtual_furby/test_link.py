"""Link timing under a ManualClock: connection events, pacing, ATT serialisation, latency."""

from __future__ import annotations

import asyncio
import math

import pytest
from bleak.exc import BleakError

from custom_components.furby_connect.protocol import gatt
from virtual_furby.clock import ManualClock
from virtual_furby.link import LinkModel
from virtual_furby.toy import VirtualFurby

from .host import Host

# 10 ms connection events carrying 2 packets each; 50 ms to connect.
LINK = LinkModel(connection_interval=0.01, packets_per_event=2, connect_seconds=0.05)


async def _connected(clock: ManualClock, link: LinkModel = LINK) -> tuple[VirtualFurby, Host]:
    toy = VirtualFurby(clock=clock, link=link)
    host = Host(toy)
    task = asyncio.create_task(host.connect(subscribe=False))
    await clock.advance(0)
    assert not task.done()
    await clock.advance(0.05)
    await task
    assert clock.now() == pytest.approx(0.05)
    return toy, host


async def test_connecting_takes_the_modelled_time(clock: ManualClock) -> None:
    toy, host = await _connected(clock)
    assert toy.is_connected
    assert host.client.is_connected
    toy.close()


async def test_writes_without_response_are_paced_by_connection_events(clock: ManualClock) -> None:
    toy, host = await _connected(clock)
    returned: list[float] = []

    async def writer() -> None:
        for index in range(10):
            await host.send(gatt.FILE_WRITE, bytes([index]))
            returned.append(clock.now())

    task = asyncio.create_task(writer())
    await clock.run_until_idle()
    await task
    arrivals = [round(w.time - 0.05, 6) for w in toy.writes]
    assert arrivals == [0.0, 0.0, 0.01, 0.01, 0.02, 0.02, 0.03, 0.03, 0.04, 0.04]
    assert [w.data[0] for w in toy.writes] == list(range(10))
    # A write returns once its packet is in the next event: the host runs one event ahead.
    assert [round(t - 0.05, 6) for t in returned] == [
        0,
        0,
        0,
        0,
        0.01,
        0.01,
        0.02,
        0.02,
        0.03,
        0.03,
    ]
    toy.close()


async def test_att_requests_queue_behind_each_other(clock: ManualClock) -> None:
    toy, host = await _connected(clock)
    done: list[tuple[str, float]] = []

    async def read(name: str, uuid: str) -> None:
        await host.client.read_gatt_char(uuid)
        done.append((name, round(clock.now() - 0.05, 6)))

    tasks = [
        asyncio.create_task(read("model", gatt.MODEL_NUMBER)),
        asyncio.create_task(read("serial", gatt.SERIAL_NUMBER)),
    ]
    await clock.run_until_idle()
    await asyncio.gather(*tasks)
    # Each request goes out in one event and its response comes back in the next one.
    assert done == [("model", 0.01), ("serial", 0.03)]
    toy.close()


async def test_write_with_response_waits_for_the_round_trip(clock: ManualClock) -> None:
    toy, host = await _connected(clock)
    task = asyncio.create_task(host.send(gatt.GENERALPLUS_WRITE, "14010203", response=True))
    await clock.advance(0)
    assert toy.antenna == (1, 2, 3)  # delivered in the first event...
    assert not task.done()  # ...but acknowledged one event later
    await clock.advance(0.01)
    await task
    toy.close()


async def test_a_reply_arrives_one_event_after_the_command(clock: ManualClock) -> None:
    toy, host = await _connected(clock)
    subscribe = asyncio.create_task(host.client.start_notify(gatt.GENERALPLUS_LISTEN, host._on_gp))
    await clock.run_until_idle()
    await subscribe
    host.gp.clear()
    await host.send(gatt.GENERALPLUS_WRITE, "fe")
    waiter = asyncio.create_task(host.wait_gp(b"\xfe"))
    await clock.run_until_idle()
    assert await waiter == b"\xfe\x04"
    assert clock.now() - toy.writes[-1].time == pytest.approx(0.01)
    toy.close()


async def test_dropped_link_fails_a_waiting_writer(clock: ManualClock) -> None:
    toy, host = await _connected(clock)

    async def writer() -> None:
        for _ in range(10):
            await host.send(gatt.FILE_WRITE, b"x")

    task = asyncio.create_task(writer())
    await clock.advance(0)
    toy.drop_connection()
    with pytest.raises(BleakError, match="link lost"):
        await task
    assert clock.pending_timers == 0


async def test_slow_link_stretches_the_interval(clock: ManualClock) -> None:
    toy, host = await _connected(clock)
    toy.faults.slow_link(3)
    task = asyncio.create_task(host.client.read_gatt_char(gatt.MODEL_NUMBER))
    await clock.run_until_idle()
    await task
    # Events now fall on a 30 ms grid from the connection request: 60 ms out, 90 ms back.
    assert clock.now() == pytest.approx(0.09)
    toy.close()


async def test_lossy_link_costs_retransmissions(clock: ManualClock) -> None:
    toy, host = await _connected(clock)
    toy.faults.lossy_link(0.5, seed=1)

    async def writer() -> None:
        for _ in range(20):
            await host.send(gatt.FILE_WRITE, b"x")

    task = asyncio.create_task(writer())
    await clock.run_until_idle()
    await task
    link = toy.session.link if toy.session is not None else None
    assert link is not None
    assert link.lost_packets > 0
    assert len(toy.writes) == 20  # nothing is lost for good: BLE resends
    last = toy.writes[-1].time - 0.05
    assert last == pytest.approx(0.01 * math.ceil((20 + link.lost_packets) / 2 - 1))
    toy.close()


def test_defaults_give_four_kilobytes_a_second() -> None:
    link = LinkModel()
    assert link.link_packets_per_second == pytest.approx(4 / 0.015)
    assert link.theoretical_min_seconds(1_129_942) == pytest.approx(56_498 / 200)
    assert 240 < link.theoretical_min_seconds(1_129_942) < 300  # "3-5 minutes"


def test_theoretical_minimum_when_the_radio_is_the_bottleneck() -> None:
    link = LinkModel(file_packets_per_second=1000)
    assert link.theoretical_min_seconds(1_129_942) == pytest.approx(14_124 * 0.015)
    assert link.theoretical_min_seconds(0) == 0.0
    assert link.theoretical_min_seconds(20) == pytest.approx(1 / 1000)


def test_instant_link() -> None:
    link = LinkModel.instant()
    assert link.is_instant
    assert link.link_packets_per_second == math.inf
    assert link.theoretical_min_seconds(1_000_000) == 0.0
    assert LinkModel(connection_interval=0, file_packets_per_second=10).theoretical_min_seconds(
        200
    ) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"connection_interval": -1}, "connection_interval"),
        ({"connection_interval": math.inf}, "connection_interval"),
        ({"packets_per_event": 0}, "packets_per_event"),
        ({"file_packets_per_second": 0}, "file_packets_per_second"),
        ({"toy_buffer_packets": 0}, "toy_buffer_packets"),
        ({"connect_seconds": -0.1}, "connect_seconds"),
    ],
)
def test_bad_link_parameters_are_refused(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LinkModel(**kwargs)  # type: ignore[arg-type]


def test_negative_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="nbytes"):
        LinkModel().theoretical_min_seconds(-1)
