#!/usr/bin/env bash
# ruff: noqa: E402
""":" Benchmark the DLC upload against the virtual Furby, next to a naive baseline.

set -euo pipefail
source "$(dirname "$0")/lib.sh"
"$REPO/scripts/setup" ha2025.4 >&2
exec env FURBY_BENCHMARK_ENV=1 "$(venv_dir ha2025.4)/bin/python" "$0" "$@"

The four lines above are a bash preamble: bash reads the opening line of this docstring as the
no-op ``:`` and runs them, building the project's environment if needed and running this file with
its Python (3.13); Python reads them as part of this docstring. Started with another Python
(``python3 scripts/benchmark_upload.py``) the file hands itself to bash the same way. Everything
below parses on Python 3.8 and later.

Part 1, the default toy. For each size (default 1 MiB and 16 MiB synthetic DLC files, written to a
temporary folder with ``tests/protocol/dlc_factory.py``) two uploads run against a fresh virtual
Furby with the default radio and intake (docs/simulator.md):

- ``furby_connect``: the integration's pipeline: the file is validated with ``protocol.dlc``
  and streamed by ``protocol.transfer.upload_dlc`` from 64 KiB aiofiles reads, 5 ms apart and
  flow-controlled by the toy's acks, then verified (``72``/``73``) and activated;
- ``naive``: what the older clients do: the whole file read at once, one 20-byte write every
  5 ms (bluefluff's pacing, PyFluff's sleep), no packet acks, no flow control.

Part 2, the ack models: ``furby_connect`` uploads the same 1 MiB file (``--matrix-size``) in every
cell of the matrix (ack models a-d x four intakes x three radios, ``virtual_furby.profiles``), and
one row per ack model sums its twelve cells up.

Everything runs on ``virtual_furby.virtual_time``, so minutes of link time take seconds. Figures:

- ``upload_seconds`` (virtual, from the first command to the end: for ``furby_connect`` that
  includes the slot queries, the 1 s wait for a late ``24 06``, verification and activation) and
  its ratio to ``profiles.min_upload_seconds`` (goal: within 10 %): the larger of what the radio
  can carry and what the toy can process (its pace plus its flash pauses); ``stream_seconds`` is
  the first to the last FileWrite;
- ``max_loop_stall_ms``: the longest real time one event-loop iteration spent running callbacks
  (the time the loop waits in ``select`` for executor jobs is left out; goal: under 5 ms); on a
  busy machine this includes the loop thread being preempted, so ``max_loop_stall_cpu_ms`` gives
  the same in the loop thread's CPU time, ``p99_99_loop_stall_ms`` and
  ``loop_iterations_over_5ms`` show how rare the long ones are, and ``max_gc_pause_ms`` is the
  longest garbage collection meanwhile (it stops the loop thread whoever made the garbage; what
  earlier runs of the same process left is collected before each measurement);
- ``peak_memory_added_bytes`` (tracemalloc, a separate pass on the largest size, so tracing
  does not distort the stall figures; goal: under 2 MB). It counts every allocation made while
  the upload runs, the simulator's bounded log of the last 10 000 writes included, whose size
  is given as ``simulator_write_log_bytes``;
- per ack model: ``pauses``, ``probes`` and ``packets_lost_by_toy`` summed over its cells, the
  worst ratio and whether every cell succeeded.

Usage: scripts/benchmark_upload.py [--json] [--sizes 1048576,16777216] [--no-memory]
                                   [--matrix-size BYTES] [--no-matrix] [--cells]
"""

from __future__ import annotations

import os
import sys

if sys.version_info < (3, 13) and not os.environ.get("FURBY_BENCHMARK_ENV"):
    # Started with another Python (``python3 scripts/benchmark_upload.py``): let bash set up the
    # project's environment and run this file with it (the preamble above).
    os.execv("/usr/bin/env", ["env", "bash", __file__, *sys.argv[1:]])

import argparse
import asyncio
import gc
import json
import tempfile
import time
import tracemalloc
from collections.abc import AsyncGenerator, Callable, Coroutine
from pathlib import Path
from typing import Any, Final

import aiofiles

REPO: Final = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from custom_components.furby_connect.protocol import commands, gatt
from custom_components.furby_connect.protocol.client import FurbyClient
from custom_components.furby_connect.protocol.dlc import DlcValidator
from custom_components.furby_connect.protocol.transfer import (
    TransferProgress,
    UploadPhase,
    upload_dlc,
)
from tests.protocol.dlc_factory import write_dlc
from virtual_furby import AckModel, LoopClock, VirtualFurby
from virtual_furby.bleak_backend import virtual_bleak_client
from virtual_furby.profiles import UploadCell, min_upload_seconds, upload_matrix
from virtual_furby.virtual_time import VirtualTimeEventLoop

MIB: Final = 1024 * 1024
DEFAULT_SIZES: Final = (MIB, 16 * MIB)
READ_CHUNK: Final = 64 * 1024
NAIVE_PACING: Final = 0.005
"""bluefluff's ``setInterval`` and PyFluff's sleep between writes (docs/protocol.md §5.2)."""
RESULT_TIMEOUT: Final = 60.0
HISTOGRAM_BIN: Final = 0.0001
HISTOGRAM_BINS: Final = 1000
"""Loop iterations are counted in 0.1 ms bins up to 100 ms (the last bin takes the rest)."""
FILE_TRANSFER: Final = 0x24
RECEIVED_OK: Final = 0x05
DEFAULT_CELL: Final = UploadCell(AckModel.BACKLOG_AND_DRAIN, "steady_32", "default")
"""The default toy: ack model a, 200 packets/s, 32 buffered, 15 ms events with 4 packets."""


class MeasuredLoop(VirtualTimeEventLoop):
    """The virtual-time loop, timing how long each iteration spends running callbacks.

    ``max_busy`` is real (wall-clock) time, so it also counts the loop thread being preempted by
    other processes or waiting for the GIL; ``max_busy_cpu`` is the loop thread's CPU time, which
    does not. The time spent waiting in ``select`` (for executor jobs) is left out of both.
    """

    def __init__(self) -> None:
        """Wrap the selector so the time spent waiting in ``select`` can be left out."""
        super().__init__()
        self.measuring = False
        self.max_busy = 0.0
        self.max_busy_cpu = 0.0
        self.histogram = [0] * (HISTOGRAM_BINS + 1)  # wall busy time in 0.1 ms bins
        self._selecting = 0.0
        self._selecting_cpu = 0.0
        selector: Any = self._selector  # type: ignore[attr-defined]
        real_select = selector.select

        def timed_select(timeout: float | None = None) -> list[Any]:
            start, start_cpu = time.perf_counter(), time.thread_time()
            try:
                ready: list[Any] = real_select(timeout)
                return ready
            finally:
                self._selecting += time.perf_counter() - start
                self._selecting_cpu += time.thread_time() - start_cpu

        selector.select = timed_select

    def _run_once(self) -> None:
        """Run one iteration and keep the longest time it was busy."""
        self._selecting = self._selecting_cpu = 0.0
        start, start_cpu = time.perf_counter(), time.thread_time()
        getattr(super(), "_run_once")()  # noqa: B009 - private in typeshed
        if self.measuring:
            busy = time.perf_counter() - start - self._selecting
            busy_cpu = time.thread_time() - start_cpu - self._selecting_cpu
            self.max_busy = max(self.max_busy, busy)
            self.max_busy_cpu = max(self.max_busy_cpu, busy_cpu)
            self.histogram[min(int(busy / HISTOGRAM_BIN), HISTOGRAM_BINS)] += 1

    def percentile_ms(self, share: float) -> float:
        """Return the busy time (ms, 0.1 ms steps) that ``share`` of the iterations stayed under."""
        total = sum(self.histogram)
        seen = 0
        for index, count in enumerate(self.histogram):
            seen += count
            if seen >= share * total:
                return (index + 1) * HISTOGRAM_BIN * 1000
        return self.max_busy * 1000  # pragma: no cover - the loop always ends on the last bin


class GcPauses:
    """Time Python's garbage collector while the upload runs (it pauses the loop thread too)."""

    def __init__(self) -> None:
        """Nothing timed yet."""
        self.longest = 0.0
        self.runs = 0
        self.by_generation = [0, 0, 0]
        self._started = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.runs += 1
            self.by_generation[info["generation"]] += 1
            self.longest = max(self.longest, time.perf_counter() - self._started)

    def __enter__(self) -> None:
        """Start timing collections."""
        gc.callbacks.append(self._callback)

    def __exit__(self, *_exc: object) -> None:
        """Stop timing collections."""
        gc.callbacks.remove(self._callback)


Main = Callable[[MeasuredLoop], Coroutine[Any, Any, dict[str, Any]]]


def run_measured(main: Main) -> dict[str, Any]:
    """Run ``main(loop)`` on a fresh measured virtual-time loop."""
    loop = MeasuredLoop()
    with asyncio.Runner(loop_factory=lambda: loop) as runner:
        return runner.run(main(loop))


async def read_chunks(path: Path) -> AsyncGenerator[bytes]:
    """Read the file as the integration does: 64 KiB aiofiles reads, off the event loop."""
    async with aiofiles.open(path, "rb") as file:
        while chunk := await file.read(READ_CHUNK):
            yield chunk


async def ours(path: Path, furby: VirtualFurby) -> dict[str, Any]:
    """Validate and upload ``path`` the way the integration does."""
    validator = DlcValidator()
    async for chunk in read_chunks(path):
        validator.feed(chunk)
    info = validator.finish()
    bleak_client = virtual_bleak_client(furby)
    await bleak_client.connect()
    client = FurbyClient(bleak_client)
    await client.start()
    chunks = read_chunks(path)
    loop = asyncio.get_running_loop()
    stream: dict[str, float] = {}

    def on_progress(progress: TransferProgress) -> None:
        if progress.phase is UploadPhase.TRANSFERRING:
            stream.setdefault("start", loop.time())
            if progress.bytes_sent == info.size:
                stream["end"] = loop.time()

    try:
        result = await upload_dlc(
            client,
            chunks,
            size=info.size,
            adler32=info.adler32,
            filename=commands.dlc_announce_name(path.name, info.adler32),
            on_progress=on_progress,
        )
    finally:
        await chunks.aclose()
        await client.stop()
        await bleak_client.disconnect()
    return {
        "upload_seconds": result.seconds,
        "stream_seconds": stream["end"] - stream["start"],
        "succeeded": True,
        "slot": result.slot,
        "flow_control_pauses": result.pauses,
        "probes": result.probes,
        "acks": result.acks,
        "paced_without_acks": result.paced_without_acks,
        "overloads_reported": result.overloads,
    }


async def naive(path: Path, furby: VirtualFurby) -> dict[str, Any]:
    """Upload ``path`` like bluefluff/PyFluff: whole file in memory, fixed 5 ms pacing."""
    data = path.read_bytes()  # noqa: ASYNC240 - the naive way: whole file, on the event loop
    bleak_client = virtual_bleak_client(furby)
    await bleak_client.connect()
    statuses: asyncio.Queue[int] = asyncio.Queue()

    def on_generalplus(_sender: object, packet: bytearray) -> None:
        if len(packet) >= 2 and packet[0] == FILE_TRANSFER:
            statuses.put_nowait(packet[1])

    await bleak_client.start_notify(gatt.GENERALPLUS_LISTEN, on_generalplus)
    loop = asyncio.get_running_loop()
    start = loop.time()
    announce = commands.announce_dlc(len(data), commands.dlc_filename(path.name))
    await bleak_client.write_gatt_char(gatt.GENERALPLUS_WRITE, announce, response=False)
    ready = await asyncio.wait_for(statuses.get(), RESULT_TIMEOUT)
    outcome = ready
    stream_start = stream_end = loop.time()
    if ready == 0x02:
        for offset in range(0, len(data), gatt.MAX_WRITE_SIZE):
            chunk = data[offset : offset + gatt.MAX_WRITE_SIZE]
            await bleak_client.write_gatt_char(gatt.FILE_WRITE, chunk, response=False)
            stream_end = loop.time()
            await asyncio.sleep(NAIVE_PACING)
        outcome = await asyncio.wait_for(statuses.get(), RESULT_TIMEOUT)
    seconds = loop.time() - start
    await bleak_client.disconnect()
    return {
        "upload_seconds": seconds,
        "stream_seconds": stream_end - stream_start,
        "succeeded": outcome == RECEIVED_OK,
        "final_status": f"24 {outcome:02x}",
    }


Upload = Callable[[Path, VirtualFurby], Coroutine[Any, Any, dict[str, Any]]]


def measure(
    upload: Upload, path: Path, *, memory: bool, cell: UploadCell = DEFAULT_CELL
) -> dict[str, Any]:
    """Run one upload on a fresh toy of ``cell`` and loop; with ``memory`` only that figure."""

    async def main(loop: MeasuredLoop) -> dict[str, Any]:
        furby = VirtualFurby(
            clock=LoopClock(), radio=cell.radio, intake=cell.intake, acks=cell.acks
        )
        size = path.stat().st_size  # noqa: ASYNC240 - before the measurement
        if memory:
            tracemalloc.start()
            baseline = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            try:
                await upload(path, furby)
                peak = tracemalloc.get_traced_memory()[1] - baseline
                return {
                    "peak_memory_added_bytes": peak,
                    "simulator_write_log_bytes": furby.writes.memory_bytes(),
                }
            finally:
                tracemalloc.stop()
        gc.collect()  # the previous run's garbage is not this upload's
        await asyncio.sleep(0)  # ... and the loop iteration that collected it is not measured
        wall = time.perf_counter()
        gc_pauses = GcPauses()
        loop.measuring = True
        with gc_pauses:
            figures = await upload(path, furby)
        loop.measuring = False
        minimum = min_upload_seconds(cell.radio, cell.intake, size)
        return {
            **figures,
            "theoretical_min_seconds": minimum,
            "ratio_to_min": figures["upload_seconds"] / minimum,
            "max_loop_stall_ms": loop.max_busy * 1000,
            "max_loop_stall_cpu_ms": loop.max_busy_cpu * 1000,
            "p99_99_loop_stall_ms": loop.percentile_ms(0.9999),
            "max_gc_pause_ms": gc_pauses.longest * 1000,
            "gc_runs": gc_pauses.runs,
            "gc_runs_by_generation": gc_pauses.by_generation,
            "loop_iterations": sum(loop.histogram),
            "loop_iterations_over_5ms": sum(loop.histogram[int(0.005 / HISTOGRAM_BIN) :]),
            "wall_seconds": time.perf_counter() - wall,
            "packets_lost_by_toy": furby.transfer.lost_packets,
            "flash_writes": furby.transfer.intake.flash_writes,
        }

    return run_measured(main)


def make_file(folder: str, size: int) -> Path:
    """Write a synthetic DLC of ``size`` bytes named like a Hasbro file would not be."""
    path = Path(folder) / f"B{size:07x}.DLC"[-12:]
    write_dlc(path, size, seed=size)
    return path


def benchmark(
    sizes: list[int], *, with_memory: bool, matrix_size: int | None, cells: list[UploadCell]
) -> dict[str, Any]:
    """Run every size with both implementations, the matrix, and memory on the largest size."""
    report: dict[str, Any] = {
        "default_toy": _describe(DEFAULT_CELL),
        "results": [],
        "memory": None,
        "matrix": None,
        "ack_models": None,
    }
    with tempfile.TemporaryDirectory() as folder:
        files = {size: make_file(folder, size) for size in sizes}
        for size in sizes:
            for name, upload in (("furby_connect", ours), ("naive", naive)):
                figures = measure(upload, files[size], memory=False)
                report["results"].append({"implementation": name, "size_bytes": size, **figures})
        if matrix_size is not None:
            path = files.get(matrix_size) or make_file(folder, matrix_size)
            rows = []
            for cell in cells:
                figures = measure(ours, path, memory=False, cell=cell)
                rows.append(
                    {"cell": cell.id, **_describe(cell), "size_bytes": matrix_size, **figures}
                )
            report["matrix"] = rows
            report["ack_models"] = _per_ack_model(rows)
        if with_memory and sizes:
            largest = max(sizes)
            mine = measure(ours, files[largest], memory=True)
            theirs = measure(naive, files[largest], memory=True)
            report["memory"] = {
                "size_bytes": largest,
                "furby_connect_peak_added_bytes": mine["peak_memory_added_bytes"],
                "furby_connect_simulator_write_log_bytes": mine["simulator_write_log_bytes"],
                "naive_peak_added_bytes": theirs["peak_memory_added_bytes"],
                "naive_simulator_write_log_bytes": theirs["simulator_write_log_bytes"],
            }
    report["gain"] = _gains(report)
    return report


def _describe(cell: UploadCell) -> dict[str, Any]:
    radio, intake = cell.radio, cell.intake
    return {
        "ack_model": str(cell.acks),
        "ack_letter": cell.acks.letter,
        "intake": cell.intake_name,
        "radio": cell.radio_name,
        "connection_interval": radio.connection_interval,
        "packets_per_event": radio.packets_per_event,
        "file_packets_per_second": intake.packets_per_second,
        "toy_buffer_packets": intake.buffer_packets,
        "flash_pause": list(intake.flash_pause),
        "when_full": str(intake.when_full),
    }


def _per_ack_model(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per ack model: its default-toy cell and the sums and worst over all its cells."""
    summary = []
    for model in AckModel:
        mine = [row for row in rows if row["ack_model"] == str(model)]
        if not mine:
            continue
        default = next(
            (r for r in mine if (r["intake"], r["radio"]) == ("steady_32", "default")), mine[0]
        )
        worst = max(mine, key=lambda row: row["ratio_to_min"])
        summary.append(
            {
                "ack_model": str(model),
                "ack_letter": model.letter,
                "cells": len(mine),
                "default_cell_upload_seconds": default["upload_seconds"],
                "default_cell_ratio_to_min": default["ratio_to_min"],
                "worst_ratio_to_min": worst["ratio_to_min"],
                "worst_cell": worst["cell"],
                "pauses": sum(row["flow_control_pauses"] for row in mine),
                "probes": sum(row["probes"] for row in mine),
                "packets_lost_by_toy": sum(row["packets_lost_by_toy"] for row in mine),
                "paced_without_acks_cells": sum(row["paced_without_acks"] for row in mine),
                "all_succeeded": all(row["succeeded"] for row in mine),
                "max_loop_stall_ms": max(row["max_loop_stall_ms"] for row in mine),
                "max_loop_stall_cpu_ms": max(row["max_loop_stall_cpu_ms"] for row in mine),
                "max_gc_pause_ms": max(row["max_gc_pause_ms"] for row in mine),
            }
        )
    return summary


def _gains(report: dict[str, Any]) -> dict[str, Any]:
    """Naive figure divided by ours, per size (above 1 = ours is better)."""
    by_key = {(r["implementation"], r["size_bytes"]): r for r in report["results"]}
    gains: dict[str, Any] = {}
    for (name, size), ours_result in by_key.items():
        if name != "furby_connect":
            continue
        baseline = by_key[("naive", size)]
        gains[str(size)] = {
            "time_ratio": baseline["upload_seconds"] / ours_result["upload_seconds"],
            "stall_ratio": baseline["max_loop_stall_ms"] / ours_result["max_loop_stall_ms"],
            "stall_cpu_ratio": baseline["max_loop_stall_cpu_ms"]
            / ours_result["max_loop_stall_cpu_ms"],
        }
    memory = report["memory"]
    if memory:
        gains["memory_ratio"] = (
            memory["naive_peak_added_bytes"] / memory["furby_connect_peak_added_bytes"]
        )
    return gains


def _print_table(report: dict[str, Any], *, cells: bool) -> None:
    print("DLC upload benchmark (virtual Furby, virtual time)")
    print("Default toy (ack model a, 200 packets/s, 32 buffered, 15 ms events x 4 packets):")
    for result in report["results"]:
        print(
            f"  {result['implementation']:>13} {result['size_bytes'] / MIB:5.1f} MiB: "
            f"{result['upload_seconds']:8.1f} s (streaming {result['stream_seconds']:.1f} s; min "
            f"{result['theoretical_min_seconds']:.1f} s, x{result['ratio_to_min']:.3f}), "
            f"max loop stall {result['max_loop_stall_ms']:.2f} ms "
            f"(CPU {result['max_loop_stall_cpu_ms']:.2f} ms, 99.99 % under "
            f"{result['p99_99_loop_stall_ms']:.1f} ms, {result['loop_iterations_over_5ms']} of "
            f"{result['loop_iterations']} iterations over 5 ms; longest GC "
            f"{result['max_gc_pause_ms']:.2f} ms in {result['gc_runs']} runs), "
            f"{'ok' if result['succeeded'] else 'FAILED'}, wall {result['wall_seconds']:.1f} s"
        )
    memory = report["memory"]
    if memory:
        print(
            f"  peak memory added, {memory['size_bytes'] / MIB:.0f} MiB: furby_connect "
            f"{memory['furby_connect_peak_added_bytes'] / MIB:.2f} MiB (the simulator's write log "
            f"{memory['furby_connect_simulator_write_log_bytes'] / MIB:.2f} MiB of it), naive "
            f"{memory['naive_peak_added_bytes'] / MIB:.2f} MiB (write log "
            f"{memory['naive_simulator_write_log_bytes'] / MIB:.2f} MiB)"
        )
    if report["gain"]:
        print(f"  gain (naive / furby_connect): {json.dumps(report['gain'])}")
    if report["ack_models"]:
        size = report["matrix"][0]["size_bytes"]
        print(f"Ack models ({size / MIB:.2f} MiB; each over 4 intakes x 3 radios = 12 cells):")
        print(
            "  model  default toy: time  ratio | worst ratio (cell)            | pauses  probes"
            "  lost  no-ack cells  ok  max stall CPU ms  max GC ms"
        )
        for row in report["ack_models"]:
            print(
                f"  {row['ack_letter']:>5}  {row['default_cell_upload_seconds']:12.1f} s "
                f"{row['default_cell_ratio_to_min']:6.3f} | {row['worst_ratio_to_min']:6.3f} "
                f"({row['worst_cell']:<20}) | {row['pauses']:6d} {row['probes']:7d} "
                f"{row['packets_lost_by_toy']:5d} {row['paced_without_acks_cells']:13d}  "
                f"{'yes' if row['all_succeeded'] else 'NO':<3} "
                f"{row['max_loop_stall_cpu_ms']:16.2f} {row['max_gc_pause_ms']:10.2f}"
            )
    if cells and report["matrix"]:
        print("Cells:")
        for row in report["matrix"]:
            print(
                f"  {row['cell']:<22} {row['upload_seconds']:8.1f} s  min "
                f"{row['theoretical_min_seconds']:8.1f} s  x{row['ratio_to_min']:.3f}  pauses "
                f"{row['flow_control_pauses']:3d}  probes {row['probes']:3d}  lost "
                f"{row['packets_lost_by_toy']}  flash writes {row['flash_writes']}"
            )


def main() -> None:
    """Parse the options, run the benchmark, print the figures."""
    parser = argparse.ArgumentParser(description="Benchmark the DLC upload on the virtual Furby.")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="comma-separated file sizes in bytes (default: 1 MiB and 16 MiB - 1); empty: none",
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument(
        "--matrix-size",
        type=int,
        default=MIB,
        help="file size for the ack-model matrix (default 1 MiB)",
    )
    parser.add_argument("--no-matrix", action="store_true", help="skip the ack-model matrix")
    parser.add_argument("--cells", action="store_true", help="print every matrix cell too")
    parser.add_argument(
        "--only", default="", help="run only the matrix cells whose id contains this text"
    )
    args = parser.parse_args()
    sizes = [min(int(size), commands.MAX_DLC_SIZE) for size in args.sizes.split(",") if size]
    cells = [cell for cell in upload_matrix() if args.only in cell.id]
    report = benchmark(
        sizes,
        with_memory=not args.no_memory,
        matrix_size=None if args.no_matrix else min(args.matrix_size, commands.MAX_DLC_SIZE),
        cells=cells,
    )
    if args.json:
        print(json.dumps(report))
    else:
        _print_table(report, cells=args.cells)


if __name__ == "__main__":
    main()
