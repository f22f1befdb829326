"""Row 7: the DLC upload, reusing ``scripts/benchmark_upload.py`` (ours next to the naive way).

Per size: the default toy, ours and the naive baseline (whole file read at once, one write every
5 ms, no acks) in the same run; loop stall in wall time and in the loop thread's CPU time (goal:
under 5 ms, at 16 MiB too), garbage collections during the upload, and what the per-packet path
leaves alive for the collector. Then one upload (1 MiB) per ack model on its default-toy cell,
next to the least possible time. ``scripts/benchmark_upload.py`` runs the full 48-cell matrix.
"""

from __future__ import annotations

from typing import Any

from scripts.benchmark_upload import DEFAULT_CELL, MIB, benchmark
from virtual_furby import AckModel
from virtual_furby.profiles import UploadCell

from .table import Row

SECTION = "7 DLC upload"
MAX_DLC_SIZE = (1 << 24) - 1
"""16 MiB - 1: the largest size the announce can state (docs/protocol.md §5.1)."""


def _label(size: int) -> str:
    return f"{size / MIB:.0f} MiB" if size >= MIB else f"{size:,} B"


def measure(sizes: list[int]) -> list[Row]:
    """Rows per size and per ack model."""
    sizes = [min(size, MAX_DLC_SIZE) for size in sizes]
    cells = [
        UploadCell(model, DEFAULT_CELL.intake_name, DEFAULT_CELL.radio_name) for model in AckModel
    ]
    report = benchmark(sizes, with_memory=False, matrix_size=MIB, cells=cells)
    by_key = {(r["implementation"], r["size_bytes"]): r for r in report["results"]}
    rows: list[Row] = []
    for size in sizes:
        ours: dict[str, Any] = by_key[("furby_connect", size)]
        naive: dict[str, Any] = by_key[("naive", size)]
        label = _label(size)
        rows += [
            Row(
                SECTION,
                f"{label}: largest loop stall, loop thread CPU time (goal < 5 ms)",
                ours["max_loop_stall_cpu_ms"],
                naive["max_loop_stall_cpu_ms"],
                "ms",
                note=(
                    f"{ours['loop_iterations_over_5ms']:,} of {ours['loop_iterations']:,} "
                    "iterations over 5 ms wall (ours)"
                ),
                figures={"ours": ours, "naive": naive},
            ),
            Row(
                SECTION,
                f"{label}: largest loop stall, wall time (goal < 5 ms)",
                ours["max_loop_stall_ms"],
                naive["max_loop_stall_ms"],
                "ms",
                note=(
                    f"99.99 % of iterations under {ours['p99_99_loop_stall_ms']:.1f} ms; wall "
                    "time includes the loop thread preempted by other processes"
                ),
            ),
            Row(
                SECTION,
                f"{label}: garbage collections during the upload (longest ms)",
                ours["gc_runs"],
                naive["gc_runs"],
                "runs",
                note=(
                    f"longest {ours['max_gc_pause_ms']:.2f} ms ours, {naive['max_gc_pause_ms']:.2f}"
                    f" ms naive; objects left alive for the collector while streaming "
                    f"{size // 20:,} packets: {ours['tracked_allocations_while_streaming']}"
                ),
            ),
            Row(
                SECTION,
                f"{label}: upload time (radio time, with verify and activate)",
                ours["upload_seconds"],
                naive["upload_seconds"],
                "s",
                note=(
                    f"least possible {ours['theoretical_min_seconds']:.1f} s (x"
                    f"{ours['ratio_to_min']:.4f}); naive has no verify/activate and "
                    f"{'succeeded' if naive['succeeded'] else 'FAILED'}"
                ),
            ),
        ]
    for model in report["ack_models"] or []:
        cell = next(c for c in report["matrix"] if c["ack_model"] == model["ack_model"])
        rows.append(
            Row(
                SECTION,
                f"ack model {model['ack_letter']} ({model['ack_model']}), 1 MiB, default toy: "
                "time vs least possible",
                cell["upload_seconds"],
                cell["theoretical_min_seconds"],
                "s",
                note=(
                    f"{'ok' if model['all_succeeded'] else 'FAILED'}; pauses {model['pauses']}, "
                    f"probes {model['probes']}, lost {model['packets_lost_by_toy']}; stall "
                    f"{cell['max_loop_stall_ms']:.2f} ms wall / {cell['max_loop_stall_cpu_ms']:.2f}"
                    f" ms CPU; GC runs {cell['gc_runs']}; goal within 10 %"
                ),
                figures=cell,
            )
        )
    return rows
