"""One table row of ``scripts/bench`` and how the table and the JSON object are printed."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Row:
    """One measured comparison: ``ours`` next to ``baseline``, both in ``unit``.

    ``ratio`` is baseline / ours when a lower figure is better (``lower_is_better``), else
    ours / baseline, so a ratio above 1 always means ours is better. ``note`` says how it was
    measured or why a goal cannot be met; ``figures`` holds every raw figure for ``--json``.
    """

    section: str
    what: str
    ours: float
    baseline: float
    unit: str
    note: str = ""
    lower_is_better: bool = True
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """How many times better ours is (None when a side is zero and the ratio is undefined)."""
        better, worse = (
            (self.ours, self.baseline) if self.lower_is_better else (self.baseline, self.ours)
        )
        if better == 0:
            return math.inf if worse > 0 else None
        return worse / better

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Row:
        """Rebuild a row from ``as_json`` output."""
        return cls(
            data["section"],
            data["what"],
            data["ours"],
            data["baseline"],
            data["unit"],
            note=data["note"],
            lower_is_better=data["lower_is_better"],
            figures=data["figures"],
        )

    def as_json(self) -> dict[str, Any]:
        """Return the row as a JSON-ready dict (an infinite ratio is the string ``"inf"``)."""
        ratio = self.ratio
        return {
            "section": self.section,
            "what": self.what,
            "ours": self.ours,
            "baseline": self.baseline,
            "unit": self.unit,
            "ratio": "inf" if ratio == math.inf else ratio,
            "lower_is_better": self.lower_is_better,
            "note": self.note,
            "figures": self.figures,
        }


def _number(value: float) -> str:
    if value == 0:
        return "0"
    if value == int(value) and abs(value) < 1e12:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def format_ratio(ratio: float | None) -> str:
    """``x12.3``, ``inf`` or ``-``."""
    if ratio is None:
        return "-"
    if ratio == math.inf:
        return "inf"
    return f"x{ratio:.3g}"


def markdown_table(rows: list[Row]) -> str:
    """Format the rows as one Markdown table (what / ours / baseline / ratio / note)."""
    lines = [
        "| section | what | ours | baseline | ratio (>1: ours better) | note |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        note = row.note.replace("|", "/")
        lines.append(
            f"| {row.section} | {row.what} | {_number(row.ours)} {row.unit} | "
            f"{_number(row.baseline)} {row.unit} | {format_ratio(row.ratio)} | {note} |"
        )
    return "\n".join(lines)
