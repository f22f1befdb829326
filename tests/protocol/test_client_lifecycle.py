"""FurbyClient's lifecycle: start, stop, disconnects, and what fails once the link is gone.

Runs on virtual time against the virtual Furby over the real bleak API (harness in
``test_client.py``).
"""

from __future__ import annotations

import asyncio

import pytest

from custom_components.furby_connect.protocol import gatt
from custom_components.furby_connect.protocol.client import FurbyClient, FurbyConnectionError
from custom_components.furby_connect.protocol.notifications import (
    FirmwareVersion,
    Notification,
    SensorState,
)
from virtual_furby.bleak_backend import virtual_bleak_client
from virtual_furby.clock import LoopClock
from virtual_furby.toy import VirtualFurby

from .test_client import GP, NORDIC, rig, virtual_time

NEVER_ANSWERED = b"\x99"
"""An opcode the toy ignores (§3.1 lists no 0x99), so a request for it never gets a reply."""


def is_firmware(notification: Notification) -> bool:
    return isinstance(notification, FirmwareVersion)


def never(_notification: Notification) -> bool:
    return False


# -------------------------------------------------------------------------------- disconnects


@virtual_time
async def test_disconnect_during_a_request_fails_it_at_once() -> None:
    """A drop fails every pending request at once, not at its timeout, and every later call."""
    async with rig() as r:
        loop = asyncio.get_running_loop()
        pending = [
            asyncio.create_task(r.client.request(GP, NEVER_ANSWERED, never, timeout=60.0)),
            asyncio.create_task(r.client.request(NORDIC, NEVER_ANSWERED, never, timeout=60.0)),
            asyncio.create_task(r.client.request(GP, NEVER_ANSWERED, is_firmware, timeout=60.0)),
        ]
        await asyncio.sleep(0)
        r.furby.faults.drop_link_at(loop.time() + 1.0)
        started = loop.time()
        results = await asyncio.gather(*pending, return_exceptions=True)
        assert all(isinstance(result, FurbyConnectionError) for result in results), results
        assert loop.time() - started < 1.1  # failed at the drop, not at the 60 s timeout
        assert not r.client.is_running
        with pytest.raises(FurbyConnectionError, match="disconnected"):
            await r.client.set_antenna(1, 2, 3)
        with pytest.raises(FurbyConnectionError):
            await r.client.get_firmware_version()
        with pytest.raises(FurbyConnectionError):
            await r.client.read_device_information()
        assert not [t for t in asyncio.all_tasks() if "keep-alive" in t.get_name()]


@virtual_time
async def test_disconnect_while_a_request_waits_for_the_write_lock() -> None:
    """Requests and writes queued behind the write lock fail when the link drops."""
    async with rig() as r:
        writes = [asyncio.create_task(r.client.set_antenna(i, 0, 0)) for i in range(5)]
        request = asyncio.create_task(r.client.get_firmware_version())
        await asyncio.sleep(0)
        r.furby.drop_connection()
        results = await asyncio.gather(*writes, request, return_exceptions=True)
        assert isinstance(results[-1], FurbyConnectionError)
        assert any(isinstance(result, FurbyConnectionError) for result in results[:-1])


@virtual_time
async def test_a_reply_that_arrived_before_the_drop_is_kept() -> None:
    """A reply that arrived before the drop is still returned."""
    async with rig() as r:
        with r.client.expect(is_firmware) as reply:
            await r.client.write(GP, b"\xfe")
            await asyncio.wait([reply])  # the reply is in; nobody has taken it yet
            r.furby.drop_connection()
            await asyncio.sleep(0.1)
            assert not r.client.is_running
            assert isinstance(await reply, FirmwareVersion)


@virtual_time
async def test_start_fails_on_a_dropped_link() -> None:
    """start() on a dropped link raises FurbyConnectionError."""
    async with rig(start=False) as r:
        r.furby.drop_connection()
        await asyncio.sleep(0.1)
        with pytest.raises(FurbyConnectionError):
            await r.client.start()
        r.client.handle_disconnect()  # idempotent


@virtual_time
async def test_write_error_becomes_a_connection_error() -> None:
    """A GATT write error becomes FurbyConnectionError with the cause kept."""
    async with rig() as r:
        r.furby.faults.gatt_error(GP, ops={"write"})
        with pytest.raises(FurbyConnectionError, match="Writing to the Furby failed") as err:
            await r.client.set_antenna(1, 2, 3)
        assert err.value.__cause__ is not None
        r.furby.faults.clear_gatt_errors()
        await r.client.set_antenna(1, 2, 3)  # a failed write does not close the client
        await asyncio.sleep(0.1)
        assert r.furby.antenna == (1, 2, 3)


# ------------------------------------------------------------------------------ start / stop


@virtual_time
async def test_stop_leaves_no_task_and_fails_pending_requests() -> None:
    """stop() fails pending requests and leaves no task behind."""
    async with rig() as r:
        current = asyncio.current_task()
        assert any("keep-alive" in t.get_name() for t in asyncio.all_tasks() - {current})
        pending = asyncio.create_task(r.client.request(GP, NEVER_ANSWERED, never, timeout=60))
        await asyncio.sleep(0.5)
        await r.client.stop()
        with pytest.raises(FurbyConnectionError, match="stopped"):
            await pending
        assert asyncio.all_tasks() == {current}
        assert not r.client.is_running
        assert r.furby.session is not None
        assert r.furby.session.subscribed == set()  # notifications switched off
        await r.client.stop()  # idempotent
        with pytest.raises(FurbyConnectionError, match="stopped"):
            await r.client.set_antenna(1, 2, 3)
        with pytest.raises(FurbyConnectionError, match="stopped"):
            await r.client.start()


@virtual_time
async def test_stop_after_disconnect_leaves_no_task() -> None:
    """stop() after a drop leaves no task behind."""
    async with rig() as r:
        r.furby.drop_connection()
        await asyncio.sleep(0.1)
        assert not r.client.is_running
        await r.client.stop()
        assert asyncio.all_tasks() == {asyncio.current_task()}


@virtual_time
async def test_stop_is_bounded_on_a_dead_slow_link_and_ignores_late_notifications() -> None:
    """stop() is bounded by the request timeout on a dead-slow link; late packets are ignored."""
    async with rig(request_timeout=1.0) as r:
        r.furby.faults.slow_link(1000)  # 15 s connection events: unsubscribing times out
        loop = asyncio.get_running_loop()
        started = loop.time()
        await r.client.stop()
        assert 2.0 <= loop.time() - started < 2.1  # one request_timeout per subscription
        assert asyncio.all_tasks() == {asyncio.current_task()}
        seen = len(r.seen)
        r.furby.faults.slow_link(1)
        r.furby.interact("tongue")
        await asyncio.sleep(60)
        assert len(r.seen) == seen  # still subscribed at the toy, but the client is closed


@virtual_time
async def test_stop_after_bleak_disconnected_without_telling_the_client() -> None:
    """stop() works when bleak disconnected without calling the callback."""
    toy = VirtualFurby(clock=LoopClock())
    ble = virtual_bleak_client(toy)  # no disconnected_callback wired
    await ble.connect()
    client = FurbyClient(ble)
    await client.start()
    await ble.disconnect()
    assert not client.is_running  # follows bleak's connection state, too
    with pytest.raises(FurbyConnectionError, match="not connected"):
        await client.set_antenna(1, 2, 3)
    await client.stop()
    assert asyncio.all_tasks() == {asyncio.current_task()}
    toy.close()


@virtual_time
async def test_start_subscribes_to_both_listen_characteristics() -> None:
    """start() subscribes to GeneralPlusListen and NordicListen, once."""
    async with rig() as r:
        assert r.client.is_running
        await r.client.start()  # idempotent
        assert r.furby.session is not None
        assert r.furby.session.subscribed == {gatt.GENERALPLUS_LISTEN, gatt.NORDIC_LISTEN}
        assert isinstance(r.seen[0], SensorState)  # the toy's snapshot after subscribing


@virtual_time
async def test_failed_subscription_is_undone() -> None:
    """A failed subscription undoes the one already made and raises."""
    async with rig(start=False) as r:
        r.furby.faults.gatt_error(gatt.NORDIC_LISTEN, ops={"notify"})
        with pytest.raises(FurbyConnectionError, match="Subscribing"):
            await r.client.start()
        assert not r.client.is_running
        assert r.furby.session is not None
        assert r.furby.session.subscribed == set()


@virtual_time
async def test_client_needs_a_connected_started_link() -> None:
    """Writes and requests need a started client on a connected link."""
    toy = VirtualFurby(clock=LoopClock())
    ble = virtual_bleak_client(toy)
    client = FurbyClient(ble)
    with pytest.raises(FurbyConnectionError, match="not connected"):
        await client.start()
    await ble.connect()
    with pytest.raises(FurbyConnectionError, match="not started"):
        await client.set_antenna(1, 2, 3)
    with pytest.raises(FurbyConnectionError, match="not started"):
        await client.get_firmware_version()
    assert list(toy.writes) == []
    await client.stop()
    await ble.disconnect()
    toy.close()
