"""Pytest plugin of the fault campaign (``scripts/chaos``): plan, count, summarise.

``-p tests.integration.chaos_plugin`` adds ``--chaos-seed``, ``--chaos-runs`` and
``--chaos-report PATH``; it parametrizes ``chaos_campaign.test_chaos_run`` with the seeded plan,
records each run's outcome (a failure in setup, call or teardown counts, with the failed check's
name) and writes the summary as one JSON object to ``--chaos-report``; the terminal summary shows
the counts per fault x operation.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from tests.integration.chaos_faults import FAULTS, OPERATIONS, plan

_RESULTS: dict[str, dict[str, Any]] = {}
_STARTED: list[float] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    """The campaign's options."""
    group = parser.getgroup("chaos", "fault campaign (scripts/chaos)")
    group.addoption("--chaos-seed", type=int, default=1, help="seed of the plan")
    group.addoption("--chaos-runs", type=int, default=300, help="number of runs")
    group.addoption("--chaos-report", default=None, help="write the JSON summary here")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Give ``chaos_case`` the seeded plan."""
    if "chaos_case" in metafunc.fixturenames:
        config = metafunc.config
        cases = plan(config.getoption("chaos_seed"), config.getoption("chaos_runs"))
        metafunc.parametrize("chaos_case", cases, ids=[case.id for case in cases])


def pytest_sessionstart(session: pytest.Session) -> None:
    """Note the start time."""
    _STARTED.append(time.monotonic())


def _first_line(report: pytest.TestReport) -> str:
    """The failed check (``name: detail``) or the exception's last line."""
    text = report.longreprtext.strip().splitlines()
    for line in text:
        if line.startswith("E "):
            return line[1:].strip().removeprefix("tests.integration.chaos_campaign.")
    return text[-1] if text else report.outcome


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Record each run: passed, skipped, or failed with the first failure's line."""
    props: dict[str, Any] = dict(report.user_properties)
    if "chaos" not in props and report.nodeid not in _RESULTS:
        return
    result = _RESULTS.setdefault(report.nodeid, {"outcome": "passed", "detail": ""})
    if "chaos" in props:
        result["fault"], result["operation"] = props["chaos"]
    if report.skipped and result["outcome"] == "passed":
        result["outcome"], result["detail"] = "skipped", str(report.longrepr)[-200:]
    elif report.failed and result["outcome"] != "failed":
        result["outcome"], result["detail"] = "failed", f"{report.when}: {_first_line(report)}"


def summary(config: pytest.Config) -> dict[str, Any]:
    """The campaign's summary as one JSON-ready object."""
    table: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
    failures = []
    classes: Counter[str] = Counter()
    for nodeid, result in sorted(_RESULTS.items()):
        if "fault" not in result:
            continue
        cell = table[result["fault"]].setdefault(
            result["operation"], {"runs": 0, "failed": 0, "skipped": 0}
        )
        cell["runs"] += 1
        if result["outcome"] == "failed":
            cell["failed"] += 1
            failures.append({"run": nodeid.split("[")[-1].rstrip("]"), "detail": result["detail"]})
            classes[result["detail"].split(":")[1].strip() if ":" in result["detail"] else "?"] += 1
        elif result["outcome"] == "skipped":
            cell["skipped"] += 1
    counts = Counter(result["outcome"] for result in _RESULTS.values())
    return {
        "seed": config.getoption("chaos_seed"),
        "runs": sum(counts.values()),
        "passed": counts["passed"],
        "failed": counts["failed"],
        "skipped": counts["skipped"],
        "wall_seconds": round(time.monotonic() - _STARTED[0], 1) if _STARTED else None,
        "failure_classes": dict(classes),
        "by_fault_and_operation": {fault: table[fault] for fault in FAULTS if fault in table},
        "failures": failures,
    }


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Print the counts per fault x operation (failed/runs) and write the JSON summary."""
    data = summary(config)
    out = config.getoption("chaos_report")
    if out:
        Path(out).write_text(json.dumps(data, indent=1), encoding="utf-8")
    write = terminalreporter.write_line
    write("")
    write(
        f"fault campaign, seed {data['seed']}: {data['runs']} runs, {data['passed']} passed, "
        f"{data['failed']} failed, {data['skipped']} skipped"
    )
    width = max(len(fault) for fault in FAULTS)
    write(" " * width + " | " + " | ".join(f"{op[:11]:>11}" for op in OPERATIONS))
    for fault, cells in data["by_fault_and_operation"].items():
        row = []
        for operation in OPERATIONS:
            cell = cells.get(operation)
            if cell is None:
                row.append(f"{'-':>11}")
            else:
                ok = cell["runs"] - cell["failed"] - cell["skipped"]
                text = f"{ok}/{cell['runs']}" + (f" {cell['skipped']}s" if cell["skipped"] else "")
                row.append(f"{text:>11}")
        write(f"{fault:<{width}} | " + " | ".join(row))
    write("cells: passed/runs (Ns = skipped); failures:")
    for failure in data["failures"]:
        write(f"  {failure['run']}: {failure['detail'][:200]}")
