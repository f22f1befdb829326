"""A small host for the simulator's tests, on the real ``bleak.BleakClient`` API.

It is written from docs/protocol.md for these tests only (it is not the integration's client): it
records every notification and can upload a file the way FurBLE does (§5.2).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import bleak
import bleak.exc

from custom_components.furby_connect.protocol import gatt
from virtual_furby.bleak_backend import virtual_bleak_client
from virtual_furby.clock import settle
from virtual_furby.toy import VirtualFurby

CHUNK = 20


@dataclass
class UploadResult:
    """What an upload saw."""

    status: int
    seconds: float
    acks: list[int] = field(default_factory=list)
    overloads: int = 0


class Host:
    """A connected central that records GeneralPlus and Nordic notifications."""

    def __init__(self, furby: VirtualFurby) -> None:
        self.furby = furby
        self.disconnects = 0
        self.client: bleak.BleakClient = virtual_bleak_client(
            furby, disconnected_callback=self._on_disconnect
        )
        self.gp: list[bytes] = []
        self.nordic: list[bytes] = []
        self._gp_event = asyncio.Event()
        self._nordic_event = asyncio.Event()

    def _on_disconnect(self, _client: bleak.BleakClient) -> None:
        self.disconnects += 1

    def on_gp(self, _char: object, data: bytearray) -> None:
        self.gp.append(bytes(data))
        self._gp_event.set()

    def on_nordic(self, _char: object, data: bytearray) -> None:
        self.nordic.append(bytes(data))
        self._nordic_event.set()

    async def connect(self, *, subscribe: bool = True) -> None:
        await self.client.connect()
        if subscribe:
            await self.client.start_notify(gatt.GENERALPLUS_LISTEN, self.on_gp)
            await self.client.start_notify(gatt.NORDIC_LISTEN, self.on_nordic)

    async def send(self, characteristic: str, data: bytes | str, *, response: bool = False) -> None:
        payload = bytes.fromhex(data) if isinstance(data, str) else data
        await self.client.write_gatt_char(characteristic, payload, response=response)

    async def gp_exchange(self, data: bytes | str) -> list[bytes]:
        """Write to GeneralPlusWrite on an instant link; return the notifications it caused."""
        before = len(self.gp)
        await self.send(gatt.GENERALPLUS_WRITE, data)
        await settle()
        return self.gp[before:]

    async def nordic_exchange(self, data: bytes | str) -> list[bytes]:
        """Write to NordicWrite on an instant link; return the notifications it caused."""
        before = len(self.nordic)
        await self.send(gatt.NORDIC_WRITE, data)
        await settle()
        return self.nordic[before:]

    async def wait_gp(self, prefix: bytes, start: int = 0) -> bytes:
        """Wait (on the running loop's time) for a GeneralPlus notification starting ``prefix``."""
        while True:
            for packet in self.gp[start:]:
                if packet.startswith(prefix):
                    return packet
            start = len(self.gp)
            self._gp_event.clear()
            await self._gp_event.wait()


def announce(size: int, filename: str = "TU003410.DLC") -> bytes:
    """The working announce layout of docs/protocol.md §5.1."""
    return b"\x50\x00" + size.to_bytes(3, "big") + b"\x02" + filename.encode() + b"\x00\x00"


async def upload(
    host: Host,
    data: bytes,
    filename: str = "TU003410.DLC",
    *,
    flow_control: bool = True,
    max_buffered: int = 10,
    pause: float = 0.1,
    chunk_delay: float = 0.0,
) -> UploadResult:
    """Upload ``data`` like FurBLE (acks on, pause while ``09 NN`` > 10) and wait for ``24 0x``."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    acks: list[int] = []
    nordic_seen = len(host.nordic)
    await host.send(gatt.NORDIC_WRITE, "090100")
    gp_seen = len(host.gp)
    await host.send(gatt.GENERALPLUS_WRITE, announce(len(data), filename))
    ready = await host.wait_gp(b"\x24", gp_seen)
    if ready != b"\x24\x02":
        return UploadResult(ready[1], loop.time() - start)
    gp_seen = len(host.gp)
    last_ack = 0
    for offset in range(0, len(data), CHUNK):
        for packet in host.nordic[nordic_seen:]:
            if packet[0] == 0x09:
                last_ack = packet[1]
                acks.append(last_ack)
        nordic_seen = len(host.nordic)
        while flow_control and last_ack > max_buffered:
            await asyncio.sleep(pause)
            acks_now = [p[1] for p in host.nordic[nordic_seen:] if p[0] == 0x09]
            nordic_seen = len(host.nordic)
            acks.extend(acks_now)
            if acks_now:
                last_ack = acks_now[-1]
        await host.send(gatt.FILE_WRITE, data[offset : offset + CHUNK])
        if chunk_delay:
            await asyncio.sleep(chunk_delay)
    done = await host.wait_gp(b"\x24", gp_seen)
    await host.send(gatt.NORDIC_WRITE, "090000")
    overloads = sum(1 for p in host.nordic if p == b"\x0a")
    return UploadResult(done[1], loop.time() - start, acks, overloads)


def assert_att_error(error: BaseException, code: int) -> None:
    """Check an ATT error as each bleak version reports it (typed on bleak 3, text on 0.22)."""
    protocol_error = getattr(bleak.exc, "BleakGATTProtocolError", None)
    if protocol_error is not None:
        assert isinstance(error, protocol_error)
        assert error.args[0] == code
    else:
        assert isinstance(error, bleak.exc.BleakError)
        assert f"ATT error 0x{code:02x}" in str(error)


def reread(furby: VirtualFurby) -> VirtualFurby:
    """Return ``furby`` itself: a re-check of its state escapes an earlier assert's narrowing."""
    return furby
