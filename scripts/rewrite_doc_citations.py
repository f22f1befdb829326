#!/usr/bin/env python3
"""Point citations of the retired reference notes at the repository's own ``docs/``.

The code used to cite notes that live outside the repository. This rewrites, in the folders
``tests/test_doc_references.py`` scans (``custom_components/``, ``virtual_furby/``,
``scripts/``, ``tests/``, ``docs/``, ``README.md``, ``CHANGELOG.md``):

- the protocol notes, with or without a section (``§5.2 step 5`` keeps its numbers, because
  ``docs/protocol.md`` has the same numbering), to ``docs/protocol.md``;
- the Home Assistant, virtual-BLE and card notes, section by section through ``MAPPING``, to
  ``docs/home_assistant.md §N`` (a list such as ``§2, §3.2`` maps item by item);
- the architecture sketch to ``docs/architecture.md``;
- the bluefluff licence file beside the reference data to the copy shipped with the catalog.

A path in front of a retired name (the reference folder beside the repository) goes with it.
Paths that read the real DLC files or the reference TSVs are left alone, and so are this script
and ``tests/test_doc_references.py``, which name the retired notes as data. Running it again
changes nothing. A citation whose section has no mapping is reported and left as it is.

Usage: scripts/rewrite_doc_citations.py [--root DIR] [--check]
  --check   change nothing; exit 1 when a file would change or a citation cannot be mapped.
Runs with any python3 (standard library only).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tokenize
from collections.abc import Iterator
from pathlib import Path
from typing import Final

REPO: Final = Path(__file__).resolve().parents[1]

SCANNED: Final = (
    "custom_components",
    "virtual_furby",
    "scripts",
    "tests",
    "docs",
    "README.md",
    "CHANGELOG.md",
)
"""Files and folders rewritten, relative to the repository root."""

SKIPPED: Final = frozenset({"scripts/rewrite_doc_citations.py", "tests/test_doc_references.py"})
"""Files that name the retired notes as data, never as citations."""

SKIPPED_DIRS: Final = frozenset(
    {"__pycache__", "node_modules", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".cache"}
)

PROTOCOL_DOC: Final = "docs/protocol.md"
HA_DOC: Final = "docs/home_assistant.md"
ARCHITECTURE_DOC: Final = "docs/architecture.md"
LICENSE_COPY: Final = "custom_components/furby_connect/protocol/data/LICENSE-bluefluff.md"
LINE_LIMIT: Final = 100
"""ruff's line length (pyproject.toml); a longer rewritten line is reported."""

MAPPING: Final[dict[str, dict[str, str]]] = {
    "HA_NOTES": {
        "": "",
        "§0": "§0",
        "§1": "§3",
        "§1.1": "§3.2",
        "§1.2": "§3.1",
        "§1.3": "§3.1",
        "§2": "§9",
        "§2.1": "§9",
        "§2.2": "§9",
        "§2.3": "§9",
        "§2.4": "§5.3",
        "§2.5": "§5.2",
        "§2.6": "§5.1",
        "§3": "§2",
        "§3.1": "§2.1",
        "§3.2": "§2.2",
        "§3.3": "§2.3",
        "§3.4": "§2.8",
        "§3.5": "§8.1",
        "§3.6": "§2.4",
        "§3.7": "§2.8",
        "§4": "§2.10",
        "§4 #1": "§2.10",
        "§4 #2": "§2.10",
        "§4 #3": "§2.7",
        "§4 #4": "§2.10",
        "§4 #5": "§2.8",
        "§4 #6": "§2.10",
        "§4 #7": "§2.4",
        "§4 #8": "§2.10",
        "§4 #9": "§2.10",
        "§4 #10": "§2.7",
        "§4 #11": "§2.7",
        "§4 #12": "§2.10",
        "§4 #13": "§2.10",
        "§4 #14": "§2.10",
        "§4 #15": "§2.10",
        "§4 #16": "§2.10",
        "§4 #17": "§2.10",
        "§4 #18": "§2.10",
        "§4 #19": "§2.4",
        "§4 #20": "§2.4",
        "§4 #21": "§2.10",
        "§4 #22": "§2.7",
        "§4 #23": "§2.5",
        "§4 #24": "§2.10",
        "§4 #25": "§2.10",
        "§4 #26": "§2.8",
        "§4 #27": "§2.7",
        "§4 #28": "§2.6",
        "§4 #29": "§2.2",
        "§4 #30": "§2.9",
        "§4 #31": "§2.3",
        "§4 #32": "§4.2",
        "§5": "§4",
        "§5.1": "§4.1",
        "§5.2": "§4.2",
        "§6": "§2.1",
    },
    "VIRTUAL_BLE": {
        "": "§6",
        "§1": "§6.2",
        "§2": "§6.2",
        "§3": "§6.1",
        "§3.1": "§6.1",
        "§3.2": "§6.3",
        "§3.3": "§6.4",
        "§3.4": "§6.1",
        "§3.5": "§6.5",
        "§3.6": "§6.5",
        "§4": "§6.5",
        "§5": "§6.5",
        "§6": "§7",
        "§7": "§6.6",
        **{f"pitfall {n}": f"§7.{n}" for n in range(1, 12)},
    },
    "CARD_NOTES": {
        "": "§8",
        "TL;DR": "§8",
        "TL;DR 1": "§8.1",
        "TL;DR 2": "§8.3",
        "TL;DR 3": "§8.3",
        "TL;DR 4": "§8.3",
        "§1": "§8.1",
        "§2": "§8.2",
        "§3": "§8.3",
        "§4": "§8.4",
        "§5": "§4",
        "§6": "§10",
    },
}
"""Retired note -> {its section, pitfall or summary item ("" = the whole note) -> a section of
docs/home_assistant.md ("" = the whole document)}."""

_PREFIX: Final = r"(?:(?:/work/shared|\.\./shared|shared)/(?:furby/)?)?"
_AND: Final = r"\s*(?:,|\band\b|&)\s*"
_ITEM: Final = (
    r"§\d+(?:\.\d+)*(?:\s*#\d+(?:" + _AND + r"#\d+)*)?"
    r"|pitfalls?\s+\d+(?:" + _AND + r"\d+)*"
    r"|TL;DR(?:\s+\d+(?:" + _AND + r"\d+)*)?"
)
"""One cited item: a section (``§4 #23, #28``), pitfalls (``pitfalls 1 and 8``) or summary items."""
_SEP: Final = r"\s*(?:,|\band\b|&|-|\u2013|/)\s*"

PROTOCOL_RE: Final = re.compile(_PREFIX + r"PROTOCOL\.md|\bPROTOCOL(?=\s*§)")
ARCHITECTURE_RE: Final = re.compile(_PREFIX + r"ARCHITECTURE\.md")
LICENSE_RE: Final = re.compile(r"(?:/work/shared|\.\./shared)/furby/LICENSE-bluefluff\.md")
NOTES_RE: Final = re.compile(
    _PREFIX + r"\b(?P<doc>HA_NOTES|VIRTUAL_BLE|CARD_NOTES)(?:\.md)?\b"
    r"(?P<items>\s*(?:" + _ITEM + r")(?:" + _SEP + r"(?:" + _ITEM + r"))*)?"
)
ITEM_RE: Final = re.compile(_ITEM)
NUMBER_RE: Final = re.compile(r"\d+")


def _keys(items: str) -> list[str]:
    """Split a citation's items into ``MAPPING`` keys (``§4 #23, #28`` gives two)."""
    keys: list[str] = []
    for match in ITEM_RE.finditer(items):
        item = match.group()
        if item.startswith("§"):
            section, _, rest = item.partition("#")
            section = section.strip()
            hashes = NUMBER_RE.findall(rest)
            keys += [f"{section} #{n}" for n in hashes] if hashes else [section]
        elif item.startswith("pitfall"):
            keys += [f"pitfall {n}" for n in NUMBER_RE.findall(item)]
        else:
            numbers = NUMBER_RE.findall(item)
            keys += [f"TL;DR {n}" for n in numbers] if numbers else ["TL;DR"]
    return keys


def _target(doc: str, key: str) -> str | None:
    """Map one item, falling back from ``§3.6.2`` to ``§3.6`` to ``§3``; None when unmapped."""
    table = MAPPING[doc]
    while key:
        if key in table:
            return table[key]
        if key.startswith("§") and "." in key and "#" not in key:
            key = key.rsplit(".", 1)[0]
        elif "#" in key:
            key = key.split(" ")[0]
        else:
            return None
    return table[""]


def _rewrite_notes(match: re.Match[str], unmapped: list[str]) -> str:
    """Rewrite one citation of the Home Assistant, virtual-BLE or card notes."""
    doc = match.group("doc")
    items = match.group("items") or ""
    keys = _keys(items) or [""]
    targets: list[str] = []
    for key in keys:
        target = _target(doc, key)
        if target is None:
            unmapped.append(match.group())
            return match.group()
        if target and target not in targets:
            targets.append(target)
    return HA_DOC + (" " + ", ".join(targets) if targets else "")


def rewrite_text(text: str) -> tuple[str, list[str]]:
    """Return ``text`` with every retired citation rewritten, and the citations left unmapped."""
    unmapped: list[str] = []
    text = LICENSE_RE.sub(LICENSE_COPY, text)
    text = PROTOCOL_RE.sub(PROTOCOL_DOC, text)
    text = ARCHITECTURE_RE.sub(ARCHITECTURE_DOC, text)
    text = NOTES_RE.sub(lambda match: _rewrite_notes(match, unmapped), text)
    return text, unmapped


def iter_files(root: Path) -> Iterator[Path]:
    """Yield the text files under the scanned folders, skipping caches and the data files."""
    for name in SCANNED:
        top = root / name
        if top.is_file():
            yield top
        elif top.is_dir():
            for path in sorted(top.rglob("*")):
                relative = path.relative_to(root)
                skipped = SKIPPED_DIRS.intersection(relative.parts) or (
                    relative.as_posix() in SKIPPED
                )
                if path.is_file() and not skipped:
                    yield path


def read_text(path: Path) -> str | None:
    """Return a file's text, or None for binary files (not UTF-8, or holding NUL bytes)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None
    return None if "\0" in text else text


Prose = tuple[str, str, int]
"""How a line of Python source holds prose: (kind, prefix, block), see ``_prose_lines``."""

_BULLET_RE: Final = re.compile(r"(?:[-*+]|\d+\.) ")


def _prose_lines(source: str) -> dict[int, Prose]:
    """Map the 0-based lines of Python source that hold only prose to (kind, prefix, block).

    Kind ``comment``: a line that is a comment alone; the prefix is its indentation and ``# ``.
    Kind ``string``: a line inside a multi-line string after its opening line; the prefix is its
    indentation. ``block`` tells strings (and comment runs) apart.
    """
    prose: dict[int, Prose] = {}
    lines = source.splitlines()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return prose
    for index, token in enumerate(tokens):
        row, col = token.start
        if token.type == tokenize.COMMENT and not lines[row - 1][:col].strip():
            if token.string.startswith("# "):
                prose[row - 1] = ("comment", lines[row - 1][:col] + "# ", col)
        elif token.type == tokenize.STRING and token.end[0] > row:
            for number in range(row, token.end[0]):
                line = lines[number]
                prose[number] = ("string", line[: len(line) - len(line.lstrip())], index)
    return prose


def _continues(prose: dict[int, Prose], lines: list[str], at: int, kind: Prose) -> bool:
    """Whether line ``at`` continues the paragraph of a line of ``kind`` (same block and prefix)."""
    if prose.get(at) != kind or at >= len(lines):
        return False
    text = lines[at][len(kind[1]) :].strip()
    return bool(text) and text[0] not in "\"'" and not _BULLET_RE.match(text)


def reflow(source: str, old: str) -> tuple[str, list[int]]:
    """Rewrap prose lines of Python source that the rewrite pushed past ``LINE_LIMIT``.

    Words that no longer fit move to the start of the next line of the same paragraph (a
    comment run or a multi-line string), cascading, or to a new line at the paragraph's end.
    Returns the new source and the 1-based numbers of new long lines it could not rewrap (a
    docstring's first line, code).
    """
    before = set(old.splitlines())
    lines = source.splitlines()
    prose = _prose_lines(source)
    stuck: list[int] = []
    number = 0
    while number < len(lines):
        line = lines[number]
        kind = prose.get(number)
        if len(line) <= LINE_LIMIT or line in before:
            number += 1
            continue
        cut = line.rfind(" ", 0, LINE_LIMIT + 1)
        while cut > 0 and line[cut + 1 : cut + 2] == "§":  # keep "docs/x.md §N" on one line
            cut = line.rfind(" ", 0, cut)
        if kind is None or cut <= len(kind[1]):
            stuck.append(number + 1)
            number += 1
            continue
        head, tail = line[:cut].rstrip(), line[cut + 1 :]
        lines[number] = head
        following = number + 1
        if _continues(prose, lines, following, kind):
            lines[following] = kind[1] + tail + " " + lines[following][len(kind[1]) :].lstrip()
        else:
            bullet = _BULLET_RE.match(head[len(kind[1]) :])
            indent = kind[1] + (" " * len(bullet.group()) if bullet else "")
            lines.insert(following, indent + tail)
            prose = {(at + 1 if at >= following else at): value for at, value in prose.items()}
            prose[following] = (kind[0], indent, kind[2])
        number += 1
    ending = "\n" if source.endswith("\n") else ""
    return "\n".join(lines) + ending, stuck


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check`` only report) every file.

    Returns 1 when a citation could not be mapped, a rewritten Python line became too long, or
    (with ``--check``) a file would change; 0 otherwise.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=REPO, help="repository root")
    parser.add_argument("--check", action="store_true", help="report only, change nothing")
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    changed = 0
    problems: list[str] = []
    for path in iter_files(root):
        text = read_text(path)
        if text is None:
            continue
        new, unmapped = rewrite_text(text)
        relative = path.relative_to(root).as_posix()
        problems += [f"{relative}: no mapping for {citation!r}" for citation in unmapped]
        if new != text and path.suffix == ".py":
            new, stuck = reflow(new, text)
            problems += [
                f"{relative}:{line}: longer than {LINE_LIMIT} characters, rewrap it by hand"
                for line in stuck
            ]
        if new != text:
            changed += 1
            if args.check:
                print(f"would rewrite {relative}")
            else:
                path.write_text(new, encoding="utf-8")
                print(f"rewrote {relative}")
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{changed} file(s) {'to rewrite' if args.check else 'rewritten'}")
    return 1 if problems or (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
