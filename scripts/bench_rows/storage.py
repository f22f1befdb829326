"""Row 2: bursts of state updates through the integration's debounced ``Store``.

A minimal Home Assistant (``async_test_home_assistant`` from pytest-homeassistant-custom-component)
with a real configuration folder, so every write is a real file: each burst calls
``FurbyStore.async_schedule_save`` once per update (what the coordinator does on every change),
then waits for the debounce (``SAVE_DELAY``) to pass. Writes are counted at Home Assistant's
``Store._async_write_data`` and bytes are the file's size after each write. The baseline writes
the file once per update (``FurbyStore.async_save`` each time), measured for the smaller bursts;
for 100,000 updates it is the measured bytes per write times 100,000 writes (one write per update
by definition), because 100,000 real file writes would take minutes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
from contextlib import AbstractContextManager
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from pytest_homeassistant_custom_component.common import async_test_home_assistant

from custom_components.furby_connect.const import SAVE_DELAY
from custom_components.furby_connect.models import FurbyState
from custom_components.furby_connect.storage import FurbyStore

from .table import Row

SECTION = "2 storage"
BURSTS = (10, 1_000, 100_000)
MEASURED_BASELINE_LIMIT = 1_000
"""Bursts up to this size are also written once per update for real (the baseline)."""


class _WriteCounter:
    """Count the writes of one storage key and the bytes each left in its file."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.writes = 0
        self.bytes = 0
        self.written = asyncio.Event()

    def install(self) -> AbstractContextManager[Any]:
        """Patch Home Assistant's ``Store._async_write_data`` to count (returns the patcher)."""
        original = Store._async_write_data
        counter = self

        async def counting(store: Store[Any], *args: Any) -> None:
            await original(store, *args)
            if store.key == counter.key:
                counter.writes += 1
                counter.bytes += os.path.getsize(store.path)  # noqa: ASYNC240 - a stat
                counter.written.set()

        return patch.object(Store, "_async_write_data", counting)


async def _settle(hass: HomeAssistant, counter: _WriteCounter) -> None:
    """Wait for the debounced write (real time), then a little longer for any other write."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(SAVE_DELAY + 10):
            await counter.written.wait()
    await asyncio.sleep(SAVE_DELAY + 0.2)
    await hass.async_block_till_done()


async def _measure(folder: str) -> dict[str, Any]:
    results: dict[str, Any] = {}
    async with async_test_home_assistant(config_dir=folder) as hass:
        store = FurbyStore(hass, "bench")
        counter = _WriteCounter(store.key)
        state = FurbyState()
        with counter.install():
            for updates in BURSTS:
                writes, nbytes = counter.writes, counter.bytes
                counter.written.clear()
                cpu = time.process_time()
                for index in range(updates):
                    state.counters["events_received"] = index
                    store.async_schedule_save(state)
                cpu = time.process_time() - cpu
                await _settle(hass, counter)
                ours = {
                    "writes": counter.writes - writes,
                    "bytes": counter.bytes - nbytes,
                    "cpu_ms_scheduling": cpu * 1000,
                }
                baseline: dict[str, Any] = {}
                if updates <= MEASURED_BASELINE_LIMIT:
                    writes, nbytes = counter.writes, counter.bytes
                    for index in range(updates):
                        state.counters["events_received"] = index
                        await store.async_save(state)
                    baseline = {
                        "writes": counter.writes - writes,
                        "bytes": counter.bytes - nbytes,
                        "measured": True,
                    }
                results[str(updates)] = {"ours": ours, "baseline": baseline}
            await hass.async_stop(force=True)
    per_write = results[str(MEASURED_BASELINE_LIMIT)]["baseline"]
    bytes_per_write = per_write["bytes"] / per_write["writes"]
    for updates in BURSTS:
        if not results[str(updates)]["baseline"]:
            results[str(updates)]["baseline"] = {
                "writes": updates,
                "bytes": round(updates * bytes_per_write),
                "measured": False,
            }
    results["save_delay_s"] = SAVE_DELAY
    return results


def measure() -> list[Row]:
    """One row for writes and one for bytes per burst size."""
    with tempfile.TemporaryDirectory() as folder:
        figures = asyncio.run(_measure(folder))
    rows = []
    for updates in BURSTS:
        result = figures[str(updates)]
        ours, baseline = result["ours"], result["baseline"]
        how = "measured" if baseline["measured"] else "measured bytes per write x updates"
        rows.append(
            Row(
                SECTION,
                f"burst of {updates:,} updates: file writes",
                ours["writes"],
                baseline["writes"],
                "writes",
                note=f"debounce {SAVE_DELAY:g} s; baseline one write per update ({how})",
                figures=result,
            )
        )
        rows.append(
            Row(
                SECTION,
                f"burst of {updates:,} updates: bytes written",
                ours["bytes"],
                baseline["bytes"],
                "bytes",
                note=(
                    f"scheduling the {updates:,} saves took {ours['cpu_ms_scheduling']:.1f} ms CPU"
                ),
            )
        )
    return rows
