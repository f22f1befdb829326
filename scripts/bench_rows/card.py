"""Rows 5 and 6: the card in headless Chromium (``card_bench.mjs``), against the card's mock hass.

Needs Node.js >= 20, the pinned npm packages (``npm ci`` is run when ``node_modules`` does not
match ``package-lock.json``, as ``scripts/test_card`` does) and Chromium (``CHROMIUM`` or
``/usr/bin/chromium``; ``scripts/test_card`` installs Debian's when it is missing).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from .table import Row

REPO = Path(__file__).resolve().parents[2]
SCRIPT = "scripts/bench_rows/card_bench.mjs"
STAMP = REPO / "node_modules" / ".furby-lock-sha256"
LONG_TASK_MS = 50.0
"""The goal: no task in the page over 50 ms (the Long Tasks API's own threshold)."""
FRAME_MS = 1000 / 60
PYFLUFF_RETRY_MS = 2000.0
"""The earlier project's reconnect: every client retries 2 s after the outage, all together."""


def _npm_ci() -> None:
    """Install the pinned npm packages unless the stamp of the lock file says they are there."""
    want = hashlib.sha256((REPO / "package-lock.json").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == want:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is missing (scripts/test_card installs Node.js and npm)")
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=REPO,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    STAMP.write_text(want + "\n")


def _run(duration: float) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is missing (scripts/test_card installs Node.js)")
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        raise RuntimeError(f"no Chromium at {chromium} (scripts/test_card installs it)")
    _npm_ci()
    result = subprocess.run(
        [node, SCRIPT],
        cwd=REPO,
        env={**os.environ, "FURBY_BENCH_DURATION": f"{max(duration, 1):g}"},
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def measure(duration: float) -> list[Row]:
    """Rows for the log under a flood (5) and the reconnect spread of 100 cards (6)."""
    figures = _run(duration)
    flood, spread = figures["flood"], figures["spread"]
    retry = spread["first_retry_ms"]
    mock = "card's mock hass (card/test/page), headless Chromium"
    return [
        Row(
            "5 card under a flood",
            f"longest task, {flood['entries_per_second']:.0f} entries/s for "
            f"{flood['seconds']:.0f} s (goal: none over 50 ms)",
            flood["longest_task_ms"],
            LONG_TASK_MS,
            "ms",
            note=(
                f"{flood['long_tasks']} long task(s) (Long Tasks API); baseline is the goal; {mock}"
            ),
            figures=flood,
        ),
        Row(
            "5 card under a flood",
            "longest frame (requestAnimationFrame delta) vs a 60 Hz frame",
            flood["longest_frame_ms"],
            FRAME_MS,
            "ms",
            note=(
                f"median {flood['median_frame_ms']:.1f} ms, 99th percentile "
                f"{flood['p99_frame_ms']:.1f} ms over {flood['frames']} frames"
            ),
        ),
        Row(
            "5 card under a flood",
            "JS heap after the flood vs at its start (after a forced GC)",
            flood["js_heap_bytes"]["end"],
            flood["js_heap_bytes"]["start"],
            "bytes",
            note=(
                f"DOM rows of the log: {flood['dom_rows']['start']} at the start, "
                f"{flood['dom_rows']['end']} at the end (view of 200 entries)"
            ),
        ),
        Row(
            "6 reconnect spread",
            f"{spread['cards']} cards: spread of the first retry (max - min)",
            retry["max"] - retry["min"],
            0.0,
            "ms",
            lower_is_better=False,
            note=(
                f"min {retry['min']:.1f} / median {retry['median']:.1f} / max {retry['max']:.1f} "
                f"ms after the reconnect; baseline: every client at {PYFLUFF_RETRY_MS:g} ms; "
                f"page's virtual clock, {mock}"
            ),
            figures=spread,
        ),
        Row(
            "6 reconnect spread",
            "most first retries in one 100 ms slice",
            spread["peak_per_100ms"],
            spread["cards"],
            "retries",
            note="per 100 ms: " + " ".join(str(n) for n in spread["per_100ms"]),
        ),
        Row(
            "6 reconnect spread",
            "time until all cards are subscribed again (log and status)",
            spread["all_back_ms"],
            PYFLUFF_RETRY_MS,
            "ms",
            note=(
                f"{spread['subscriptions_held_after']['log']} log and "
                f"{spread['subscriptions_held_after']['status']} status subscriptions held after"
            ),
        ),
    ]
