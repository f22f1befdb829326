"""Every document the repository cites is in the repository, with the sections cited.

A clone must not send its reader to a file it lacks. ``find_problems`` reads the folders of
``SCANNED`` and reports:

- a markdown reference (``x.md``, ``docs/x.md``) that exists neither relative to the repository
  root nor relative to the citing file (a bare file name may be anywhere in the repository),
  unless it names an upstream project's file right after that project's name
  (``bluefluff `doc/nordic.md```, see ``UPSTREAM``);
- any mention of the retired reference notes (``RETIRED``: the notes that lived beside the
  repository), with or without ``.md``;
- a ``docs/x.md §N`` citation whose section is not a numbered heading of that document, and
  outside ``docs/`` a bare ``§N``, which means ``docs/protocol.md §N``, that is not a heading there;
- a mention of the reference folder beside the repository (``../shared``) outside the narrow
  exceptions of ``SHARED_EXCEPTIONS``.

This file and ``scripts/rewrite_doc_citations.py`` name the retired notes as test data and
patterns, so they are not scanned. The script's tests are here too.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import os
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import pytest

REPO = Path(__file__).resolve().parents[1]

SCANNED = (
    "custom_components",
    "virtual_furby",
    "scripts",
    "tests",
    "docs",
    "README.md",
    "CHANGELOG.md",
)
SELF_EXEMPT = frozenset({"tests/test_doc_references.py", "scripts/rewrite_doc_citations.py"})
IGNORED_DIRS = frozenset(
    {".git", "__pycache__", "node_modules", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
    | {".cache", ".demo"}
)

RETIRED = ("PROTOCOL", "HA_NOTES", "VIRTUAL_BLE", "CARD_NOTES", "ENVIRONMENT", "ARCHITECTURE")
"""The reference notes that lived outside the repository; ``docs/`` replaces them."""

UPSTREAM = (
    "bluefluff",
    "FurBLE",
    "furby-web-bluetooth",
    "ctxis",
    "ctxis/Furby",
    "PyFluff",
    "nerdosity/furby-connect-ai",
    "cfscholz/FurbyHackBLEArduino",
    "thatuser84/furby-connect-emulator",
    "iafan/Hacksby",
    "home-assistant/core",
    "developers.home-assistant",
    "home-assistant/frontend",
    "home-assistant/brands",
    "hacs/integration",
    "hacs/documentation",
    "hacs/action",
)
"""Projects whose own files the docs and comments name (their sources, credited in docs/)."""


@dataclass(frozen=True)
class SharedException:
    """Where the reference folder beside the repository may be named, and why."""

    files: str
    """An ``fnmatch`` pattern of repository paths (``*`` also crosses folders)."""
    line: re.Pattern[str]
    """What the line must contain."""
    reason: str


SHARED_EXCEPTIONS = (
    SharedException(
        "tests/*.py",
        re.compile(r"shared\W+furby\W+dlc\b"),
        "tests read the real DLC files from there, and skip when they are absent",
    ),
    SharedException(
        "tests/protocol/test_build_catalog.py",
        re.compile(r'^SHARED = REPO / "\.\." / "shared" / "furby"$'),
        "the catalog staleness test compares the shipped catalog with the reference TSVs",
    ),
    SharedException(
        "scripts/build_catalog.py",
        re.compile(
            r'^DEFAULT_SOURCE: Final = REPO\.parent / "shared" / "furby"$'
            r"|``shared/furby`` folder beside the repository"
        ),
        "the catalog builder reads its input data from there by default",
    ),
    SharedException(
        "README.md",
        re.compile(r"^(?!.*(?:/work/shared|shared/[\w./-]*\.md)).*\.\./shared\b"),
        "README may say the reference data live beside the repository, but cite nothing there",
    ),
    SharedException(
        "scripts/lib.sh",
        re.compile(r"\bbind\b|\bmount"),
        "the test runner mounts the folder into the Python 3.14 root, for the readers above",
    ),
)

MD_REF_RE = re.compile(r"(?<![\w./-])((?:\.{1,2}/)?(?:[\w-][\w.-]*/)*[\w.-]*[\w-]\.md)(?![\w-])")
RETIRED_RE = re.compile(
    r"\b(?:HA_NOTES|VIRTUAL_BLE|CARD_NOTES)\b"
    r"|\b(?:PROTOCOL|ENVIRONMENT|ARCHITECTURE)(?:\.md\b|(?=\s*§))"
)
CITATION_RE = re.compile(
    r"(?P<doc>(?:[\w-][\w.-]*/)*[\w.-]*[\w-]\.md)"
    r"(?P<items>(?:\s*(?:,|\band\b|-|\u2013|/)?\s*§\d+(?:\.\d+)*)+)"
)
SECTION_RE = re.compile(r"§(\d+(?:\.\d+)*)")
HEADING_RE = re.compile(r"^#{1,6}[ \t]+(\d+(?:\.\d+)*)\.?[ \t]", re.MULTILINE)
SHARED_RE = re.compile(
    r"\.\./shared\b|/work/shared\b|[\"']\.\.[\"']\s*/\s*[\"']shared[\"']"
    r"|\.parents?(?:\[\d+\])?\s*/\s*[\"']shared[\"']|\bshared/furby\b"
)
UPSTREAM_END_RE = re.compile(
    r"(?<![\w./-])(?:" + "|".join(re.escape(name) for name in UPSTREAM) + r")$"
)
CONNECTORS = " \t\n`'\"*,:(#"
PROTOCOL_DOC = "docs/protocol.md"


class Problem(NamedTuple):
    """One bad reference: where, what kind, and the text."""

    path: str
    line: int
    kind: str
    detail: str

    def __str__(self) -> str:
        """Format as ``path:line: kind: detail``."""
        return f"{self.path}:{self.line}: {self.kind}: {self.detail}"


def repo_files(root: Path) -> set[str]:
    """Return every file of the tree as a root-relative POSIX path, caches left out."""
    files: set[str] = set()
    for folder, dirs, names in os.walk(root):
        dirs[:] = [name for name in dirs if name not in IGNORED_DIRS]
        relative = Path(folder).relative_to(root)
        files.update((relative / name).as_posix() for name in names)
    return files


def scanned_texts(root: Path, files: set[str]) -> Iterator[tuple[str, str]]:
    """Yield (path, text) of every scanned text file; binary files are skipped."""
    for path in sorted(files):
        if path in SELF_EXEMPT or not any(
            path == top or path.startswith(top + "/") for top in SCANNED
        ):
            continue
        try:
            text = (root / path).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if "\0" not in text:
            yield path, text


def is_upstream(text: str, start: int) -> bool:
    """Whether the reference at ``start`` follows an upstream project's name.

    Walks back over quotes, commas, ``and``, possessive ``'s`` and other file names of the same
    list, so ``bluefluff's `doc/a.md` and `doc/b.md``` counts for both files.
    """
    tail = text[max(0, start - 300) : start]
    while True:
        tail = tail.rstrip(CONNECTORS)
        step = re.search(r"(?:\band|\bor|&|\+|'s|(?<![\w./-])[\w./-]+\.\w+)$", tail)
        if step is None or not step.group():
            break
        tail = tail[: step.start()]
    return UPSTREAM_END_RE.search(tail) is not None


def resolves(
    reference: str, citing: str, files: set[str], names: dict[str, list[str]]
) -> str | None:
    """Return the repository path a reference points at, or None.

    A bare file name (``protocol.md``) resolves to the file of that name, the one in ``docs/``
    first when there are several.
    """
    for base in ("", posixpath.dirname(citing)):
        candidate = posixpath.normpath(posixpath.join(base, reference))
        if candidate in files:
            return candidate
    if "/" not in reference and (found := names.get(reference)):
        return min(found, key=lambda path: (not path.startswith("docs/"), path))
    return None


def headings(root: Path, path: str) -> frozenset[str]:
    """The numbers of a markdown document's numbered headings (``## 5.`` gives ``5``)."""
    return frozenset(HEADING_RE.findall((root / path).read_text(encoding="utf-8")))


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _line_at(text: str, index: int) -> str:
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return text[start : end if end >= 0 else len(text)]


def _shared_allowed(path: str, line: str) -> bool:
    return any(
        fnmatch.fnmatchcase(path, rule.files) and rule.line.search(line)
        for rule in SHARED_EXCEPTIONS
    )


def find_problems(root: Path) -> list[Problem]:
    """Scan the tree at ``root`` and return every bad reference (see the module docstring)."""
    files = repo_files(root)
    names: dict[str, list[str]] = {}
    for file in files:
        names.setdefault(posixpath.basename(file), []).append(file)
    section_cache: dict[str, frozenset[str]] = {}

    def sections(doc: str) -> frozenset[str]:
        if doc not in section_cache:
            section_cache[doc] = headings(root, doc)
        return section_cache[doc]

    problems: list[Problem] = []
    for path, text in scanned_texts(root, files):

        def report(index: int, kind: str, detail: str, path: str = path, text: str = text) -> None:
            problems.append(Problem(path, _line_of(text, index), kind, detail))

        for match in RETIRED_RE.finditer(text):
            report(match.start(), "retired reference note", match.group())
        for match in MD_REF_RE.finditer(text):
            reference = match.group(1)
            stem = posixpath.basename(reference).removesuffix(".md")
            if stem in RETIRED or is_upstream(text, match.start()):
                continue
            if resolves(reference, path, files, names) is None:
                report(match.start(), "missing document", reference)
        cited_spans: list[tuple[int, int]] = []
        for match in CITATION_RE.finditer(text):
            cited_spans.append(match.span("items"))
            doc = resolves(match.group("doc"), path, files, names)
            if doc is None or is_upstream(text, match.start()):
                continue
            for number in SECTION_RE.findall(match.group("items")):
                if number not in sections(doc):
                    report(match.start(), "unknown section", f"{doc} §{number}")
        if not path.startswith("docs/"):
            for match in SECTION_RE.finditer(text):
                if any(start <= match.start() < end for start, end in cited_spans):
                    continue
                number = match.group(1)
                if PROTOCOL_DOC not in files:
                    report(match.start(), "unknown section", f"§{number}, no {PROTOCOL_DOC}")
                elif number not in sections(PROTOCOL_DOC):
                    report(match.start(), "unknown section", f"{PROTOCOL_DOC} §{number}")
        for match in SHARED_RE.finditer(text):
            if not _shared_allowed(path, _line_at(text, match.start())):
                report(match.start(), "reference folder outside the repository", match.group())
    return problems


@cache
def rewrite_script() -> ModuleType:
    """Load ``scripts/rewrite_doc_citations.py`` as a module."""
    spec = importlib.util.spec_from_file_location(
        "rewrite_doc_citations", REPO / "scripts" / "rewrite_doc_citations.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_tree(root: Path, files: dict[str, str], *, with_docs: bool = True) -> Path:
    """Write a synthetic repository: ``files`` plus, by default, the headings of ``docs/``."""
    if with_docs:
        (root / "docs").mkdir()
        for doc in (REPO / "docs").glob("*.md"):
            text = doc.read_text(encoding="utf-8")
            outline = "".join(line + "\n\n" for line in text.splitlines() if line.startswith("#"))
            (root / "docs" / doc.name).write_text(outline, encoding="utf-8")
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return root


def kinds(problems: list[Problem]) -> set[tuple[str, int, str]]:
    """(path, line, kind) of each problem, for comparisons."""
    return {(problem.path, problem.line, problem.kind) for problem in problems}


# ------------------------------------------------------------------------ the repository itself


def test_repository_cites_only_documents_it_has() -> None:
    """No code, test, script, README or doc cites a document or section the repository lacks."""
    problems = find_problems(REPO)
    assert not problems, "\n".join(map(str, problems))


def test_protocol_doc_keeps_the_numbering_the_code_cites() -> None:
    """docs/protocol.md has §0-§13 and the subsections code cites by number."""
    numbers = headings(REPO, PROTOCOL_DOC)
    assert {n for n in numbers if "." not in n} == {str(n) for n in range(14)}
    expected = {"3.1", "3.2", "3.3", "4.1", "4.2", "4.3", "4.4", "4.5", "5.1", "5.2", "5.3"}
    assert expected | {"7.1", "7.2", "7.3", "7.4"} <= numbers


def test_every_mapping_target_is_a_heading_of_the_home_assistant_doc() -> None:
    """Each section the rewrite script maps an old citation to exists in docs/home_assistant.md."""
    numbers = headings(REPO, "docs/home_assistant.md")
    targets = {target for table in rewrite_script().MAPPING.values() for target in table.values()}
    assert targets - {""}
    assert {target.removeprefix("§") for target in targets - {""}} <= numbers


# ------------------------------------------------------------------------ the scanner, bad input


def test_scanner_reports_a_missing_markdown_file(tmp_path: Path) -> None:
    """A reference to a markdown file that is nowhere in the tree is reported, line by line."""
    root = make_tree(
        tmp_path,
        {
            "custom_components/x/a.py": '"""Doc.\n\nSee docs/missing.md and NOTES.md."""\n',
            "README.md": "Read [the guide](docs/guide.md).\n",
        },
    )
    assert kinds(find_problems(root)) == {
        ("custom_components/x/a.py", 3, "missing document"),
        ("README.md", 1, "missing document"),
    }
    assert len(find_problems(root)) == 3


def test_scanner_reports_retired_notes_with_or_without_extension(tmp_path: Path) -> None:
    """The old notes are reported however they are named: with .md, without, or by path."""
    root = make_tree(
        tmp_path,
        {
            "virtual_furby/a.py": "# (VIRTUAL_BLE pitfall 1)\n# HA_NOTES §4 #23\n",
            "tests/b.py": "# see PROTOCOL.md\n# PROTOCOL §5.2\n",
            "scripts/c.sh": "# ../shared/CARD_NOTES.md\n",
        },
    )
    found = kinds(find_problems(root))
    assert {
        ("virtual_furby/a.py", 1, "retired reference note"),
        ("virtual_furby/a.py", 2, "retired reference note"),
        ("tests/b.py", 1, "retired reference note"),
        ("tests/b.py", 2, "retired reference note"),
        ("scripts/c.sh", 1, "retired reference note"),
        ("scripts/c.sh", 1, "reference folder outside the repository"),
    } == found


def test_scanner_reports_sections_that_do_not_exist(tmp_path: Path) -> None:
    """Explicit and bare § citations must name a numbered heading of the document cited."""
    root = make_tree(
        tmp_path,
        {
            "custom_components/x/a.py": (
                "# docs/protocol.md §5.2, §5.9 and docs/home_assistant.md §7.1\n"
                "# bare §4.5 is fine, bare §14 is not\n"
                "# docs/home_assistant.md §42\n"
            ),
            "docs/extra.md": "## 1. One\n\nSee docs/protocol.md §99; §77 here is this page's.\n",
        },
    )
    assert sorted(map(str, find_problems(root))) == [
        "custom_components/x/a.py:1: unknown section: docs/protocol.md §5.9",
        "custom_components/x/a.py:2: unknown section: docs/protocol.md §14",
        "custom_components/x/a.py:3: unknown section: docs/home_assistant.md §42",
        "docs/extra.md:3: unknown section: docs/protocol.md §99",
    ]


def test_scanner_checks_sections_cited_by_a_bare_file_name(tmp_path: Path) -> None:
    """``protocol.md §5.2`` names docs/protocol.md by its file name alone: its sections are
    checked there, an unknown one is reported.
    """
    root = make_tree(tmp_path, {"tests/a.py": "# protocol.md §5.2 and protocol.md §99\n"})
    assert find_problems(root) == [
        Problem("tests/a.py", 1, "unknown section", "docs/protocol.md §99")
    ]


def test_scanner_needs_the_protocol_doc_for_bare_sections(tmp_path: Path) -> None:
    """Without docs/protocol.md a bare § in code has nothing to point at and is reported."""
    root = make_tree(tmp_path, {"tests/a.py": "# §3.1\n"}, with_docs=False)
    assert kinds(find_problems(root)) == {("tests/a.py", 1, "unknown section")}


def test_scanner_accepts_upstream_and_relative_references(tmp_path: Path) -> None:
    """Upstream files named after their project and in-repo relative paths are accepted."""
    root = make_tree(
        tmp_path,
        {
            "custom_components/x/data/LICENSE-x.md": "MIT\n",
            "custom_components/x/a.py": (
                "# bluefluff's `doc/actionlist.md` and `doc/names.md`, FurBLE `README.md`\n"
                "# (bluefluff ``doc/bluetooth.md``, ``doc/flashdlc.md``,\n"
                "#  ``doc/nordic.md``); notice in ``data/LICENSE-x.md``\n"
                "# developers.home-assistant `docs/bluetooth.md`; PyFluff `DEBUGGING.md`\n"
                "# https://github.com/Jeija/bluefluff/blob/master/doc/names.md\n"
                "# docs/home_assistant.md §5.1 and ../../README.md\n"
            ),
            "README.md": "See docs/protocol.md and LICENSE-x.md.\n",
        },
    )
    assert find_problems(root) == []


def test_scanner_reports_upstream_paths_without_their_project(tmp_path: Path) -> None:
    """An upstream-looking path not led by its project's name is treated as in-repo, so missing."""
    root = make_tree(
        tmp_path,
        {"tests/a.py": "# see doc/nordic.md\n# bluefluff says so; see doc/names.md\n"},
    )
    assert kinds(find_problems(root)) == {
        ("tests/a.py", 1, "missing document"),
        ("tests/a.py", 2, "missing document"),
    }


def test_scanner_reports_the_reference_folder_outside_the_exceptions(tmp_path: Path) -> None:
    """``../shared`` in any other form or place than the listed exceptions is reported."""
    root = make_tree(
        tmp_path,
        {
            "virtual_furby/a.py": "# read /work/shared/furby/actions.tsv\n",
            "tests/b.py": 'SRC = REPO / ".." / "shared" / "furby" / "actions.tsv"\n',
            "custom_components/c.py": 'DATA = ROOT.parent / "shared"\n',
            "README.md": "The notes in ../shared/furby/README.md explain it.\n",
            "scripts/build_catalog.py": 'OTHER = REPO.parent / "shared" / "furby"\n',
            "tests/protocol/test_build_catalog.py": 'X = REPO / ".." / "shared" / "furby"\n',
        },
    )
    found = {(path, kind) for path, _line, kind in kinds(find_problems(root))}
    folder = "reference folder outside the repository"
    assert found == {
        ("virtual_furby/a.py", folder),
        ("tests/b.py", folder),
        ("custom_components/c.py", folder),
        ("README.md", folder),
        ("README.md", "missing document"),
        ("scripts/build_catalog.py", folder),
        ("tests/protocol/test_build_catalog.py", folder),
    }


def test_scanner_accepts_the_reference_folder_exceptions(tmp_path: Path) -> None:
    """Each exception of ``SHARED_EXCEPTIONS`` holds, in the form the repository uses."""
    root = make_tree(
        tmp_path,
        {
            "tests/protocol/test_dlc.py": (
                'DLC_DIR = Path(__file__).parents[2] / ".." / "shared" / "furby" / "dlc"\n'
            ),
            "tests/virtual_furby/test_real.py": (
                'DLC_DIR = Path(__file__).resolve().parents[2] / "../shared/furby/dlc"\n'
            ),
            "tests/protocol/test_build_catalog.py": 'SHARED = REPO / ".." / "shared" / "furby"\n',
            "scripts/build_catalog.py": (
                '"""From the ``shared/furby`` folder beside the repository."""\n'
                'DEFAULT_SOURCE: Final = REPO.parent / "shared" / "furby"\n'
            ),
            "README.md": "(the repository and `../shared` are bind-mounted at the same paths)\n",
            "scripts/lib.sh": "# Run it with the repository (and ../shared) bind-mounted\n",
        },
    )
    assert find_problems(root) == []


def test_scanner_skips_binary_files_caches_and_unscanned_folders(tmp_path: Path) -> None:
    """Binary files, caches and folders outside ``SCANNED`` are not read."""
    root = make_tree(
        tmp_path,
        {
            "custom_components/x/__pycache__/a.py": "# PROTOCOL.md\n",
            "requirements/notes.txt": "see PROTOCOL.md\n",
            ".cache/x.py": "# HA_NOTES\n",
        },
    )
    (root / "custom_components/x/data.gz").write_bytes(b"\x1f\x8b\x00PROTOCOL.md \xff\xfe")
    assert find_problems(root) == []


# ------------------------------------------------------------------------ the rewrite script


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("(PROTOCOL.md §5.2 step 5)", "(docs/protocol.md §5.2 step 5)"),
        ("the project's PROTOCOL.md.", "the project's docs/protocol.md."),
        ("``PROTOCOL.md``", "``docs/protocol.md``"),
        ("PROTOCOL §3.1", "docs/protocol.md §3.1"),
        ("../shared/furby/PROTOCOL.md §6", "docs/protocol.md §6"),
        ("(HA_NOTES §4 #23).", "(docs/home_assistant.md §2.5)."),
        ("(HA_NOTES.md §1, §2.6)", "(docs/home_assistant.md §3, §5.1)"),
        ("HA_NOTES §3-§4 list", "docs/home_assistant.md §2, §2.10 list"),
        ("HA_NOTES §4 #23, #28", "docs/home_assistant.md §2.5, §2.6"),
        ("HA_NOTES.md §3.6.2", "docs/home_assistant.md §2.4"),
        ("/work/shared/HA_NOTES.md", "docs/home_assistant.md"),
        ("(VIRTUAL_BLE.md §2, §3.2): it", "(docs/home_assistant.md §6.2, §6.3): it"),
        ("(VIRTUAL_BLE pitfall 1).", "(docs/home_assistant.md §7.1)."),
        ("VIRTUAL_BLE.md pitfalls 1 and 8", "docs/home_assistant.md §7.1, §7.8"),
        ("VIRTUAL_BLE.md and more", "docs/home_assistant.md §6 and more"),
        ("CARD_NOTES.md TL;DR 2", "docs/home_assistant.md §8.3"),
        ("CARD_NOTES §5", "docs/home_assistant.md §4"),
        ("ARCHITECTURE.md", "docs/architecture.md"),
        (
            "see ``/work/shared/furby/LICENSE-bluefluff.md``",
            "see ``" + ("custom_components/furby_connect/protocol/data/LICENSE-bluefluff.md``"),
        ),
        ('DLC_DIR = REPO / "../shared/furby/dlc"', 'DLC_DIR = REPO / "../shared/furby/dlc"'),
        ("docs/protocol.md §5.2", "docs/protocol.md §5.2"),
        ("docs/home_assistant.md §7.1", "docs/home_assistant.md §7.1"),
    ],
)
def test_rewrite_maps_each_citation_form(before: str, after: str) -> None:
    """Each form of old citation becomes its docs/ target; new citations and data paths stay."""
    text, unmapped = rewrite_script().rewrite_text(before)
    assert (text, unmapped) == (after, [])
    assert rewrite_script().rewrite_text(text) == (after, [])


@pytest.mark.parametrize(
    "citation", ["HA_NOTES.md §9", "VIRTUAL_BLE pitfall 12", "CARD_NOTES TL;DR 7", "HA_NOTES §0.4"]
)
def test_rewrite_leaves_and_reports_an_unmapped_citation(citation: str) -> None:
    """A citation of a section the mapping does not know is left as is and reported."""
    text, unmapped = rewrite_script().rewrite_text(f"x ({citation}) y")
    if citation == "HA_NOTES §0.4":  # falls back to its parent section
        assert (text, unmapped) == ("x (docs/home_assistant.md §0) y", [])
    else:
        assert (text, unmapped) == (f"x ({citation}) y", [citation])


def test_rewrite_of_a_tree_is_idempotent_and_spares_data_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One run fixes a tree so the scanner finds nothing; a second run changes nothing."""
    dlc_line = 'DLC_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "furby" / "dlc"'
    files = {
        "custom_components/x/a.py": '"""Sensor packet (PROTOCOL.md §4.5; HA_NOTES §3.3)."""\n',
        "tests/protocol/test_x.py": f"{dlc_line}\n# VIRTUAL_BLE.md pitfall 8\n",
        "README.md": "As PROTOCOL.md §2 says; see CARD_NOTES.md §3.\n",
        "tests/test_doc_references.py": "# PROTOCOL.md is test data here\n",
    }
    root = make_tree(tmp_path, files)
    script = rewrite_script()
    assert script.main(["--root", str(root), "--check"]) == 1
    assert (root / "README.md").read_text(encoding="utf-8") == files["README.md"]
    assert script.main(["--root", str(root)]) == 0
    assert "3 file(s) rewritten" in capsys.readouterr().out
    assert (root / "custom_components/x/a.py").read_text(encoding="utf-8") == (
        '"""Sensor packet (docs/protocol.md §4.5; docs/home_assistant.md §2.3)."""\n'
    )
    assert (root / "tests/protocol/test_x.py").read_text(encoding="utf-8") == (
        f"{dlc_line}\n# docs/home_assistant.md §7.8\n"
    )
    assert (root / "tests/test_doc_references.py").read_text(encoding="utf-8") == (
        files["tests/test_doc_references.py"]
    )
    assert find_problems(root) == []
    snapshot = {path: (root / path).read_bytes() for path in repo_files(root)}
    assert script.main(["--root", str(root), "--check"]) == 0
    assert script.main(["--root", str(root)]) == 0
    assert {path: (root / path).read_bytes() for path in repo_files(root)} == snapshot


def test_rewrite_rewraps_prose_it_pushes_past_the_line_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Lengthened comment and docstring lines are rewrapped; a summary line is reported."""
    long_comment = "# " + "word " * 10 + "(HA_NOTES §3.3) end of the sentence."
    paragraph = "x " * 34 + "(VIRTUAL_BLE.md §2, §3.2): it"
    source = (
        f'"""Summary.\n\n{paragraph}\ngoes on here.\n"""\n\n{long_comment}\n# next line.\n\n'
        f'def f() -> None:\n    """{"y " * 33}(HA_NOTES §4 #23)."""\n'
    )
    assert all(len(line) <= 100 for line in source.splitlines())
    root = make_tree(tmp_path, {"scripts/a.py": source})
    assert rewrite_script().main(["--root", str(root)]) == 1
    assert "scripts/a.py:11: longer than 100 characters" in capsys.readouterr().err
    result = (root / "scripts/a.py").read_text(encoding="utf-8")
    compile(result, "a.py", "exec")
    lines = result.splitlines()
    assert [n + 1 for n, line in enumerate(lines) if len(line) > 100] == [11]
    assert lines[2].endswith("x")
    assert lines[3] == "(docs/home_assistant.md §6.2, §6.3): it goes on here."
    assert lines[6:8] == [
        "# " + "word " * 10 + "(docs/home_assistant.md §2.3) end of the",
        "# sentence. next line.",
    ]
