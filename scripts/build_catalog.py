#!/usr/bin/env python3
"""Build the shipped action and name catalog from the shared reference TSVs.

Reads ``actions.tsv`` and ``names.tsv`` (converted from bluefluff's ``doc/actionlist.md`` and
``doc/names.md``, MIT) from the ``shared/furby`` folder beside the repository, checks them, and
writes ``custom_components/furby_connect/protocol/data/catalog.json.gz`` plus a copy of the MIT
notice. The output is byte-for-byte reproducible, so rerunning it on unchanged input changes
nothing. ``--check`` only compares and exits 1 when the shipped files are stale.

Usage: scripts/build_catalog.py [--source DIR] [--output-dir DIR] [--check]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
from pathlib import Path
from typing import Final

REPO: Final = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE: Final = REPO.parent / "shared" / "furby"
DEFAULT_OUTPUT: Final = REPO / "custom_components" / "furby_connect" / "protocol" / "data"
CATALOG_FILE: Final = "catalog.json.gz"
LICENSE_FILE: Final = "LICENSE-bluefluff.md"
FORMAT_VERSION: Final = 1

ACTION_COLUMNS: Final = ["input", "index", "subindex", "specific", "category", "description"]
NAME_COLUMNS: Final = ["id", "name"]

# docs/protocol.md §7.3: 13 first syllables x 10 second ones, without "Tay-Tah": ids 0-128.
FIRST_SYLLABLES: Final = [
    "Ah",
    "Bee",
    "Dah",
    "Day",
    "Dee",
    "Doo",
    "Kee",
    "Loo",
    "May",
    "Noo",
    "Tay",
    "Toh",
    "Way",
]
SECOND_SYLLABLES: Final = ["Bay", "Boh", "Boo", "Dah", "Doh", "Doo", "Kah", "Koh", "Tah", "Toh"]
MISSING_NAME: Final = "Tay-Tah"

# docs/protocol.md §7.2 "Named action" table: short keys for the actions the sources single out.
WELL_KNOWN: Final[dict[str, tuple[int, int, int, int]]] = {
    "giggle": (55, 2, 14, 0),
    "puke": (56, 3, 15, 1),
    "beatboxing": (17, 0, 0, 5),
    "hiccup": (16, 0, 0, 0),
    "connected": (34, 0, 0, 0),
    "ear_up": (55, 2, 17, 0),
    "legendary": (39, 3, 8, 1),
    "nice": (39, 4, 6, 1),
    "hey_hey": (39, 3, 1, 1),
}


class CatalogSourceError(Exception):
    """The reference TSVs are not what the catalog expects."""


def expected_names() -> list[str]:
    """Return the 129 names in id order, per the syllable rule of §7.3."""
    names = [f"{a}-{b}" for a in FIRST_SYLLABLES for b in SECOND_SYLLABLES]
    names.remove(MISSING_NAME)
    return names


def read_tsv(path: Path, columns: list[str]) -> list[list[str]]:
    """Return the rows of a tab-separated file whose header must equal ``columns``."""
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or rows[0] != columns:
        raise CatalogSourceError(f"{path}: header must be {columns}, got {rows[:1]}")
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(columns):
            raise CatalogSourceError(f"{path}:{line}: expected {len(columns)} columns, got {row}")
    return rows[1:]


def parse_byte(path: Path, line: int, field: str, text: str) -> int:
    """Parse an action field: a decimal 0-255."""
    if not text.isdigit() or not 0 <= int(text) <= 255:
        raise CatalogSourceError(f"{path}:{line}: {field} must be 0-255, got {text!r}")
    return int(text)


def load_actions(path: Path) -> tuple[list[str], list[list[int | str]]]:
    """Return the categories in first-seen order and the action rows.

    Each row is ``[input, index, subindex, specific, category number, description]``.
    """
    categories: list[str] = []
    actions: list[list[int | str]] = []
    seen: set[tuple[int, ...]] = set()
    for line, row in enumerate(read_tsv(path, ACTION_COLUMNS), start=2):
        fields = zip(ACTION_COLUMNS[:4], row[:4], strict=True)
        code = tuple(parse_byte(path, line, field, text) for field, text in fields)
        category, description = row[4].strip(), row[5].strip()
        if not category or not description:
            raise CatalogSourceError(f"{path}:{line}: empty category or description")
        if code in seen:
            raise CatalogSourceError(f"{path}:{line}: duplicate action {code}")
        seen.add(code)
        if category not in categories:
            categories.append(category)
        actions.append([*code, categories.index(category), description])
    if not actions:
        raise CatalogSourceError(f"{path}: no actions")
    return categories, actions


def load_names(path: Path) -> list[str]:
    """Return the names in id order, checked against the §7.3 rule."""
    rows = read_tsv(path, NAME_COLUMNS)
    ids = [row[0] for row in rows]
    if ids != [str(i) for i in range(len(rows))]:
        raise CatalogSourceError(f"{path}: ids must run 0, 1, 2, … without gaps")
    names = [row[1].strip() for row in rows]
    if names != expected_names():
        raise CatalogSourceError(
            f"{path}: names differ from the 129-name rule (docs/protocol.md §7.3)"
        )
    return names


def build(source: Path) -> bytes:
    """Return the gzip'd JSON catalog for the TSVs in ``source``."""
    categories, actions = load_actions(source / "actions.tsv")
    names = load_names(source / "names.tsv")
    codes = {tuple(row[:4]) for row in actions}
    for key, code in WELL_KNOWN.items():
        if code not in codes:
            raise CatalogSourceError(f"well-known action {key} {code} is not in actions.tsv")
    document = {
        "format": FORMAT_VERSION,
        "source": "bluefluff doc/actionlist.md and doc/names.md (MIT, see LICENSE-bluefluff.md)",
        "categories": categories,
        "actions": actions,
        "names": names,
        "well_known": {key: list(code) for key, code in WELL_KNOWN.items()},
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Build (or with ``--check`` verify) the shipped catalog; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if the output is stale")
    args = parser.parse_args(argv)
    source: Path = args.source
    output: Path = args.output_dir
    try:
        outputs = {
            output / CATALOG_FILE: build(source),
            output / LICENSE_FILE: (source / LICENSE_FILE).read_bytes(),
        }
    except (OSError, CatalogSourceError) as err:
        print(f"build_catalog: {err}", file=sys.stderr)
        return 2
    stale = [p for p, data in outputs.items() if not p.exists() or p.read_bytes() != data]
    if args.check:
        for path in stale:
            print(f"stale: {path}", file=sys.stderr)
        return 1 if stale else 0
    output.mkdir(parents=True, exist_ok=True)
    for path in stale:
        path.write_bytes(outputs[path])
        print(f"wrote {path} ({len(outputs[path])} bytes)")
    if not stale:
        print("catalog up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
