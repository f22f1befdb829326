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
"Entities": every one of the 18 entities wrote)."""


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
