"""FurbyClient's transport: request/reply, timeouts, one writer at a time, keep-alive, listeners.

Runs on virtual time against the virtual Furby over the real bleak API (harness in
``test_client.py``).
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from custom_components.furby_connect.protocol import gatt
from custom_components.furby_connect.protocol.client import FurbyTimeoutError
from custom_components.furby_connect.protocol.notifications import (
    CommTestReply,
    FirmwareVersion,
    ImHere,
    Notification,
    SensorState,
)
from virtual_furby.radio import RadioModel
from virtual_furby.toy import VirtualFurby

from .test_client import GP, NORDIC, RADIOS, rig, virtual_time

NEVER_ANSWERED = b"\x99"
"""An opcode the toy ignores (§3.1 lists no 0x99), so a request for it never gets a reply."""


def is_firmware(notification: Notification) -> bool:
    return isinstance(notification, FirmwareVersion)


def never(_notification: Notification) -> bool:
    return False


# ---------------------------------------------------------------------------- request/reply


@RADIOS
@virtual_time
async def test_request_returns_the_matching_reply(radio: RadioModel) -> None:
    """request() returns the notification its matcher accepts."""
    async with rig(radio=radio) as r:
        reply = await r.client.request(NORDIC, bytes.fromhex("04 12 34"), lambda n: True)
        assert reply == CommTestReply(a=0xED, b=0xCB, raw=bytes.fromhex("04 ed cb"))


@virtual_time
async def test_request_without_reply_times_out() -> None:
    """No reply within the timeout (given or default) is FurbyTimeoutError; the link lives on."""
    async with rig(request_timeout=7.5) as r:
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(FurbyTimeoutError, match="99"):
            await r.client.request(GP, NEVER_ANSWERED, never, timeout=2.0)
        assert 2.0 <= loop.time() - started < 2.05
        # The client's default timeout applies when none is given.
        assert r.client.request_timeout == 7.5
        started = loop.time()
        with pytest.raises(FurbyTimeoutError):
            await r.client.request(GP, NEVER_ANSWERED, is_firmware)
        assert 7.5 <= loop.time() - started < 7.55
        assert r.client.is_running  # a timeout does not break the link


@virtual_time
async def test_each_reply_goes_to_the_oldest_waiter_that_accepts_it() -> None:
    """Two waiters for the same reply get one reply each, oldest first."""
    async with rig() as r:
        with r.client.expect(is_firmware) as first, r.client.expect(is_firmware) as second:
            await r.client.write(GP, b"\xfe")
            assert isinstance(await first, FirmwareVersion)
            await asyncio.sleep(0.1)
            assert not second.done()
            await r.client.write(GP, b"\xfe")
            assert isinstance(await second, FirmwareVersion)


@virtual_time
async def test_a_failing_matcher_is_logged_and_skipped(caplog: pytest.LogCaptureFixture) -> None:
    """A matcher that raises is logged and skipped; the other waiters still get replies."""

    def broken(_notification: Notification) -> bool:
        raise RuntimeError("matcher bug")

    async with rig() as r:
        with r.client.expect(broken) as doomed:
            assert await r.client.get_firmware_version() == 4
            assert not doomed.done()
        assert "Reply matcher failed" in caplog.text


@virtual_time
async def test_concurrent_requests_share_the_link() -> None:
    """Concurrent requests on one link each get their own reply."""
    async with rig() as r:
        firmware, language, healthy = await asyncio.gather(
            r.client.get_firmware_version(),
            r.client.get_language(),
            r.client.comm_test(1, 2),
        )
        assert (firmware, language, healthy) == (4, 0, True)


@virtual_time
async def test_concurrent_writes_arrive_in_call_order() -> None:
    """Concurrent writes reach the toy one at a time, in call order."""
    async with rig() as r:
        await asyncio.gather(*(r.client.set_antenna(i, 0, 0) for i in range(30)))
        await asyncio.sleep(0.2)
        assert r.gp_hex() == [f"14 {i:02x} 00 00" for i in range(30)]


# ---------------------------------------------------------------------------------- keep-alive


def keepalive_times(furby: VirtualFurby) -> list[float]:
    """Toy-clock times at which ``20 06`` reached the toy."""
    return [w.time for w in furby.writes if w.uuid == GP and w.data == b"\x20\x06"]


@virtual_time
async def test_keepalive_is_sent_after_three_idle_seconds() -> None:
    """20 06 goes out after every 3 idle seconds and keeps the toy quiet."""
    async with rig() as r:
        started = asyncio.get_running_loop().time()
        await asyncio.sleep(10.0)
        times = keepalive_times(r.furby)
        assert len(times) == 3
        offsets = [t - started for t in times]
        for expected, offset in zip((3.0, 6.0, 9.0), offsets, strict=True):
            assert expected <= offset < expected + 0.1
        assert sum(1 for n in r.seen if isinstance(n, ImHere)) == 3
        assert r.furby.quiet  # the toy stays in quiet app mode (§8)


@virtual_time
async def test_custom_keepalive_interval() -> None:
    """The keep-alive interval can be set per client."""
    async with rig(keepalive_interval=1.0) as r:
        await asyncio.sleep(5.5)
        assert len(keepalive_times(r.furby)) == 5


@virtual_time
async def test_no_keepalive_while_writes_keep_the_link_busy() -> None:
    """Writes postpone the keep-alive; it comes 3 s after the last one."""
    async with rig() as r:
        for i in range(10):
            await r.client.set_antenna(i, i, i)
            await asyncio.sleep(1.0)
        assert keepalive_times(r.furby) == []
        last_write = r.furby.writes[-1].time
        await asyncio.sleep(3.5)
        times = keepalive_times(r.furby)
        assert len(times) == 1
        assert 3.0 <= times[0] - last_write < 3.1


@virtual_time
async def test_no_keepalive_while_paused_and_nested_pauses() -> None:
    """No keep-alive while paused (nested too); it resumes 3 s after the outer pause."""
    async with rig() as r:
        loop = asyncio.get_running_loop()
        async with r.client.keepalive_paused():
            await asyncio.sleep(5.0)
            async with r.client.keepalive_paused():
                await r.client.set_antenna(1, 2, 3)  # writes still work while paused
                await asyncio.sleep(5.0)
            await asyncio.sleep(6.0)  # the inner exit must not resume it
            assert keepalive_times(r.furby) == []
            assert not r.furby.quiet  # 11 s without GeneralPlus traffic: the toy woke up (§8)
            resumed = loop.time()
        await asyncio.sleep(3.5)
        times = keepalive_times(r.furby)
        assert len(times) == 1
        assert 3.0 <= times[0] - resumed < 3.1
        assert r.furby.quiet


@virtual_time
async def test_keepalive_pause_survives_an_exception() -> None:
    """A pause block left by an exception still lets the keep-alive resume."""
    async with rig() as r:
        with pytest.raises(RuntimeError):
            async with r.client.keepalive_paused():
                raise RuntimeError("transfer failed")
        await asyncio.sleep(3.5)
        assert len(keepalive_times(r.furby)) == 1


@virtual_time
async def test_keepalive_stops_when_the_write_fails_and_comes_back() -> None:
    """Failing keep-alive writes are skipped quietly and resume when writes work again."""
    async with rig() as r:
        r.furby.faults.gatt_error(GP, ops={"write"})
        await asyncio.sleep(7.0)  # two failed attempts, logged at debug level only
        assert keepalive_times(r.furby) == []
        r.furby.faults.clear_gatt_errors()
        await asyncio.sleep(3.1)
        assert len(keepalive_times(r.furby)) == 1
        assert r.client.is_running


# ---------------------------------------------------------------------------------- listeners


@virtual_time
async def test_listeners_get_every_notification_and_a_raising_one_is_isolated(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every listener gets every notification; a raising one is logged and isolated."""
    async with rig() as r:
        first: list[Notification] = []
        last: list[Notification] = []

        def explode(_notification: Notification) -> None:
            raise RuntimeError("listener bug")

        remove_first = r.client.add_listener(first.append)
        r.client.add_listener(explode)
        r.client.add_listener(last.append)
        with caplog.at_level(logging.ERROR):
            assert await r.client.get_firmware_version() == 4
            assert await r.client.comm_test(0x0F, 0xF0)
            r.furby.interact("tickle_tummy")
            await asyncio.sleep(1.0)
        for received in (first, last):
            kinds = [type(n).__name__ for n in received]
            assert kinds == [
                "FirmwareVersion",
                "CommTestReply",
                "SensorState",
                "SensorState",
            ]
        tickles = [n for n in last if isinstance(n, SensorState)]
        assert [n.active for n in tickles] == [{"tickle_tummy"}, set()]
        assert caplog.text.count("listener") >= 4
        assert "listener bug" in caplog.text

        remove_first()
        remove_first()  # removing twice is harmless
        await r.client.get_firmware_version()
        assert len(first) == 4
        assert len(last) == 5


# ---------------------------------------------------------------------------------- wire trace


@virtual_time
async def test_trace_listener_sees_every_write_and_notification() -> None:
    """The wire trace gets each write (FileWrite too) as tx and each notification as rx, raw."""
    async with rig() as r:
        trace: list[tuple[str, str, bytes]] = []
        remove = r.client.add_trace_listener(lambda *packet: trace.append(packet))
        assert await r.client.get_firmware_version() == 4
        await r.client.set_packet_acks(True)
        await r.client.write(gatt.FILE_WRITE, b"\x01\x02")  # no upload announced: ignored
        assert await r.client.comm_test(1, 2)
        assert trace == [
            ("tx", gatt.GENERALPLUS_WRITE, b"\xfe"),
            ("rx", gatt.GENERALPLUS_LISTEN, b"\xfe\x04"),
            ("tx", gatt.NORDIC_WRITE, b"\x09\x01\x00"),
            ("tx", gatt.FILE_WRITE, b"\x01\x02"),
            ("tx", gatt.NORDIC_WRITE, b"\x04\x01\x02"),
            ("rx", gatt.NORDIC_LISTEN, b"\x04\xfe\xfd"),
        ]
        assert all(type(data) is bytes for _, _, data in trace)
        remove()
        remove()  # removing twice is harmless
        await r.client.get_firmware_version()
        assert len(trace) == 6


@virtual_time
async def test_a_raising_trace_listener_is_logged_and_isolated(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A trace listener that raises breaks neither the write, the reply nor the other listeners."""
    async with rig() as r:
        seen: list[str] = []

        def explode(_direction: str, _uuid: str, _data: bytes) -> None:
            raise RuntimeError("trace bug")

        r.client.add_trace_listener(explode)
        r.client.add_trace_listener(lambda direction, _uuid, _data: seen.append(direction))
        with caplog.at_level(logging.ERROR):
            assert await r.client.get_firmware_version() == 4
        assert seen == ["tx", "rx"]
        failures = [r for r in caplog.records if "trace listener" in r.getMessage()]
        assert len(failures) == 2
