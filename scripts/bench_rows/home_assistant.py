"""Rows 1 (cached), 3 and 8: figures from a running Home Assistant.

``run`` starts one pytest process on ``tests/integration/bench_home_assistant.py`` (Home Assistant
from pytest-homeassistant-custom-component with the virtual Furby, as in the integration tests)
and reads back the JSON its functions wrote; ``rows`` turns one section of it into table rows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from custom_components.furby_connect.const import EXECUTE_CONNECT_TIMEOUT

from .table import Row

REPO = Path(__file__).resolve().parents[2]
BENCH_FILE = "tests/integration/bench_home_assistant.py"
BEFORE_TARGETED_UPDATES = 18
"""State writes per upload tick and per advertisement before targeted updates (README,
"State writes": every one of the 18 entities wrote)."""


def run(*, duration: float) -> dict[str, Any]:
    """Run the Home Assistant benchmarks; return their figures by name."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "figures.json"
        env = {
            **os.environ,
            "FURBY_BENCH_OUT": str(out),
            "FURBY_BENCH_DURATION": str(duration),
        }
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:logging",  # pytest keeping every debug record of a flood would be measured too
            "-o",
            "timeout=0",
            BENCH_FILE,
        ]
        result = subprocess.run(
            command, cwd=REPO, env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            sys.stderr.write(result.stdout[-4000:] + result.stderr[-2000:])
            raise RuntimeError(f"{BENCH_FILE} failed (exit {result.returncode})")
        figures: dict[str, Any] = json.loads(out.read_text())
        return figures


def rows(section: str, figures: dict[str, Any], *, duration: float) -> list[Row]:
    """Table rows of ``section`` ("3", "4" or "8")."""
    if section == "3":
        return _state_writes(figures)
    if section == "8":
        return _setup(figures)
    if section == "4":
        return _log_websocket(figures["log_websocket"], duration)
    raise ValueError(f"no Home Assistant rows for section {section}")


def _state_writes(figures: dict[str, Any]) -> list[Row]:
    upload = figures["state_writes_upload"]
    advert = figures["state_writes_advertisement"]
    entities = upload["entities"]
    return [
        Row(
            "3 state writes",
            "state writes per upload progress tick (all entities enabled)",
            upload["writes_per_tick_max"],
            BEFORE_TARGETED_UPDATES,
            "writes",
            note=(
                f"most over {upload['ticks']} ticks of a 20,000-byte upload, {entities} "
                "entities; baseline: README's count before targeted updates"
            ),
            figures=upload,
        ),
        Row(
            "3 state writes",
            "state writes per advertisement with a new signal strength",
            advert["writes"],
            BEFORE_TARGETED_UPDATES,
            "writes",
            note=f"{entities} entities; baseline: README's count before targeted updates",
            figures=advert,
        ),
        Row(
            "3 state writes",
            "state writes for a whole 20,000-byte upload with activation",
            upload["writes_whole_upload"],
            BEFORE_TARGETED_UPDATES * upload["upload_reports"],
            "writes",
            note=(
                f"{upload['upload_reports']} upload reports; baseline: every report writing all "
                f"{BEFORE_TARGETED_UPDATES} entities"
            ),
        ),
    ]


def _setup(figures: dict[str, Any]) -> list[Row]:
    absent, present = figures["setup_absent"], figures["setup_present"]
    without, with_ = figures["start_without"], figures["start_with"]
    return [
        Row(
            "8 setup and start",
            "config entry setup returns, toy absent vs a setup that waits for the toy",
            absent["setup_returned_ms"],
            present["connected_ms"],
            "ms",
            note=(
                "baseline is a waiting setup's best case (toy present, until connected); with "
                f"the toy absent it would wait the whole connect timeout "
                f"({EXECUTE_CONNECT_TIMEOUT:g} s). In-process Home Assistant (phcc), wall time"
            ),
            figures={"absent": absent, "present": present},
        ),
        Row(
            "8 setup and start",
            "Home Assistant core start with the integration (one Furby) vs without",
            with_["seconds"] * 1000,
            without["seconds"] * 1000,
            "ms",
            note=(
                "in-process (phcc): setup of homeassistant (+ furby_connect with one entry) until "
                "idle; the difference is what the integration adds. Ratio < 1 is its cost"
            ),
            figures={"with": with_, "without": without},
        ),
    ]


def _log_websocket(figures: dict[str, Any], duration: float) -> list[Row]:
    if "unavailable" in figures:
        raise RuntimeError(figures["unavailable"])
    ours_idle, naive_idle = figures["ours_idle"], figures["naive_idle"]
    ours, naive = figures["ours_flood"], figures["naive_flood"]
    subscribers = figures["subscribers"]
    section = "4 log websocket"
    method = (
        "timer handles counted at loop.call_at by the module of their callback (for asyncio.sleep "
        "and timeouts: of the task asking); CPU = process time / wall time of the whole process"
    )
    rows = [
        Row(
            section,
            f"{subscribers} idle subscribers, {duration:g} s: timers scheduled by the log feed",
            ours_idle["timers_by_log_feed"],
            naive_idle["timers_by_baseline"],
            "timers",
            note=(
                f"baseline: a 100 ms poll per subscriber; all of the integration's timers "
                f"meanwhile {ours_idle['timers_by_integration']} (link keep-alive included); "
                f"loop iterations {ours_idle['loop_iterations']} vs "
                f"{naive_idle['loop_iterations']}; {method}"
            ),
            figures=figures,
        ),
        Row(
            section,
            f"{subscribers} idle subscribers, {duration:g} s: CPU share of the process",
            ours_idle["cpu_share"] * 100,
            naive_idle["cpu_share"] * 100,
            "%",
            note="whole in-process Home Assistant (pytest-homeassistant-custom-component)",
        ),
    ]
    for label, key in (
        ("CPU share of the process", "cpu_share"),
        ("peak entries waiting for one subscriber", "peak_queue"),
        ("dropped entries (all subscribers)", "dropped_entries"),
    ):
        scale = 100 if key == "cpu_share" else 1
        rows.append(
            Row(
                section,
                f"flood {figures['entries_per_second']:,}/s to {subscribers} subscribers: {label}",
                ours[key] * scale,
                naive[key] * scale,
                "%" if key == "cpu_share" else "entries",
                note=_flood_note(key, ours, naive),
            )
        )
    rows.append(
        Row(
            section,
            f"flood to {subscribers} subscribers: messages per second per subscriber",
            ours["messages_per_second_per_subscriber"],
            naive["messages_per_second_per_subscriber"],
            "msg/s",
            note=(
                f"ours at most 10/s by design (100 ms batches of up to 200); entries received per "
                f"subscriber {ours['entries_received_per_subscriber']:.0f} of "
                f"{ours['entries_produced']:,} produced (naive "
                f"{naive['entries_received_per_subscriber']:.0f} of "
                f"{naive['entries_produced']:,}); longest lag {ours['max_lag_seconds']:.2f} s vs "
                f"{naive['max_lag_seconds']:.2f} s"
            ),
        )
    )
    return rows


def _flood_note(key: str, ours: dict[str, Any], naive: dict[str, Any]) -> str:
    if key == "cpu_share":
        return (
            f"phase of {ours['seconds']:.1f} s (naive {naive['seconds']:.1f} s: its sends held "
            "the loop past the phase's end); a share capped by what the shared machine gave"
        )
    if key == "peak_queue":
        return (
            "ours: the longest per-subscriber queue (capped at 1,000), sampled each 10 ms; "
            "the naive sender has no queue of its own (Home Assistant's send queue takes it all)"
        )
    return (
        f"ours drops the oldest when a subscriber is 1,000 behind and says so; naive: Home "
        f"Assistant closed {naive['connections_closed_by_home_assistant']} connection(s)"
    )
