"""Radio timing under a ManualClock: connection events, pacing, ATT serialisation, latency."""

from __future__ import annotations

import asyncio
import math

import pytest
from bleak.exc import BleakError

from custom_components.furby_connect.protocol import gatt
from virtual_furby.clock import ManualClock
from virtual_furby.intake import IntakeModel
from virtual_furby.link import LinkModel
from virtual_furby.profiles import min_upload_seconds
from virtual_furby.radio import RadioModel
from virtual_furby.toy import VirtualFurby

from .host import Host

# 10 ms connection events carrying 2 packets each; 50 ms to connect.
RADIO = RadioModel(connection_interval=0.01, packets_per_event=2, connect_seconds=0.05)


async def _connected(clock: ManualClock, radio: RadioModel = RADIO) -> tuple[VirtualFurby, Host]:
    toy = VirtualFurby(clock=clock, radio=radio)
    host = Host(toy)
    task = asyncio.create_task(host.connect(subscribe=False))
    await clock.advance(0)
    assert not task.done()
    await clock.advance(0.05)
    await task
    assert clock.now() == pytest.approx(0.05)
    return toy, host


async def test_connecting_takes_the_modelled_time(clock: ManualClock) -> None:
    """Connecting takes connect_seconds of toy time."""
    toy, host = await _connected(clock)
    assert toy.is_connected
    assert host.client.is_connected
    toy.close()


async def test_writes_without_response_are_paced_by_connection_events(clock: ManualClock) -> None:
    """Writes leave two per event; a writer runs one event ahead of the radio."""
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
    """ATT requests go one at a time: out in one event, back in the next."""
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
    """A write with response reaches the toy in one event and returns a later one."""
    toy, host = await _connected(clock)
    task = asyncio.create_task(host.send(gatt.GENERALPLUS_WRITE, "14010203", response=True))
    await clock.advance(0)
    assert toy.antenna == (1, 2, 3)  # delivered in the first event...
    assert not task.done()  # ...but acknowledged one event later
    await clock.advance(0.01)
    await task
    toy.close()


async def test_a_reply_arrives_one_event_after_the_command(clock: ManualClock) -> None:
    """A reply leaves one connection event after the command that caused it."""
    toy, host = await _connected(clock)
    subscribe = asyncio.create_task(host.client.start_notify(gatt.GENERALPLUS_LISTEN, host.on_gp))
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
    """A drop fails a writer waiting for the radio and leaves no timer."""
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
    """slow_link(3) stretches the connection interval three times."""
    toy, host = await _connected(clock)
    toy.faults.slow_link(3)
    task = asyncio.create_task(host.client.read_gatt_char(gatt.MODEL_NUMBER))
    await clock.run_until_idle()
    await task
    # Events now fall on a 30 ms grid from the connection request: 60 ms out, 90 ms back.
    assert clock.now() == pytest.approx(0.09)
    toy.close()


async def test_lossy_link_costs_retransmissions(clock: ManualClock) -> None:
    """Packets lost on air cost slots, not data: all arrive, later."""
    toy, host = await _connected(clock)
    toy.faults.lossy_link(0.5, seed=1)

    async def writer() -> None:
        for _ in range(20):
            await host.send(gatt.FILE_WRITE, b"x")

    task = asyncio.create_task(writer())
    await clock.run_until_idle()
    await task
    radio = toy.session.radio if toy.session is not None else None
    assert radio is not None
    assert radio.lost_packets > 0
    assert len(toy.writes) == 20  # nothing is lost for good: BLE resends
    last = toy.writes[-1].time - 0.05
    assert last == pytest.approx(0.01 * math.ceil((20 + radio.lost_packets) / 2 - 1))
    toy.close()


def test_defaults_give_four_kilobytes_a_second() -> None:
    """The default radio carries ~267 packets/s; the default toy's 200/s sets the minimum."""
    radio, intake = RadioModel(), IntakeModel()
    assert radio.packets_per_second == pytest.approx(4 / 0.015)
    assert min_upload_seconds(radio, intake, 1_129_942) == pytest.approx(56_498 / 200)
    assert 240 < min_upload_seconds(radio, intake, 1_129_942) < 300  # "3-5 minutes"


def test_minimum_when_the_radio_is_the_bottleneck() -> None:
    """A toy faster than the radio leaves the connection events as the bound."""
    radio, intake = RadioModel(), IntakeModel(packets_per_second=1000)
    assert min_upload_seconds(radio, intake, 1_129_942) == pytest.approx(14_124 * 0.015)
    assert min_upload_seconds(radio, intake, 0) == 0.0
    assert min_upload_seconds(radio, intake, 20) == pytest.approx(1 / 1000)


def test_instant_radio() -> None:
    """An instant radio adds no time; only the toy's own pace remains."""
    radio = RadioModel.instant()
    assert radio.is_instant
    assert radio.packets_per_second == math.inf
    assert min_upload_seconds(radio, IntakeModel.instant(), 1_000_000) == 0.0
    assert min_upload_seconds(radio, IntakeModel(packets_per_second=10), 200) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"connection_interval": -1}, "connection_interval"),
        ({"connection_interval": math.inf}, "connection_interval"),
        ({"packets_per_event": 0}, "packets_per_event"),
        ({"connect_seconds": -0.1}, "connect_seconds"),
    ],
)
def test_bad_radio_parameters_are_refused(kwargs: dict[str, float], message: str) -> None:
    """Nonsense radio parameters raise a ValueError naming the field."""
    with pytest.raises(ValueError, match=message):
        RadioModel(**kwargs)  # type: ignore[arg-type]


def test_negative_sizes_are_refused() -> None:
    """A negative file size has no minimum."""
    with pytest.raises(ValueError, match="nbytes"):
        min_upload_seconds(RadioModel(), IntakeModel(), -1)


def test_combined_link_model_still_maps_to_radio_and_intake() -> None:
    """The earlier combined ``LinkModel`` is split into a radio and an intake, field by field."""
    link = LinkModel(
        connection_interval=0.02,
        packets_per_event=3,
        file_packets_per_second=150,
        toy_buffer_packets=16,
        connect_seconds=0.2,
    )
    assert link.radio == RadioModel(
        connection_interval=0.02, packets_per_event=3, connect_seconds=0.2
    )
    assert link.intake == IntakeModel(packets_per_second=150, buffer_packets=16)
    assert LinkModel.from_parts(link.radio, link.intake) == link
    assert link.theoretical_min_seconds(3_000) == pytest.approx(150 / 150)
    assert LinkModel.instant().is_instant
    assert LinkModel().link_packets_per_second == pytest.approx(4 / 0.015)
    toy = VirtualFurby(link=link)
    assert (toy.radio, toy.intake, toy.link_model) == (link.radio, link.intake, link)
    toy.link_model = LinkModel()
    assert (toy.radio, toy.intake) == (RadioModel(), IntakeModel())
    with pytest.raises(ValueError, match="buffer_packets"):
        LinkModel(toy_buffer_packets=0)
    with pytest.raises(ValueError, match="nbytes"):
        link.theoretical_min_seconds(-1)
