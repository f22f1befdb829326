"""The Home Assistant versions the tests run on, as the requirement files pin them."""

from __future__ import annotations

import re
from pathlib import Path

REQUIREMENTS = Path(__file__).parents[1] / "requirements"
_HEADER = re.compile(r"^# .*Home Assistant: (\d{4}\.\d+\.\d+)", re.MULTILINE)


def pinned_versions() -> dict[str, str]:
    """Map each test environment (``ha2025.4``, ...) to the Home Assistant version it pins.

    Each ``requirements/ha*.txt`` names its version in its first comment line; the metadata
    tests check that against the Home Assistant installed in the environment running them.
    """
    versions: dict[str, str] = {}
    for path in sorted(REQUIREMENTS.glob("ha*.txt")):
        match = _HEADER.search(path.read_text(encoding="utf-8"))
        assert match is not None, f"{path.name} does not name its Home Assistant version"
        versions[path.stem] = match.group(1)
    return versions


def oldest_pinned_version() -> str:
    """The oldest Home Assistant version any test environment runs."""
    return min(pinned_versions().values(), key=lambda v: tuple(int(p) for p in v.split(".")))
