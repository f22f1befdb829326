"""``scripts/bench``: measured performance side by side with a baseline, in one run.

Runs each row module in turn (each on its own event loop or process), then prints one Markdown
table ("what / ours / baseline / ratio") or, with ``--json``, one object::

    {"machine": {...}, "options": {...}, "rows": [{"section", "what", "ours", "baseline",
     "unit", "ratio", "lower_is_better", "note", "figures"}, ...], "missing": [...]}

``ratio`` is always "how many times better ours is" (baseline / ours for costs), ``"inf"`` when
ours is zero and the baseline is not. ``missing`` names rows that were skipped or failed, with
the reason. Sections: 1 device information, 2 storage, 3 state writes, 4 log websocket, 5 the
card under a log flood, 6 card reconnect spread, 7 DLC upload, 8 setup and start time (README
"Performance").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from .table import Row, markdown_table

SECTIONS = ("1", "2", "3", "4", "5", "6", "7", "8")


def machine() -> dict[str, Any]:
    """Describe the machine the figures come from."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        model = platform.processor()
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "load_average_at_start": [round(value, 2) for value in load],
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line (see README "Performance")."""
    parser = argparse.ArgumentParser(
        prog="scripts/bench", description="Measure ours next to a baseline, in one run."
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--duration",
        type=float,
        default=60.0,
        help="seconds of the log websocket idle and flood measurements (default 60)",
    )
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run (default all: {','.join(SECTIONS)})",
    )
    parser.add_argument(
        "--table-from",
        metavar="FILE",
        help="measure nothing: print the table of a report saved with --json",
    )
    parser.add_argument(
        "--upload-sizes",
        default="1048576,16777216",
        help="DLC sizes in bytes for the upload rows (default 1 MiB and 16 MiB)",
    )
    return parser.parse_args(argv)


def run(args: argparse.Namespace, progress: Callable[[str], None]) -> dict[str, Any]:
    """Run the chosen sections; a section that fails is listed under ``missing``."""
    wanted = {part.strip() for part in args.sections.split(",") if part.strip()}
    rows: list[Row] = []
    missing: list[dict[str, str]] = []
    home_assistant: dict[str, Any] | None = None

    def section(name: str, body: Callable[[], list[Row]]) -> None:
        if not set(name.split(",")) & wanted:
            return
        progress(f"section {name} ...")
        start = time.perf_counter()
        try:
            rows.extend(body())
        except Exception as err:  # one broken row must not hide the others
            traceback.print_exc(file=sys.stderr)
            missing.append({"section": name, "reason": f"{type(err).__name__}: {err}"})
        progress(f"section {name} done in {time.perf_counter() - start:.1f} s")

    if wanted & {"1", "3", "4", "8"}:
        from . import home_assistant as ha_rows  # noqa: PLC0415 - only when needed

        progress("Home Assistant sections (pytest run) ...")
        try:
            home_assistant = ha_rows.run(duration=args.duration)
        except Exception as err:
            traceback.print_exc(file=sys.stderr)
            missing.append({"section": "1,3,4,8", "reason": f"{type(err).__name__}: {err}"})

    def device_info() -> list[Row]:
        from . import device_info as row  # noqa: PLC0415

        return row.measure(home_assistant.get("device_info") if home_assistant else None)

    def storage() -> list[Row]:
        from . import storage as row  # noqa: PLC0415

        return row.measure()

    def from_home_assistant(name: str) -> Callable[[], list[Row]]:
        def rows_of() -> list[Row]:
            from . import home_assistant as ha_rows  # noqa: PLC0415

            if home_assistant is None:
                raise RuntimeError("the Home Assistant run failed (see above)")
            return ha_rows.rows(name, home_assistant, duration=args.duration)

        return rows_of

    def card() -> list[Row]:
        from . import card as row  # noqa: PLC0415

        return row.measure(args.duration)

    def upload() -> list[Row]:
        from . import upload as row  # noqa: PLC0415

        return row.measure([int(size) for size in args.upload_sizes.split(",") if size])

    section("1", device_info)
    section("2", storage)
    section("3", from_home_assistant("3"))
    section("4", from_home_assistant("4"))
    section("5,6", card)
    section("7", upload)
    section("8", from_home_assistant("8"))
    return {
        "machine": machine(),
        "options": {"duration_s": args.duration, "sections": sorted(wanted)},
        "rows": [row.as_json() for row in rows],
        "missing": missing,
        "_rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    """Run, print, and exit non-zero when a section is missing."""
    args = parse_args(argv)
    if args.table_from:
        with open(args.table_from, encoding="utf-8") as saved:
            print_table(json.load(saved))
        return 0

    def progress(message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    report = run(args, progress)
    report.pop("_rows")
    if args.json:
        print(json.dumps(report, default=str))
    else:
        print_table(report)
    return 1 if report["missing"] else 0


def print_table(report: dict[str, Any]) -> None:
    """Print the machine, the table and the missing sections of a report."""
    info = report["machine"]
    print(
        f"Machine: {info['nproc']} CPUs ({info['cpu_model']}), Python {info['python']}, "
        f"load average at start {info['load_average_at_start']}; "
        f"--duration {report['options']['duration_s']:g} s"
    )
    print(markdown_table([Row.from_json(row) for row in report["rows"]]))
    for item in report["missing"]:
        print(f"MISSING section {item['section']}: {item['reason']}")


if __name__ == "__main__":
    sys.exit(main())
