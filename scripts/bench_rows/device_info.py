"""Row 1: the six Device Information reads, sequential vs ``asyncio.gather``, on the radio model.

The virtual Furby runs with its realistic radio (``RadioModel()`` defaults: a connection event
every 15 ms, 4 packets per event) on a virtual-time loop, so the figures are link time, exact and
free of machine load. A Device Information read is an ATT request, and a BLE link carries one
outstanding ATT request at a time (docs/simulator.md "Radio model"): gathering six reads queues
them behind each other, so it cannot beat reading them one by one. That is reported as measured.
The cached case (no read at all after the first contact) is measured in a running Home Assistant
by ``tests/integration/bench_home_assistant.py`` and joined to this row by ``main.py``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from custom_components.furby_connect.protocol.client import FurbyClient
from custom_components.furby_connect.protocol.gatt import DEVICE_INFORMATION_FIELDS
from virtual_furby import LoopClock, RadioModel, VirtualFurby
from virtual_furby.bleak_backend import virtual_bleak_client
from virtual_furby.virtual_time import run_in_virtual_time

from .table import Row

SECTION = "1 device information"


async def _measure() -> dict[str, Any]:
    """Time one read, six sequential reads and the integration's gathered read (link time)."""
    radio = RadioModel()
    furby = VirtualFurby(clock=LoopClock(), radio=radio)
    bleak_client = virtual_bleak_client(furby)
    await bleak_client.connect()
    loop = asyncio.get_running_loop()
    uuids = list(DEVICE_INFORMATION_FIELDS.values())
    try:
        start = loop.time()
        await bleak_client.read_gatt_char(uuids[0])
        one = loop.time() - start
        start = loop.time()
        for uuid in uuids:
            await bleak_client.read_gatt_char(uuid)
        sequential = loop.time() - start
        start = loop.time()
        info = await FurbyClient(bleak_client).read_device_information()
        gathered = loop.time() - start
    finally:
        await bleak_client.disconnect()
    return {
        "connection_interval_ms": radio.connection_interval * 1000,
        "packets_per_event": radio.packets_per_event,
        "one_read_ms": one * 1000,
        "sequential_ms": sequential * 1000,
        "gather_ms": gathered * 1000,
        "reads": len(uuids),
        "all_fields_read": all(
            getattr(info, name) is not None for name in DEVICE_INFORMATION_FIELDS
        ),
    }


def measure(cached: dict[str, Any] | None) -> list[Row]:
    """Rows for the gathered read and (when the HA bench ran) the cached one."""
    figures = run_in_virtual_time(_measure())
    per_request = figures["one_read_ms"]
    rows = [
        Row(
            SECTION,
            "6 reads: asyncio.gather (ours, first contact) vs sequential",
            figures["gather_ms"],
            figures["sequential_ms"],
            "ms link time",
            note=(
                f"radio {figures['connection_interval_ms']:g} ms events x "
                f"{figures['packets_per_event']}; one ATT read = {per_request:g} ms. Gather cannot "
                "beat sequential: the link carries one outstanding ATT request at a time"
            ),
            figures=figures,
        )
    ]
    if cached is not None:
        rows.append(
            Row(
                SECTION,
                "ATT reads on a reconnect after the first contact (cached) vs reading again",
                cached["reads_on_reconnect"],
                cached["reads_first_contact"],
                "reads",
                note=(
                    f"counted at the virtual toy in a running Home Assistant; reading again costs "
                    f"{figures['sequential_ms']:g} ms of link time, the cache 0 ms"
                ),
                figures=cached,
            )
        )
    return rows
